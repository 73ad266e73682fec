from __future__ import annotations

from typing import Any

from rest_framework import serializers

from events.models import DEFAULT_TIMEZONE, Event, SaleState, Seat
from events.services import MAX_GRID_COLS, MAX_GRID_ROWS
from evently.api.fields import JSONIntegerField, TextField, UTCDateTimeField


# --- output -------------------------------------------------------------------------------
#
# Every body is DRF's rendering of the fields declared here (the OpenAPI schema documents the
# same declaration): numbers as JSON numbers, times in UTC with `Z`.


# Plain Serializers with every field declared (not ModelSerializer): the same declaration,
# without re-reading the model's metadata on every instantiation (a single booking body
# cost ~0.45 ms that way, a tenth of a booking).


class EventOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    venue = serializers.CharField(read_only=True)
    start_time = UTCDateTimeField(read_only=True, help_text="UTC")
    end_time = UTCDateTimeField(read_only=True, help_text="UTC")
    capacity = serializers.IntegerField(read_only=True)
    booked_count = serializers.IntegerField(read_only=True, help_text="seats held by confirmed bookings")
    status = serializers.ChoiceField(choices=Event.Status.choices, read_only=True)
    waitlisted_count = serializers.IntegerField(read_only=True, help_text="bookings waiting for seats")
    available = serializers.IntegerField(read_only=True, help_text="capacity − booked_count")
    utilization_pct = serializers.FloatField(read_only=True, help_text="100·booked/capacity, 2 decimals")
    timezone = serializers.CharField(read_only=True, help_text="IANA zone name; times stay UTC")
    sale_state = serializers.ChoiceField(
        choices=SaleState.choices, read_only=True,
        help_text="inactive > ended > sold_out > on_sale when several hold",
    )


class EventSummarySerializer(serializers.Serializer):
    """The event as embedded in a booking body."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    venue = serializers.CharField(read_only=True)
    start_time = UTCDateTimeField(read_only=True)
    end_time = UTCDateTimeField(read_only=True)
    status = serializers.ChoiceField(choices=Event.Status.choices, read_only=True)


class SeatOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    event_id = serializers.IntegerField(read_only=True)
    label = serializers.CharField(read_only=True, help_text="row and number, e.g. `A-1`")
    row_label = serializers.CharField(read_only=True, help_text="`A`…`Z`, then `AA`, `AB`, …")
    col_number = serializers.IntegerField(read_only=True, help_text="1-based seat number in the row")
    reserved = serializers.BooleanField(read_only=True, help_text="held by a confirmed booking")


class SeatGenerateOutputSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text="seats created")
    capacity = serializers.IntegerField(help_text="the event's capacity now: rows × cols")


# --- input --------------------------------------------------------------------------------


class SeatListQuerySerializer(serializers.Serializer):
    available = serializers.BooleanField(required=False, default=False)


class EventInputSerializer(serializers.Serializer):
    """POST /admin/events (all fields) and PATCH (any of them, plus status)."""

    name = TextField(max_length=200)
    venue = TextField(max_length=200)
    start_time = UTCDateTimeField(help_text="ISO 8601 with `Z` or an offset (none: UTC)")
    end_time = UTCDateTimeField(help_text="ISO 8601, after start_time")
    capacity = JSONIntegerField(min_value=1, help_text="seats, 1 to EVENT_MAX_CAPACITY (100000 by default)")
    status = serializers.ChoiceField(
        choices=Event.Status.choices, required=False, help_text="PATCH only: inactive stops sales"
    )
    # Type only (a JSON string); events.services.event_check decides whether zoneinfo knows it.
    timezone = TextField(required=False, help_text=f"IANA zone name, default {DEFAULT_TIMEZONE}")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.partial:
            self.fields.pop("status")

    # Capacity at most EVENT_MAX_CAPACITY, end after start, a known zone:
    # events.services.event_check, for every caller (422, `errors` per field).


class SeatGenerateInputSerializer(serializers.Serializer):
    # The grid's bounds, declared for the schema (the service checks them for every caller,
    # and rows × cols against EVENT_MAX_CAPACITY: events.services.seat_map_generate).
    rows = JSONIntegerField(min_value=1, max_value=MAX_GRID_ROWS, help_text="rows A, B, … (1–702)")
    cols = JSONIntegerField(min_value=1, max_value=MAX_GRID_COLS, help_text="seats per row (1–500)")


