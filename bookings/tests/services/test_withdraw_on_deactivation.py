"""A deactivated account's waitlist places are withdrawn once the deactivation commits
(accounts' `user_deactivated` -> bookings.receivers -> `waitlist_withdraw_user`), exactly as
an admin's cancellation of each WAITLISTED booking; its CONFIRMED bookings stay."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import contextmanager

import pytest
from django.db import OperationalError, transaction
from prometheus_client import REGISTRY

from accounts.exceptions import LastAdmin
from accounts.models import User
from accounts.services import user_update
from accounts.tests.factories import UserFactory
from bookings import services
from bookings.models import Booking, Ticket
from bookings.selectors import booking_get_detailed
from bookings.services import BookingRequest
from bookings.services import waitlist as waitlist_services
from bookings.tests.helpers import assert_inventory_ok
from events.exceptions import EventBusy
from events.locking import locked_event
from events.models import Event
from events.tests.factories import EventFactory
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def book(user: User, event: Event, qty: int = 1, *, waitlist: bool = False) -> Booking:
    return services.booking_create(
        user=user, event_id=event.id, request=BookingRequest(qty=qty, waitlist=waitlist), idempotency_key=None
    ).booking


def wait(user: User, event: Event, qty: int = 1) -> Booking:
    booking = book(user, event, qty, waitlist=True)
    assert booking.status == Booking.Status.WAITLISTED
    return booking


def status(booking: Booking) -> str:
    return Booking.objects.values_list("status", flat=True).get(pk=booking.pk)


def position(booking: Booking) -> int | None:
    return booking_get_detailed(booking_id=booking.pk).waitlist_position


def waitlisted_count(event: Event) -> int:
    return Event.objects.values_list("waitlisted_count", flat=True).get(pk=event.pk)


def cancellations() -> float:
    return REGISTRY.get_sample_value("evently_cancellations_total", {"previous_status": "WAITLISTED"}) or 0.0


@pytest.fixture
def deactivate(django_capture_on_commit_callbacks) -> Callable[[User], None]:
    """Deactivate through accounts' service, its transaction committed (on-commit work runs)."""

    def run(user: User) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            user_update(user_id=user.id, is_active=False)

    return run


def test_deactivation_cancels_the_accounts_waitlist_places_on_every_event_and_nothing_else(deactivate) -> None:
    # Given an account waiting on two sold-out events between others, and holding a seat
    gone, first, last, holder = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    one, two = EventFactory(capacity=1), EventFactory(capacity=2)
    book(holder, one)
    queue_one = [wait(first, one), wait(gone, one), wait(last, one)]
    held = book(gone, two)
    book(holder, two)
    queue_two = [wait(gone, two), wait(last, two)]
    before = cancellations()

    # When it is deactivated
    deactivate(gone)

    # Then only its waiting bookings are cancelled, and the people behind it move up
    assert [status(b) for b in queue_one] == ["WAITLISTED", "CANCELLED", "WAITLISTED"]
    assert [status(b) for b in queue_two] == ["CANCELLED", "WAITLISTED"]
    assert [position(queue_one[0]), position(queue_one[2]), position(queue_two[1])] == [1, 2, 1]
    assert (waitlisted_count(one), waitlisted_count(two)) == (2, 1)
    assert cancellations() == before + 2
    # and its confirmed booking keeps its seat and ticket
    assert status(held) == "CONFIRMED"
    assert list(Ticket.objects.filter(booking=held).values_list("status", flat=True)) == [Ticket.Status.VALID]
    assert Event.objects.get(pk=two.pk).booked_count == 2
    assert_inventory_ok(one)
    assert_inventory_ok(two)


