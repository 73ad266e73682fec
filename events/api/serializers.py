from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework import serializers

from events.models import Event, Seat
from events.services import MAX_GRID_COLS, MAX_GRID_ROWS
from evently.api.fields import DateOrDateTimeField, UTCDateTimeField, utc_iso


# --- output -------------------------------------------------------------------------------
#
# The output serializers declare the fields (the OpenAPI schema is generated from them) and
# build each body directly in `to_representation`: DRF's generic, field-by-field path costs
# ~25 µs per object (1.1 ms for a page of 20 events, half a millisecond for a booking), which
# was 15-20% of the CPU of a list page or a booking (docs/PERFORMANCE.md). The tests compare
# every fast body with DRF's generic rendering of the declared fields, so the two can't drift.


class EventOutputSerializer(serializers.ModelSerializer):
    start_time = UTCDateTimeField()
    end_time = UTCDateTimeField()
    available = serializers.IntegerField()
    utilization_pct = serializers.FloatField()

    class Meta:
        model = Event
        fields = [
            "id", "name", "venue", "start_time", "end_time", "capacity", "booked_count",
            "status", "waitlisted_count", "available", "utilization_pct",
        ]

    def to_representation(self, event: Event) -> dict[str, Any]:
        return {
            "id": event.id,
            "name": event.name,
            "venue": event.venue,
            "start_time": utc_iso(event.start_time),
            "end_time": utc_iso(event.end_time),
            "capacity": event.capacity,
            "booked_count": event.booked_count,
            "status": str(event.status),
            "waitlisted_count": event.waitlisted_count,
            "available": event.available,
            "utilization_pct": float(event.utilization_pct),
        }


class EventSummarySerializer(serializers.ModelSerializer):
    start_time = UTCDateTimeField()
    end_time = UTCDateTimeField()

    class Meta:
        model = Event
        fields = ["id", "name", "venue", "start_time", "end_time", "status"]

    def to_representation(self, event: Event) -> dict[str, Any]:
        return event_summary(event)


def event_summary(event: Event) -> dict[str, Any]:
    """The event as embedded in a booking body (EventSummarySerializer)."""
    return {
        "id": event.id,
        "name": event.name,
        "venue": event.venue,
        "start_time": utc_iso(event.start_time),
        "end_time": utc_iso(event.end_time),
        "status": str(event.status),
    }


class SeatOutputSerializer(serializers.ModelSerializer):
    event_id = serializers.IntegerField()
    reserved = serializers.BooleanField()

    class Meta:
        model = Seat
        fields = ["id", "event_id", "label", "row_label", "col_number", "reserved"]

    def to_representation(self, seat: Seat) -> dict[str, Any]:
        return {
            "id": seat.id,
            "event_id": seat.event_id,
            "label": seat.label,
            "row_label": seat.row_label,
            "col_number": seat.col_number,
            "reserved": seat.reserved,
        }


class EventListOutputSerializer(serializers.Serializer):
    items = EventOutputSerializer(many=True)
    meta = serializers.DictField(child=serializers.IntegerField())


class SeatGenerateOutputSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    capacity = serializers.IntegerField()


# --- input --------------------------------------------------------------------------------


class EventListQuerySerializer(serializers.Serializer):
    page = serializers.IntegerField(min_value=1, max_value=1_000_000, default=1)
    page_size = serializers.IntegerField(min_value=1, max_value=100, default=10)
    q = serializers.CharField(max_length=200, required=False, allow_blank=True)
    venue = serializers.CharField(max_length=200, required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=Event.Status.choices, required=False)
    date_from = DateOrDateTimeField(required=False)
    date_to = DateOrDateTimeField(required=False, upper=True)
    sort = serializers.ChoiceField(choices=["start_time", "name", "utilization"], default="start_time")
    order = serializers.ChoiceField(choices=["asc", "desc"], default="asc")


class SeatListQuerySerializer(serializers.Serializer):
    available = serializers.BooleanField(required=False, default=False)


def _capacity_field(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, **kwargs)


class EventInputSerializer(serializers.Serializer):
    """POST /admin/events (all fields) and PATCH (any of them, plus status)."""

    name = serializers.CharField(max_length=200)
    venue = serializers.CharField(max_length=200)
    start_time = UTCDateTimeField()
    end_time = UTCDateTimeField()
    capacity = _capacity_field()
    status = serializers.ChoiceField(choices=Event.Status.choices, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.partial:
            self.fields.pop("status")

    def validate_capacity(self, value: int) -> int:
        # A field-level 422 for API clients; events.services.event_check owns the limit.
        if value > settings.EVENT_MAX_CAPACITY:
            raise serializers.ValidationError(
                f"Ensure this value is less than or equal to {settings.EVENT_MAX_CAPACITY}."
            )
        return value

    # End after start: events.services.event_check, for every caller.


class SeatGenerateInputSerializer(serializers.Serializer):
    # Field-level 422s for API clients; the service owns the same limits for every caller.
    rows = serializers.IntegerField(min_value=1, max_value=MAX_GRID_ROWS)
    cols = serializers.IntegerField(min_value=1, max_value=MAX_GRID_COLS)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["rows"] * attrs["cols"] > settings.EVENT_MAX_CAPACITY:
            raise serializers.ValidationError(
                {"rows": [f"rows × cols must be at most {settings.EVENT_MAX_CAPACITY}."]}
            )
        return attrs


