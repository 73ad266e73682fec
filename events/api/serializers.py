from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework import serializers

from events.models import Event, Seat
from events.services import MAX_GRID_COLS, MAX_GRID_ROWS
from evently.api.fields import DateOrDateTimeField, UTCDateTimeField


# --- output -------------------------------------------------------------------------------


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


class EventSummarySerializer(serializers.ModelSerializer):
    start_time = UTCDateTimeField()
    end_time = UTCDateTimeField()

    class Meta:
        model = Event
        fields = ["id", "name", "venue", "start_time", "end_time", "status"]


class SeatOutputSerializer(serializers.ModelSerializer):
    event_id = serializers.IntegerField()
    reserved = serializers.BooleanField()

    class Meta:
        model = Seat
        fields = ["id", "event_id", "label", "row_label", "col_number", "reserved"]


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
        if value > settings.EVENT_MAX_CAPACITY:
            raise serializers.ValidationError(
                f"Ensure this value is less than or equal to {settings.EVENT_MAX_CAPACITY}."
            )
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # With only one of the two times in a PATCH, the service checks it against the
        # stored other one, under the event lock.
        start, end = attrs.get("start_time"), attrs.get("end_time")
        if start is not None and end is not None and end <= start:
            raise serializers.ValidationError({"end_time": ["end_time must be after start_time."]})
        return attrs


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


