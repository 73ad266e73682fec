"""The booking engine's rules, called through the services (issue 12 items 1, 3, 4; issue 17
items 1, 2): the queue-head invariant after every kind of change, rules raised by the services
themselves, the lock helper's check, nestable services, metric labels from the start."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from prometheus_client import REGISTRY

from accounts.models import User
from accounts.tests.factories import UserFactory
from bookings import services
from bookings.exceptions import InvalidBookingRequest, NotEnoughSeats, RefusalReason, SeatsTaken
from bookings.inventory import inventory_violations
from bookings.models import Booking, Ticket
from bookings.services import BookingRequest, WaitReason
from events import services as event_services
from events.exceptions import (
    CapacityTooLarge,
    CapacityTooSmall,
    EventEnded,
    InvalidEventTimes,
    InvalidSeatGrid,
)
from events.locking import locked_event
from events.models import Event, Seat
from events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def book(user: User, event: Event, qty: int = 1, *, seats: tuple = (), waitlist: bool = False, key: str | None = None) -> Booking:
    request = BookingRequest(qty=qty, seat_refs=seats, waitlist=waitlist)
    return services.booking_create(user=user, event_id=event.id, request=request, idempotency_key=key).booking


def status(booking: Booking) -> str:
    return Booking.objects.get(pk=booking.pk).status


# --- the queue head never fits on an active, not-ended event (issue 12 items 1 and 4) ------


def _cancel_confirmed(owner, waiter, admin):
    event = EventFactory(capacity=2)
    held = book(owner, event, 2)
    waiting = book(waiter, event, 1, waitlist=True)
    services.booking_cancel(booking_id=held.id, actor=owner)
    return event, waiting


def _cancel_waiting_head(owner, waiter, admin):
    event = EventFactory(capacity=2)
    book(owner, event, 1)
    head = book(admin, event, 2, waitlist=True)
    waiting = book(waiter, event, 1, waitlist=True)
    services.booking_cancel(booking_id=head.id, actor=admin)
    return event, waiting


def _capacity_up(owner, waiter, admin):
    event = EventFactory(capacity=1)
    book(owner, event, 1)
    waiting = book(waiter, event, 1, waitlist=True)
    event_services.event_update(event_id=event.id, capacity=2)
    return event, waiting


def _reactivate(owner, waiter, admin):
    event = EventFactory(capacity=1)
    held = book(owner, event, 1)
    waiting = book(waiter, event, 1, waitlist=True)
    event_services.event_deactivate(event_id=event.id)
    services.booking_cancel(booking_id=held.id, actor=owner)  # inactive: nobody promoted
    assert status(waiting) == "WAITLISTED" and inventory_violations(event_id=event.id) == []
    event_services.event_activate(event_id=event.id)
    return event, waiting


def _end_time_moved_into_the_future(owner, waiter, admin):
    """Issue 12 item 1, as reported: the event ends, O cancels, the admin moves end_time."""
    event = EventFactory(capacity=1)
    held = book(owner, event, 1)
    waiting = book(waiter, event, 1, waitlist=True)
    past = timezone.now() - timedelta(hours=1)
    Event.objects.filter(pk=event.pk).update(start_time=past - timedelta(hours=2), end_time=past)
    services.booking_cancel(booking_id=held.id, actor=owner)  # ended: nobody promoted
    assert status(waiting) == "WAITLISTED" and inventory_violations(event_id=event.id) == []
    event_services.event_update(event_id=event.id, end_time=timezone.now() + timedelta(days=1))
    return event, waiting


def _seat_generation(owner, waiter, admin):
    event = EventFactory(capacity=1)
    waiting = book(waiter, event, 2, waitlist=True)
    event_services.seat_map_generate(event_id=event.id, rows=1, cols=4)
    return event, waiting


def _default_grid_generation(owner, waiter, admin):
    """Any change under the lock re-checks the queue; this one adds no room: still waiting."""
    event = EventFactory(capacity=1)
    waiting = book(waiter, event, 2, waitlist=True)
    event_services.seat_map_generate_default(event_id=event.id)
    return event, waiting


@pytest.mark.parametrize(
    "change, promoted",
    [
        (_cancel_confirmed, True),
        (_cancel_waiting_head, True),
        (_capacity_up, True),
        (_reactivate, True),
        (_end_time_moved_into_the_future, True),
        (_seat_generation, True),
        (_default_grid_generation, False),
    ],
    ids=lambda v: v.__name__.strip("_") if callable(v) else None,
)
def test_after_every_kind_of_change_the_queue_head_never_fits(change, promoted) -> None:
    owner, waiter, other = UserFactory(), UserFactory(), UserFactory()

    event, waiting = change(owner, waiter, other)

    assert status(waiting) == ("CONFIRMED" if promoted else "WAITLISTED")
    assert inventory_violations(event_id=event.id) == []  # includes "the head never fits"


def test_ended_events_promote_nobody() -> None:
    event = EventFactory(capacity=1)
    owner, waiter = UserFactory(), UserFactory()
    held = book(owner, event, 1)
    waiting = book(waiter, event, 1, waitlist=True)
    past = timezone.now() - timedelta(minutes=1)
    Event.objects.filter(pk=event.pk).update(start_time=past - timedelta(hours=1), end_time=past)

    services.booking_cancel(booking_id=held.id, actor=owner)
    event_services.event_update(event_id=event.id, capacity=3)

    assert status(waiting) == "WAITLISTED"
    event.refresh_from_db()
    assert (event.booked_count, event.waitlisted_count) == (0, 1)


def test_inactive_events_promote_nobody() -> None:
    event = EventFactory(capacity=1)
    owner, waiter = UserFactory(), UserFactory()
    held = book(owner, event, 1)
    waiting = book(waiter, event, 1, waitlist=True)
    event_services.event_deactivate(event_id=event.id)

    services.booking_cancel(booking_id=held.id, actor=owner)
    event_services.event_update(event_id=event.id, capacity=3)

    assert status(waiting) == "WAITLISTED"


def test_a_head_that_does_not_fit_blocks_those_behind_it() -> None:
    event = EventFactory(capacity=3)
    owner = UserFactory()
    held = book(owner, event, 2)
    book(owner, event, 1)
    big = book(UserFactory(), event, 3, waitlist=True)
    small = book(UserFactory(), event, 1, waitlist=True)

    services.booking_cancel(booking_id=held.id, actor=owner)  # 2 free: the head needs 3

    assert (status(big), status(small)) == ("WAITLISTED", "WAITLISTED")
    assert inventory_violations(event_id=event.id) == []


# --- rules raised by the services themselves (issue 12 item 3) ---------------------------


@pytest.mark.parametrize(
    "request_, field",
    [
        (BookingRequest(qty=50), "qty"),
        (BookingRequest(qty=0), "qty"),
        (BookingRequest(qty=-1), "qty"),
        (BookingRequest(qty=1, seat_refs=("A-1", "A-2")), "qty"),
        (BookingRequest(qty=11, seat_refs=tuple(f"A-{i}" for i in range(1, 12))), "seat_ids"),
        (BookingRequest(qty=2, seat_refs=("A-1", "A-1")), "seat_ids"),
    ],
    ids=["qty-over-max", "qty-zero", "qty-negative", "qty-vs-seats", "too-many-seats", "duplicate"],
)
def test_booking_create_itself_refuses_malformed_requests_with_a_422(request_, field) -> None:
    event = EventFactory(capacity=100)

    with pytest.raises(InvalidBookingRequest) as caught:
        services.booking_create(user=UserFactory(), event_id=event.id, request=request_, idempotency_key="k")

    assert caught.value.status_code == 422
    assert list(caught.value.extra["errors"]) == [field]
    assert caught.value.detail.startswith(f"{field}: ")
    assert not Booking.objects.exists() and not Seat.objects.exists()


@override_settings(BOOKING_MAX_QTY=3)
def test_the_service_follows_the_max_quantity_setting() -> None:
    event = EventFactory(capacity=10)
    book(UserFactory(), event, 3)
    with pytest.raises(InvalidBookingRequest):
        book(UserFactory(), event, 4)


def _create(**overrides):
    now = timezone.now()
    fields = {"name": "n", "venue": "v", "start_time": now + timedelta(days=1), "end_time": now + timedelta(days=1, hours=2), "capacity": 10}
    return event_services.event_create(**{**fields, **overrides})


@pytest.mark.parametrize(
    "call, error, field",
    [
        (lambda e: _create(capacity=0), CapacityTooSmall, "capacity"),
        (lambda e: _create(capacity=100_001), CapacityTooLarge, "capacity"),
        (lambda e: _create(end_time=timezone.now() + timedelta(days=1)), InvalidEventTimes, "end_time"),
        (lambda e: event_services.event_update(event_id=e.id, capacity=0), CapacityTooSmall, "capacity"),
        (lambda e: event_services.event_update(event_id=e.id, end_time=e.start_time), InvalidEventTimes, "end_time"),
        (lambda e: event_services.seat_map_generate(event_id=e.id, rows=0, cols=5), InvalidSeatGrid, "rows"),
        (lambda e: event_services.seat_map_generate(event_id=e.id, rows=703, cols=1), InvalidSeatGrid, "rows"),
        (lambda e: event_services.seat_map_generate(event_id=e.id, rows=1, cols=501), InvalidSeatGrid, "rows"),
        (lambda e: event_services.seat_map_generate(event_id=e.id, rows=702, cols=500), CapacityTooLarge, "rows"),
    ],
    ids=[
        "create-capacity-0", "create-capacity-over-max", "create-end-before-start", "update-capacity-0",
        "update-end-at-start", "grid-rows-0", "grid-rows-703", "grid-cols-501", "grid-over-max-capacity",
    ],
)
def test_event_services_refuse_invalid_values_with_a_422(call, error, field) -> None:
    event = EventFactory(capacity=10)

    with pytest.raises(error) as caught:
        call(event)

    assert caught.value.status_code == 422
    assert list(caught.value.extra["errors"]) == [field]
    event.refresh_from_db()
    assert (event.capacity, event.seat_cols, Event.objects.count()) == (10, None, 1)


# --- named seats taken with waitlist (issue 12 item 2) -----------------------------------


def test_taken_named_seats_with_waitlist_wait_only_when_qty_cannot_fit() -> None:
    event = EventFactory(capacity=3)
    owner = UserFactory()
    book(owner, event, seats=("A-1",))
    book(owner, event, seats=("A-2",))

    refused_while_fits = pytest.raises(Exception, match="Seats already taken: A-1")
    with refused_while_fits:
        book(UserFactory(), event, seats=("A-1",), waitlist=True)
    waiting = book(UserFactory(), event, 2, seats=("A-1", "A-3"), waitlist=True)  # 1 free < 2

    assert waiting.status == "WAITLISTED" and waiting.waitlist_position == 1
    assert list(Seat.objects.filter(event=event, reserved=True).values_list("label", flat=True)) == ["A-1", "A-2"]
    assert inventory_violations(event_id=event.id) == []


def test_taken_named_seats_on_an_event_that_cannot_fit_qty_are_not_enough_seats_without_waitlist() -> None:
    """API.md: the seats-taken 409 holds "as long as the event still has `qty` free seats
    elsewhere"; otherwise choosing again can't help, and the answer is the no-room 409."""
    event = EventFactory(capacity=3)
    owner = UserFactory()
    book(owner, event, seats=("A-1",))
    book(owner, event, seats=("A-2",))

    with pytest.raises(NotEnoughSeats) as caught:
        book(UserFactory(), event, 2, seats=("A-1", "A-3"))  # 1 free < 2
    with pytest.raises(SeatsTaken):
        book(UserFactory(), event, 1, seats=("A-1",))  # 1 free: the caller chooses again

    assert caught.value.status_code == 409
    assert caught.value.detail == "Not enough seats available: 1 left"
    assert Booking.objects.filter(event=event).count() == 2
    assert inventory_violations(event_id=event.id) == []


