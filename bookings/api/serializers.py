from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bookings.models import Booking, Ticket
from events.api.serializers import EventSummarySerializer
from evently.api.fields import JSONBooleanField, JSONIntegerField, TextField, UTCDateTimeField

MAX_DB_ID = 2**63 - 1


@extend_schema_field({"oneOf": [{"type": "integer", "minimum": 1}, {"type": "string", "minLength": 1, "maxLength": 16}]})
class SeatRefField(serializers.Field):
    """A seat id (integer) or a seat label ("A-1")."""

    default_error_messages = {"invalid": "Must be a seat id (integer) or a seat label such as \"A-1\"."}

    def to_internal_value(self, data: Any) -> int | str:
        if isinstance(data, bool):
            self.fail("invalid")
        if isinstance(data, int):
            if not 1 <= data <= MAX_DB_ID:
                self.fail("invalid")
            return data
        if isinstance(data, str) and 0 < len(data.strip()) <= 16 and data.isprintable():
            return data.strip()
        self.fail("invalid")

    def to_representation(self, value: Any) -> Any:
        return value


class BookingInputSerializer(serializers.Serializer):
    qty = JSONIntegerField(
        min_value=1, required=False,
        help_text="tickets wanted, 1 to BOOKING_MAX_QTY (10 by default); may be omitted when seat_ids is given",
    )
    quantity = JSONIntegerField(min_value=1, required=False, help_text="alias of qty")
    seat_ids = serializers.ListField(
        child=SeatRefField(), required=False, allow_null=True,
        help_text="these seats exactly (ids or labels such as `A-1`, no duplicates); none: the best available",
    )
    waitlist = JSONBooleanField(
        required=False, default=False, help_text="join the waitlist when the request can't be met now"
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """The request's shape only: `qty` from `qty`, its alias `quantity` or the number of
        seats named. Its rules (qty = number of seats, at most BOOKING_MAX_QTY, no seat twice)
        are the service's (`bookings.services.booking_create`), with the same 422 body."""
        qty, alias = attrs.get("qty"), attrs.get("quantity")
        if qty is not None and alias is not None and qty != alias:
            raise serializers.ValidationError({"quantity": ["qty and quantity disagree."]})
        qty = qty if qty is not None else alias
        seat_refs = tuple(attrs.get("seat_ids") or ())
        if qty is None and seat_refs:
            qty = len(seat_refs)
        if qty is None:
            raise serializers.ValidationError({"qty": ["This field is required (or give seat_ids)."]})
        return {"qty": qty, "seat_refs": seat_refs, "waitlist": attrs["waitlist"]}


# Reads `booking.seat_labels` (labels in natural order) and `booking.waitlist_position`
# (1-based or None): the bookings services and selectors set both on every Booking they
# return, with the `event` relation loaded. A plain Serializer, like the event bodies
# (events/api/serializers.py).
class BookingOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    user_id = serializers.IntegerField(read_only=True)
    event_id = serializers.IntegerField(read_only=True)
    qty = serializers.IntegerField(read_only=True)
    status = serializers.ChoiceField(choices=Booking.Status.choices, read_only=True)
    created_at = UTCDateTimeField(read_only=True)
    seat_labels = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="the seats held, in order; empty unless CONFIRMED"
    )
    waitlist_position = serializers.IntegerField(
        read_only=True, allow_null=True, min_value=1, help_text="1-based place in the queue when WAITLISTED, else null"
    )
    event = EventSummarySerializer(read_only=True)


# --- Tickets and check-in ------------------------------------------------------------------


class TicketSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True, help_text="what the door scans (the QR code's content)")
    booking_id = serializers.IntegerField(read_only=True)
    event_id = serializers.IntegerField(read_only=True)
    seat_label = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=Ticket.Status.choices, read_only=True)
    checked_in_at = UTCDateTimeField(read_only=True, allow_null=True, help_text="UTC, while checked_in")


class CheckInInputSerializer(serializers.Serializer):
    # A JSON string only (a number is not a code), trimmed as scanned or typed.
    code = TextField(max_length=64, help_text="the ticket's code, as in its QR code")


class HolderSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)


class CheckInResultSerializer(serializers.Serializer):
    ticket = TicketSerializer(read_only=True)
    booking_id = serializers.IntegerField(read_only=True)
    holder = HolderSerializer(read_only=True)


class UserSummarySerializer(serializers.Serializer):
    """Who holds a booking, as staff see it."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    email = serializers.CharField(read_only=True)


class AdminBookingOutputSerializer(BookingOutputSerializer):
    """GET /admin/bookings items: the Booking body plus its holder (`user`, joined)."""

    user = UserSummarySerializer(read_only=True)


# Reads what bookings.selectors.attendee_list loads: `user`, `seat_labels`, `checked_in_count`.
class AttendeeOutputSerializer(serializers.Serializer):
    booking_id = serializers.IntegerField(source="id", read_only=True)
    user = UserSummarySerializer(read_only=True)
    qty = serializers.IntegerField(read_only=True)
    seat_labels = serializers.ListField(child=serializers.CharField(), read_only=True)
    status = serializers.ChoiceField(choices=Booking.Status.choices, read_only=True)
    checked_in = serializers.SerializerMethodField(help_text="true when any of its tickets is checked in")
    checked_in_count = serializers.IntegerField(read_only=True, help_text="its tickets checked in")
    created_at = UTCDateTimeField(read_only=True)

    def get_checked_in(self, booking: Booking) -> bool:
        return booking.checked_in_count > 0


class AttendeeQuerySerializer(serializers.Serializer):
    format = serializers.ChoiceField(
        choices=[("json", "json"), ("csv", "csv")], required=False, default="json",
        help_text="json (default) or csv (a streamed attachment)",
    )
