from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bookings.models import Booking
from events.api.serializers import EventSummarySerializer, event_summary
from evently.api.fields import UTCDateTimeField, utc_iso

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
    qty = serializers.IntegerField(min_value=1, required=False)
    quantity = serializers.IntegerField(min_value=1, required=False, help_text="alias of qty")
    seat_ids = serializers.ListField(child=SeatRefField(), required=False, allow_null=True)
    waitlist = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        max_qty = settings.BOOKING_MAX_QTY
        qty, alias = attrs.get("qty"), attrs.get("quantity")
        if qty is not None and alias is not None and qty != alias:
            raise serializers.ValidationError({"quantity": ["qty and quantity disagree."]})
        qty = qty if qty is not None else alias
        seat_refs = tuple(attrs.get("seat_ids") or ())
        if seat_refs:
            duplicates = sorted({str(r) for r in seat_refs if seat_refs.count(r) > 1})
            if duplicates:
                raise serializers.ValidationError(
                    {"seat_ids": [f"duplicate seats: {', '.join(duplicates)}"]}
                )
            if qty is not None and qty != len(seat_refs):
                raise serializers.ValidationError(
                    {"qty": [f"qty ({qty}) must equal the number of seat_ids ({len(seat_refs)})."]}
                )
            qty = len(seat_refs)
        if qty is None:
            raise serializers.ValidationError({"qty": ["This field is required (or give seat_ids)."]})
        if qty > max_qty:
            field = "seat_ids" if seat_refs else "qty"
            raise serializers.ValidationError(
                {field: [f"At most {max_qty} tickets per booking."]}
            )
        return {"qty": qty, "seat_refs": seat_refs, "waitlist": attrs["waitlist"]}


class BookingOutputSerializer(serializers.ModelSerializer):
    user_id = serializers.IntegerField()
    event_id = serializers.IntegerField()
    created_at = UTCDateTimeField()
    seat_labels = serializers.SerializerMethodField()
    waitlist_position = serializers.SerializerMethodField()
    event = EventSummarySerializer()

    class Meta:
        model = Booking
        fields = [
            "id", "user_id", "event_id", "qty", "status", "created_at", "seat_labels",
            "waitlist_position", "event",
        ]

    def to_representation(self, booking: Booking) -> dict[str, Any]:
        # Built directly, like the event serializers (see events/api/serializers.py).
        return {
            "id": booking.id,
            "user_id": booking.user_id,
            "event_id": booking.event_id,
            "qty": booking.qty,
            "status": str(booking.status),
            "created_at": utc_iso(booking.created_at),
            "seat_labels": self.get_seat_labels(booking),
            "waitlist_position": self.get_waitlist_position(booking),
            "event": event_summary(booking.event),
        }

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_seat_labels(self, booking: Booking) -> list[str]:
        if booking.status != Booking.Status.CONFIRMED:
            return []
        labels = getattr(booking, "seat_labels", None)
        if labels is not None:
            return list(labels)
        return [seat.label for seat in booking.seats.all()]  # prefetched in natural order

    @extend_schema_field(serializers.IntegerField(allow_null=True, min_value=1))
    def get_waitlist_position(self, booking: Booking) -> int | None:
        if booking.status != Booking.Status.WAITLISTED:
            return None
        return getattr(booking, "waitlist_position", None)


class AdminBookingQuerySerializer(serializers.Serializer):
    event_id = serializers.IntegerField(min_value=1, max_value=MAX_DB_ID, required=False)
    user_id = serializers.IntegerField(min_value=1, max_value=MAX_DB_ID, required=False)
    status = serializers.ChoiceField(choices=Booking.Status.choices, required=False)
    limit = serializers.IntegerField(min_value=1, max_value=1000, default=100)
    offset = serializers.IntegerField(min_value=0, max_value=MAX_DB_ID, default=0)