# --- tickets -------------------------------------------------------------------------------


def test_tickets_are_created_with_the_booking_and_voided_with_its_cancellation() -> None:
    event = EventFactory(capacity=4)
    owner = UserFactory()
    booking = book(owner, event, 2)

    tickets = list(Ticket.objects.filter(booking=booking).order_by("id"))
    assert [(t.seat_label, t.status, t.event_id) for t in tickets] == [("A-1", "valid", event.id), ("A-2", "valid", event.id)]
    assert len({t.code for t in tickets}) == 2 and all(len(t.code) >= 22 for t in tickets)

    services.booking_cancel(booking_id=booking.id, actor=owner)

    assert set(Ticket.objects.filter(booking=booking).values_list("status", flat=True)) == {"void"}
    assert not Seat.objects.filter(event=event, reserved=True).exists()
    again = book(UserFactory(), event, 1)  # the seat is on one live ticket again
    assert again.seat_labels == ["A-1"]
    assert inventory_violations(event_id=event.id) == []


def test_a_seat_is_on_at_most_one_live_ticket_in_the_database() -> None:
    from django.db import IntegrityError

    event = EventFactory(capacity=2)
    booking = book(UserFactory(), event, 1)
    seat = Seat.objects.get(event=event, label="A-1")

    with pytest.raises(IntegrityError), transaction.atomic():
        Ticket.objects.create(booking=booking, event=event, seat=seat, seat_label="A-1")