def test_each_withdrawn_place_is_notified_with_its_reason(deactivate) -> None:
    # Given an account waiting on a sold-out event
    gone = UserFactory()
    event = EventFactory(capacity=1)
    book(UserFactory(), event)
    waiting = wait(gone, event, qty=2)

    # When it is deactivated
    deactivate(gone)

    # Then the outbox has a cancellation row that says why, not "an organizer cancelled"
    # (delivery marks it failed without sending it, the account being inactive; the in-app
    # list keeps it)
    row = Notification.objects.get(booking=waiting, kind=Notification.Kind.BOOKING_CANCELLED)
    assert row.user_id == gone.id
    assert row.data["by_admin"] is True and row.data["previous_status"] == "WAITLISTED"
    assert row.data["account_deactivated"] is True
    assert row.title == f"Waitlist place withdrawn: {event.name}"
    assert row.body.startswith(f"Your waitlist place (2 tickets) for {event.name}, ")
    assert row.body.endswith(", was withdrawn because your account was deactivated.")


def test_the_catalogue_shows_the_shorter_queue_at_once(deactivate, api_client) -> None:
    gone = UserFactory()
    event = EventFactory(capacity=1)
    book(UserFactory(), event)
    wait(gone, event)
    assert api_client.get(f"/events/{event.id}").json()["waitlisted_count"] == 1  # now cached

    deactivate(gone)

    assert api_client.get(f"/events/{event.id}").json()["waitlisted_count"] == 0


def test_a_withdrawn_head_lets_the_next_in_line_in_but_never_the_accounts_own_later_place(deactivate) -> None:
    # Given one free seat, the account's party of 2 at the head (it does not fit), then its
    # own single place, then someone else's
    gone, next_in_line, holder = UserFactory(), UserFactory(), UserFactory()
    event = EventFactory(capacity=3)
    book(UserFactory(), event, qty=2)
    held = book(holder, event, qty=1)
    party, own_single = wait(gone, event, qty=2), wait(gone, event, qty=1)
    other = wait(next_in_line, event, qty=1)
    services.booking_cancel(booking_id=held.id, actor=holder)  # 1 seat free: the head needs 2
    assert [status(party), status(own_single), status(other)] == ["WAITLISTED"] * 3

    # When the account is deactivated
    deactivate(gone)

    # Then both its places go, and the seat goes to the next person, not to its single place
    assert [status(party), status(own_single), status(other)] == ["CANCELLED", "CANCELLED", "CONFIRMED"]
    assert_inventory_ok(event)


def test_reactivating_the_account_restores_no_place(deactivate, django_capture_on_commit_callbacks) -> None:
    gone = UserFactory()
    event = EventFactory(capacity=1)
    book(UserFactory(), event)
    waiting = wait(gone, event)
    deactivate(gone)

    with django_capture_on_commit_callbacks(execute=True):
        user_update(user_id=gone.id, is_active=True)

    assert status(waiting) == "CANCELLED"
    assert waitlisted_count(event) == 0


def test_a_second_withdrawal_changes_nothing(deactivate) -> None:
    gone = UserFactory()
    event = EventFactory(capacity=1)
    book(UserFactory(), event)
    waiting = wait(gone, event)
    deactivate(gone)
    rows, before = Notification.objects.filter(user=gone).count(), cancellations()

    again = services.waitlist_withdraw_user(user_id=gone.id)

    assert again == []
    assert status(waiting) == "CANCELLED"
    assert Notification.objects.filter(user=gone).count() == rows
    assert cancellations() == before
    assert_inventory_ok(event)


def test_a_place_promoted_before_the_deactivation_stays_confirmed(deactivate) -> None:
    # Given the account's place was promoted (the holder cancelled) before it was deactivated
    gone, holder = UserFactory(), UserFactory()
    event = EventFactory(capacity=1)
    held = book(holder, event)
    waiting = wait(gone, event)
    services.booking_cancel(booking_id=held.id, actor=holder)
    assert status(waiting) == "CONFIRMED"

    deactivate(gone)

    # Then it is a confirmed booking like any other: left alone
    assert status(waiting) == "CONFIRMED"
    assert Ticket.objects.filter(booking=waiting, status=Ticket.Status.VALID).count() == 1
    assert_inventory_ok(event)


def test_an_active_account_keeps_its_places() -> None:
    """The service withdraws for a deactivated account only: one reactivated before the
    withdrawal ran keeps its places."""
    kept = UserFactory()
    event = EventFactory(capacity=1)
    book(UserFactory(), event)
    waiting = wait(kept, event)

    assert services.waitlist_withdraw_user(user_id=kept.id) == []
    assert status(waiting) == "WAITLISTED"


