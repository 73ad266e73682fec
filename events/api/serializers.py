from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework import serializers

from events.models import Event, Seat
from events.services import MAX_GRID_COLS, MAX_GRID_ROWS
from evently.api.fields import TextField, UTCDateTimeField


# --- output -------------------------------------------------------------------------------
#
# Every body is DRF's rendering of the fields declared here (the OpenAPI schema documents the
# same declaration): numbers as JSON numbers, times in UTC with `Z`.


class EventOutputSerializer(serializers.ModelSerializer):
    start_time = UTCDateTimeField(read_only=True)
    end_time = UTCDateTimeField(read_only=True)
    available = serializers.IntegerField(read_only=True, help_text="capacity − booked_count")
    utilization_pct = serializers.FloatField(read_only=True, help_text="100·booked/capacity, 2 decimals")

    class Meta:
        model = Event
        fields = [
            "id", "name", "venue", "start_time", "end_time", "capacity", "booked_count",
            "status", "waitlisted_count", "available", "utilization_pct",
        ]
        read_only_fields = fields


class EventSummarySerializer(serializers.ModelSerializer):
    """The event as embedded in a booking body."""

    start_time = UTCDateTimeField(read_only=True)
    end_time = UTCDateTimeField(read_only=True)

    class Meta:
        model = Event
        fields = ["id", "name", "venue", "start_time", "end_time", "status"]
        read_only_fields = fields


class SeatOutputSerializer(serializers.ModelSerializer):
    event_id = serializers.IntegerField(read_only=True)
    reserved = serializers.BooleanField(read_only=True)

    class Meta:
        model = Seat
        fields = ["id", "event_id", "label", "row_label", "col_number", "reserved"]
        read_only_fields = fields


class SeatGenerateOutputSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    capacity = serializers.IntegerField()


# --- input --------------------------------------------------------------------------------


class SeatListQuerySerializer(serializers.Serializer):
    available = serializers.BooleanField(required=False, default=False)


def _capacity_field(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, **kwargs)


class EventInputSerializer(serializers.Serializer):
    """POST /admin/events (all fields) and PATCH (any of them, plus status)."""

    name = TextField(max_length=200)
    venue = TextField(max_length=200)
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


