"""Staff console: tickets inline on a booking (read-only), check-in and undo as actions that
call the services (issue 13)."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User
from accounts.tests.factories import UserFactory
from bookings.models import Ticket
from bookings.services import BookingRequest, booking_cancel, booking_create
from bookings.signals import tickets_changed
from events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(user: User):
    event = EventFactory(capacity=5)
    return booking_create(user=user, event_id=event.id, request=BookingRequest(qty=2), idempotency_key="k").booking


def test_a_booking_page_shows_its_tickets_read_only(staff: Client, booking) -> None:
    codes = list(Ticket.objects.filter(booking=booking).values_list("code", flat=True))

    page = staff.get(f"/staff/bookings/booking/{booking.id}/change/").content.decode()

    assert all(code in page for code in codes)
    assert "A-1" in page and "A-2" in page
    assert 'name="tickets-0-status"' not in page  # no editable inline field
    assert 'name="tickets-0-code"' not in page


@pytest.mark.parametrize("path", ["/staff/bookings/ticket/", "/staff/bookings/ticket/?status__exact=valid&q=x"])
def test_ticket_list_renders(staff: Client, booking, path: str) -> None:
    assert staff.get(path).status_code == 200


def test_ticket_page_renders_and_cannot_be_edited(staff: Client, booking) -> None:
    ticket = Ticket.objects.filter(booking=booking).first()

    assert staff.get(f"/staff/bookings/ticket/{ticket.id}/change/").status_code == 200
    staff.post(f"/staff/bookings/ticket/{ticket.id}/change/", {"status": "checked_in"})
    ticket.refresh_from_db()
    assert ticket.status == "valid"


def test_check_in_and_undo_actions_go_through_the_services(staff: Client, admin: User, booking, django_capture_on_commit_callbacks) -> None:
    tickets = list(Ticket.objects.filter(booking=booking).order_by("id"))
    heard = []
    tickets_changed.connect(lambda **kw: heard.append(kw["event_id"]), weak=False, dispatch_uid="test-console")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = staff.post(
                "/staff/bookings/ticket/",
                {"action": "check_in_selected", "_selected_action": [t.id for t in tickets]},
                follow=True,
            )
    finally:
        tickets_changed.disconnect(dispatch_uid="test-console")

    assert "Checked in 2 ticket(s)." in response.content.decode()
    assert {(t.status, t.checked_in_by_id) for t in Ticket.objects.filter(booking=booking)} == {("checked_in", admin.id)}
    assert heard == [booking.event_id, booking.event_id]  # the services' signal, analytics hears it

    staff.post("/staff/bookings/ticket/", {"action": "undo_check_in_selected", "_selected_action": [tickets[0].id]})
    assert Ticket.objects.get(pk=tickets[0].pk).status == "valid"
    assert Ticket.objects.get(pk=tickets[0].pk).checked_in_at is None


def test_check_in_action_reports_each_refusal(staff: Client, user: User, booking) -> None:
    booking_cancel(booking_id=booking.id, actor=user)
    ticket = Ticket.objects.filter(booking=booking).first()

    response = staff.post(
        "/staff/bookings/ticket/", {"action": "check_in_selected", "_selected_action": [ticket.id]}, follow=True
    )

    page = response.content.decode()
    assert "Ticket void (booking cancelled)" in page
    assert "ticket(s)." not in page  # no success message
    assert Ticket.objects.get(pk=ticket.pk).status == "void"


def test_door_staff_cannot_use_the_console(checkin_client: Client) -> None:
    assert checkin_client.get("/staff/bookings/ticket/").status_code == 302


@pytest.fixture
def checkin_client() -> Client:
    client = Client()
    client.force_login(UserFactory(role=User.Role.CHECKIN))
    return client
