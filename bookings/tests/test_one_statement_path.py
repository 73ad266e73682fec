"""The one-statement confirmation (PostgreSQL) confirms exactly the quantity bookings the
Python rules would confirm on an event with a seat map, and writes nothing otherwise."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from bookings import services
from bookings.models import Booking
from bookings.tests.helpers import assert_inventory_ok
from evently.errors import DomainError
from events.models import Event, Seat
from events.services import seat_map_generate
from events.tests.factories import EventFactory

if connection.vendor != "postgresql":
    pytest.skip("a PostgreSQL function; runs in CI's PostgreSQL pass", allow_module_level=True)

pytestmark = pytest.mark.django_db

QTY = 2
STATES = list(itertools.product(
    [Event.Status.ACTIVE, Event.Status.INACTIVE],  # status
    [False, True],  # ended
    [0, 1],  # waitlisted_count
    [QTY - 1, QTY, QTY + 1],  # available
    [True, False],  # seat map
))


def python_confirms(event: Event) -> bool:
    try:
        seats, wait_reason = services._check_request(event=event, request=services.BookingRequest(qty=QTY))
    except DomainError:
        return False
    return not wait_reason


@pytest.mark.parametrize("status, ended, waiting, available, seat_map", STATES)
def test_confirms_exactly_what_the_rules_confirm(user, status, ended, waiting, available, seat_map) -> None:
    start = timezone.now() - timedelta(days=2) if ended else timezone.now() + timedelta(days=2)
    event = EventFactory(capacity=10, start_time=start, end_time=start + timedelta(hours=3))
    if seat_map:
        seat_map_generate(event_id=event.id, rows=1, cols=10)
    booked = 10 - available
    Event.objects.filter(pk=event.pk).update(status=status, waitlisted_count=waiting, booked_count=booked)
    if seat_map and booked:
        holder = Booking.objects.create(user=user, event=event, qty=booked, status=Booking.Status.CONFIRMED)
        Seat.objects.filter(pk__in=list(Seat.objects.filter(event=event).order_by("col_number").values_list("pk", flat=True)[:booked])).update(reserved_booking=holder)
    event.refresh_from_db()
    with transaction.atomic():
        expected = python_confirms(Event.objects.select_for_update().get(pk=event.pk))

    outcome = services._confirm_best_available_in_one_statement(
        user=user, event_id=event.id, qty=QTY, key="k", fingerprint="f"
    )

    if seat_map:
        assert (outcome is not None) == expected
    else:  # a first seat map is drawn by the general path
        assert outcome is None
    if outcome is None:
        assert not Booking.objects.filter(idempotency_key="k").exists()
        assert Event.objects.get(pk=event.pk).booked_count == booked
    else:
        labels = [f"A-{n}" for n in range(booked + 1, booked + QTY + 1)]
        assert outcome.seat_labels == labels
        assert outcome.booking.status == "CONFIRMED" and outcome.booking.qty == QTY
        assert list(Seat.objects.filter(reserved_booking=outcome.booking.id).values_list("label", flat=True).order_by("col_number")) == labels
        assert Event.objects.get(pk=event.pk).booked_count == booked + QTY
        if waiting == 0:
            assert_inventory_ok(event)


def test_a_used_key_writes_nothing_and_leaves_the_replay_to_the_general_path(user) -> None:
    event = EventFactory(capacity=10)
    seat_map_generate(event_id=event.id, rows=1, cols=10)
    fingerprint = services.BookingRequest(qty=1).fingerprint()
    first = services._confirm_best_available_in_one_statement(user=user, event_id=event.id, qty=1, key="k", fingerprint=fingerprint)

    again = services._confirm_best_available_in_one_statement(user=user, event_id=event.id, qty=1, key="k", fingerprint=fingerprint)

    assert first is not None and again is None
    assert Event.objects.get(pk=event.pk).booked_count == 1
    assert Booking.objects.filter(event=event).count() == 1
    replay = services.booking_create(user=user, event_id=event.id, request=services.BookingRequest(qty=1), idempotency_key="k")
    assert replay.replayed and replay.booking.id == first.booking.id


def test_an_unknown_event_writes_nothing(user) -> None:
    assert services._confirm_best_available_in_one_statement(user=user, event_id=10**12, qty=1, key=None, fingerprint="f") is None