@pytest.mark.parametrize(
    "change", [{"name": "Renamed"}, {"role": User.Role.CHECKIN}, {"email": "new-address@example.com"}]
)
def test_other_changes_withdraw_nothing(change: dict, django_capture_on_commit_callbacks) -> None:
    kept = UserFactory()
    event = EventFactory(capacity=1)
    book(UserFactory(), event)
    waiting = wait(kept, event)

    with django_capture_on_commit_callbacks(execute=True):
        user_update(user_id=kept.id, **change)

    assert status(waiting) == "WAITLISTED"


def test_a_busy_event_is_skipped_the_others_are_done_and_a_second_call_finishes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given an account waiting on two events, the first of them busy for one attempt
    gone = UserFactory(is_active=False)
    busy_event, free_event = sorted([EventFactory(capacity=1), EventFactory(capacity=1)], key=lambda e: e.id)
    for event in (busy_event, free_event):
        book(UserFactory(), event)
    on_busy, on_free = wait(gone, busy_event), wait(gone, free_event)
    real_locked_event = locked_event
    refused: list[int] = []

    @contextmanager
    def busy_once(event_id: int):
        if event_id == busy_event.id and not refused:
            refused.append(event_id)
            raise EventBusy(retry_after=1)
        with real_locked_event(event_id) as event:
            yield event

    monkeypatch.setattr(waitlist_services, "locked_event", busy_once)

    # When the withdrawal runs, then again
    with pytest.raises(EventBusy):
        services.waitlist_withdraw_user(user_id=gone.id)
    first = [status(on_busy), status(on_free)]
    services.waitlist_withdraw_user(user_id=gone.id)

    # Then the free event was done at once, the busy one by the second call
    assert first == ["WAITLISTED", "CANCELLED"]
    assert [status(on_busy), status(on_free)] == ["CANCELLED", "CANCELLED"]


@pytest.mark.parametrize(
    "failure", [EventBusy(retry_after=1), OperationalError("server closed the connection")], ids=["busy", "database"]
)
def test_a_failed_withdrawal_does_not_make_the_deactivation_fail(
    failure: Exception, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, deactivate
) -> None:
    # Given the withdrawal would fail (an event busy, the database gone)
    gone = UserFactory()
    event = EventFactory(capacity=1)
    book(UserFactory(), event)
    waiting = wait(gone, event)

    def fail(**kwargs: object) -> list[Booking]:
        raise failure

    monkeypatch.setattr(services, "waitlist_withdraw_user", fail)

    # When the account is deactivated
    with caplog.at_level(logging.ERROR, logger="bookings.receivers"):
        deactivate(gone)

    # Then the deactivation stands, the place is left for the next promotion or staff, and
    # the log says so, with the failure
    assert not User.objects.get(pk=gone.pk).is_active
    assert status(waiting) == "WAITLISTED"
    [record] = [r for r in caplog.records if r.name == "bookings.receivers"]
    assert record.getMessage() == (
        f"deactivated user #{gone.id} keeps waitlist places until their events next promote; "
        "staff can cancel them in the console (Bookings: status WAITLISTED, account Deactivated)"
    )
    assert record.exc_info[1] is failure


# --- a place the withdrawal missed: the next promotion withdraws it ----------------------


@pytest.fixture
def missed_withdrawal(monkeypatch: pytest.MonkeyPatch, deactivate) -> Callable[[User], None]:
    """Deactivate an account while its withdrawal does nothing (as when it failed)."""

    def run(user: User) -> None:
        monkeypatch.setattr(services, "waitlist_withdraw_user", lambda **kwargs: [])
        deactivate(user)
        monkeypatch.undo()

    return run


