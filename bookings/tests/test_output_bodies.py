"""The booking body is built directly (for speed); it must equal DRF's generic rendering of
the declared fields (what the OpenAPI schema documents) for every state of a booking, both as
the booking service returns it and as the selectors load it."""

from __future__ import annotations

import pytest
from rest_framework import serializers

from bookings import selectors, services
from bookings.api.serializers import BookingOutputSerializer
from bookings.models import Booking
from events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def generic(booking: Booking) -> dict:
    return dict(serializers.Serializer.to_representation(BookingOutputSerializer(), booking))


def book(user, event, qty=1, waitlist=False, key=None):
    return services.booking_create(
        user=user, event_id=event.id, request=services.BookingRequest(qty=qty, waitlist=waitlist),
        idempotency_key=key,
    )


def test_every_booking_state_renders_like_the_generic_path(user, admin):
    event = EventFactory(capacity=3)
    confirmed = book(user, event, qty=2, key="a")
    cancelled = book(admin, event, qty=1, key="c")
    waiting = book(admin, event, qty=2, waitlist=True, key="b")
    replay = book(user, event, qty=2, key="a")
    services.booking_cancel(booking_id=cancelled.booking.id, actor=admin)  # 1 free: head needs 2

    # As the service hands them to the view (labels and position carried on the outcome).
    for outcome in (confirmed, waiting):
        booking = outcome.booking
        booking.seat_labels, booking.waitlist_position = outcome.seat_labels, outcome.waitlist_position
        body = BookingOutputSerializer(booking).data
        assert body == generic(booking)
        assert list(body) == BookingOutputSerializer.Meta.fields
    assert replay.replayed

    # As the selectors load them: one of each status, seats prefetched, position annotated.
    loaded = list(selectors.with_details(Booking.objects.filter(event=event).order_by("id")))
    assert [b.status for b in loaded] == ["CONFIRMED", "CANCELLED", "WAITLISTED"]
    bodies = BookingOutputSerializer(loaded, many=True).data
    assert bodies == [generic(b) for b in loaded]
    assert bodies[0]["seat_labels"] == ["A-1", "A-2"] and bodies[0]["waitlist_position"] is None
    assert bodies[1]["seat_labels"] == [] and bodies[1]["waitlist_position"] is None
    assert bodies[2]["seat_labels"] == [] and bodies[2]["waitlist_position"] == 1
    assert bodies[0]["event"]["id"] == event.id and bodies[0]["created_at"].endswith("Z")