# --- the lock helper's check, nestable services --------------------------------------------


def test_helpers_refuse_an_event_that_this_transaction_did_not_lock() -> None:
    event = EventFactory(capacity=1)
    with transaction.atomic():
        with pytest.raises(RuntimeError, match="not locked"):
            services.waitlist_promote(event=Event.objects.get(pk=event.pk))
    with locked_event(event.id) as locked:
        services.waitlist_promote(event=locked)  # fine
    with transaction.atomic(), pytest.raises(RuntimeError, match="not locked"):
        services.waitlist_promote(event=locked)  # locked by a transaction that has ended


def test_services_nest_in_a_callers_atomic_block_and_roll_back_with_it() -> None:
    event = EventFactory(capacity=1)
    owner, waiter = UserFactory(), UserFactory()

    with pytest.raises(ZeroDivisionError), transaction.atomic():
        held = book(owner, event, 1)
        book(waiter, event, 1, waitlist=True)
        services.booking_cancel(booking_id=held.id, actor=owner)
        event_services.event_update(event_id=event.id, capacity=2)
        1 / 0

    assert not Booking.objects.exists()
    event.refresh_from_db()
    assert (event.capacity, event.booked_count, event.waitlisted_count) == (1, 0, 0)


# --- metrics: every label combination from the start (issue 12 item 18) ------------------


def test_every_booking_outcome_series_exists_from_the_start() -> None:
    def present(outcome: str, reason: str) -> bool:
        return REGISTRY.get_sample_value("evently_bookings_total", {"outcome": outcome, "reason": reason}) is not None

    assert present("confirmed", "")
    assert all(present("waitlisted", r.value) for r in WaitReason)
    assert all(present("rejected", r.value) for r in RefusalReason)
    for previous in ("CONFIRMED", "WAITLISTED"):
        assert REGISTRY.get_sample_value("evently_cancellations_total", {"previous_status": previous}) is not None


def test_refusals_are_counted_under_their_enum_reason() -> None:
    event = EventFactory(capacity=1)
    Event.objects.filter(pk=event.pk).update(
        start_time=timezone.now() - timedelta(hours=2), end_time=timezone.now() - timedelta(hours=1)
    )
    labels = {"outcome": "rejected", "reason": RefusalReason.ENDED.value}
    before = REGISTRY.get_sample_value("evently_bookings_total", labels)

    with pytest.raises(EventEnded):
        book(UserFactory(), event, 1)

    assert REGISTRY.get_sample_value("evently_bookings_total", labels) == before + 1
