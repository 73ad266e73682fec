"""The output serializers build their bodies directly (for speed); each body must equal what
DRF's generic rendering of the declared fields gives (the fields are what the OpenAPI schema
documents), for every shape of object."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone as dt_timezone

import pytest
from rest_framework import serializers

from events.api.serializers import EventOutputSerializer, EventSummarySerializer, SeatOutputSerializer
from events.models import Event, Seat
from events.services import seat_map_generate
from events.tests.factories import EventFactory
from evently.api.fields import utc_iso

pytestmark = pytest.mark.django_db


def generic(serializer: serializers.Serializer, instance: object) -> dict:
    """DRF's field-by-field rendering, bypassing the serializer's own `to_representation`."""
    return dict(serializers.Serializer.to_representation(serializer, instance))


@pytest.mark.parametrize(
    "moment, expected",
    [
        (datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt_timezone.utc), "2030-01-02T03:04:05Z"),
        (datetime(2030, 1, 2, 3, 4, 5, 678901, tzinfo=dt_timezone.utc), "2030-01-02T03:04:05.678901Z"),
        (datetime(2030, 1, 2, 5, 4, 5, tzinfo=dt_timezone(timedelta(hours=2))), "2030-01-02T03:04:05Z"),
        (None, None),
    ],
)
def test_utc_iso_renders_like_the_datetime_field(moment, expected):
    assert utc_iso(moment) == expected
    if moment is not None:
        assert EventOutputSerializer().fields["start_time"].to_representation(moment) == expected


@pytest.mark.parametrize(
    "attrs",
    [
        {},
        {"capacity": 3, "booked_count": 3},
        {"capacity": 7, "booked_count": 2, "waitlisted_count": 4},  # 28.57 %
        {"status": Event.Status.INACTIVE},
        {"start_time": datetime(2031, 5, 6, 7, 8, 9, 123456, tzinfo=dt_timezone.utc),
         "end_time": datetime(2031, 5, 6, 9, 0, tzinfo=dt_timezone.utc)},
    ],
)
def test_event_bodies_equal_the_generic_rendering(attrs):
    created = EventFactory(**attrs)
    for event in (created, Event.objects.get(pk=created.pk)):  # as built and as loaded
        body = EventOutputSerializer(event).data
        assert body == generic(EventOutputSerializer(), event)
        assert list(body) == EventOutputSerializer.Meta.fields
        summary = EventSummarySerializer(event).data
        assert summary == generic(EventSummarySerializer(), event)
        assert list(summary) == EventSummarySerializer.Meta.fields
    assert isinstance(body["utilization_pct"], float)


def test_event_list_bodies_equal_the_generic_rendering():
    events = [EventFactory(capacity=9, booked_count=n) for n in range(3)]
    assert EventOutputSerializer(events, many=True).data == [
        generic(EventOutputSerializer(), event) for event in events
    ]


def test_seat_bodies_equal_the_generic_rendering(user):
    from bookings.models import Booking

    event = EventFactory(capacity=4)
    seat_map_generate(event_id=event.id, rows=2, cols=2)
    booking = Booking.objects.create(user=user, event=event, qty=1, status=Booking.Status.CONFIRMED)
    Seat.objects.filter(event=event, label="A-2").update(reserved=True)
    seats = list(Seat.objects.filter(event=event).order_by("row_index", "col_number"))
    bodies = SeatOutputSerializer(seats, many=True).data
    assert bodies == [generic(SeatOutputSerializer(), seat) for seat in seats]
    assert [b["reserved"] for b in bodies] == [False, True, False, False]
    assert list(bodies[0]) == SeatOutputSerializer.Meta.fields