def test_a_place_the_withdrawal_missed_is_withdrawn_by_the_next_promotion_never_promoted(
    missed_withdrawal, django_capture_on_commit_callbacks
) -> None:
    # Given a deactivated account still at the head of a queue (its withdrawal failed),
    # its own second place behind it, then someone else
    gone, holder, next_in_line = UserFactory(), UserFactory(), UserFactory()
    event = EventFactory(capacity=2)
    held = book(holder, event, qty=2)
    head, own_later = wait(gone, event, qty=2), wait(gone, event, qty=1)
    other = wait(next_in_line, event, qty=1)
    missed_withdrawal(gone)
    assert [status(head), status(own_later), status(other)] == ["WAITLISTED"] * 3
    cancelled_before = cancellations()

    # When seats come free
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking_id=held.id, actor=holder)

    # Then the account's places are withdrawn as a cancellation, not given seats, and the
    # next person is promoted
    assert [status(head), status(own_later), status(other)] == ["CANCELLED", "CANCELLED", "CONFIRMED"]
    assert not Ticket.objects.filter(booking__user=gone).exists()
    assert not Notification.objects.filter(user=gone, kind=Notification.Kind.WAITLIST_PROMOTED).exists()
    assert cancellations() == cancelled_before + 2
    assert waitlisted_count(event) == 0
    assert_inventory_ok(event)


def test_a_place_added_by_a_request_authenticated_before_the_deactivation_is_never_promoted(
    deactivate,
) -> None:
    # Given a request that loaded the account before its deactivation, and joins the queue
    # after the withdrawal ran
    gone, holder = UserFactory(), UserFactory()
    event = EventFactory(capacity=1)
    held = book(holder, event)
    stale = User.objects.get(pk=gone.pk)
    deactivate(gone)
    late = wait(stale, event)

    # When the seat comes free
    services.booking_cancel(booking_id=held.id, actor=holder)

    # Then the late place is withdrawn, and the seat stays free for the next request
    assert status(late) == "CANCELLED"
    assert Event.objects.values_list("booked_count", "waitlisted_count").get(pk=event.pk) == (0, 0)
    assert_inventory_ok(event)


def test_a_full_event_keeps_the_queue_as_it_is_until_a_seat_is_free(
    missed_withdrawal, django_assert_num_queries
) -> None:
    # Given a missed place on an event with no free seat
    gone = UserFactory()
    event = EventFactory(capacity=1)
    book(UserFactory(), event)
    left = wait(gone, event)
    missed_withdrawal(gone)

    # When a change promotes nobody (no free seat): nothing is withdrawn either (no query)
    with locked_event(event.id) as locked, django_assert_num_queries(0):
        assert services.waitlist_promote(event=locked) == []

    assert status(left) == "WAITLISTED"


# --- after commit only (real transactions) --------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_places_are_withdrawn_once_the_deactivation_commits_not_inside_it() -> None:
    gone = UserFactory()
    event = EventFactory(capacity=1)
    book(UserFactory(), event)
    waiting = wait(gone, event)

    with transaction.atomic():
        user_update(user_id=gone.id, is_active=False)
        inside = status(waiting)

    assert inside == "WAITLISTED"
    assert status(waiting) == "CANCELLED"
    assert_inventory_ok(event)


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_deactivation_withdraws_nothing() -> None:
    # Given an account waiting, and an admin waiting who is the last active admin
    gone, last_admin = UserFactory(), UserFactory(role=User.Role.ADMIN)
    event = EventFactory(capacity=1)
    book(UserFactory(), event)
    waiting, admins_place = wait(gone, event), wait(last_admin, event)

    # When one deactivation is rolled back and the other refused
    with pytest.raises(RuntimeError), transaction.atomic():
        user_update(user_id=gone.id, is_active=False)
        raise RuntimeError("the caller's transaction fails after the deactivation")
    with pytest.raises(LastAdmin):
        user_update(user_id=last_admin.id, is_active=False)

    # Then both accounts are active and keep their places
    assert list(User.objects.filter(pk__in=[gone.pk, last_admin.pk]).values_list("is_active", flat=True)) == [True, True]
    assert [status(waiting), status(admins_place)] == ["WAITLISTED", "WAITLISTED"]
    assert waitlisted_count(event) == 2
