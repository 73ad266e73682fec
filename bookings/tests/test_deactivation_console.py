"""The staff console's side of a deactivation: unticking "active" on a user's page withdraws
the account's waitlist places (after the save commits); the page says so; the bookings list
finds places a deactivation left (a busy event, a process that died) for the cancel action."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User
from accounts.tests.factories import UserFactory
from bookings.models import Booking, Ticket
from bookings.services import BookingRequest, booking_create
from bookings.tests.helpers import assert_inventory_ok
from events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def book(user: User, event, *, waitlist: bool = False) -> Booking:
    return booking_create(
        user=user, event_id=event.id, request=BookingRequest(qty=1, waitlist=waitlist), idempotency_key=None
    ).booking


def status(booking: Booking) -> str:
    return Booking.objects.values_list("status", flat=True).get(pk=booking.pk)


def test_unticking_active_in_the_console_withdraws_the_waitlist_places_only(
    staff: Client, django_capture_on_commit_callbacks
) -> None:
    # Given an account holding a seat on one event and waiting on another
    gone, behind = UserFactory(), UserFactory()
    open_event, sold_out = EventFactory(capacity=2), EventFactory(capacity=1)
    held = book(gone, open_event)
    book(UserFactory(), sold_out)
    waiting, next_one = book(gone, sold_out, waitlist=True), book(behind, sold_out, waitlist=True)

    # When staff untick "active" on its page and save
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            f"/staff/accounts/user/{gone.id}/change/",
            {"name": gone.name, "email": gone.email, "role": gone.role},  # is_active unticked
            follow=True,
        )

    # Then the account is saved inactive, its waitlist place is cancelled, its seat stays
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    assert not User.objects.get(pk=gone.pk).is_active
    assert [status(waiting), status(next_one), status(held)] == ["CANCELLED", "WAITLISTED", "CONFIRMED"]
    assert Ticket.objects.get(booking=held).status == Ticket.Status.VALID
    assert_inventory_ok()


def test_the_user_page_says_what_unticking_active_does(staff: Client, user: User) -> None:
    page = staff.get(f"/staff/accounts/user/{user.id}/change/").content.decode()

    assert "its waitlist places are cancelled" in page
    assert "Its confirmed bookings stay." in page


def test_places_a_deactivation_left_are_listed_and_cancelled_from_the_bookings_page(
    staff: Client, django_capture_on_commit_callbacks
) -> None:
    # Given a deactivated account whose withdrawal never ran (the flag set behind the service's
    # back, as a process dying after the deactivation's commit leaves it), and an active one
    gone, kept = UserFactory(), UserFactory()
    event = EventFactory(capacity=1)
    book(UserFactory(), event)
    left, active = book(gone, event, waitlist=True), book(kept, event, waitlist=True)
    User.objects.filter(pk=gone.pk).update(is_active=False)

    # When staff list waiting bookings of deactivated accounts, and cancel what is listed
    listing = staff.get("/staff/bookings/booking/", {"status__exact": "WAITLISTED", "account": "deactivated"})
    listed = [row.pk for row in listing.context["cl"].result_list]
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            "/staff/bookings/booking/?status__exact=WAITLISTED&account=deactivated",
            {"action": "cancel_selected", "_selected_action": listed},
        )

    # Then only the deactivated account's place was listed, and it is cancelled
    assert listed == [left.pk]
    assert [status(left), status(active)] == ["CANCELLED", "WAITLISTED"]
    assert_inventory_ok(event)
