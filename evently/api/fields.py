"""Serializer fields shared by the apps."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone as dt_timezone
from typing import Any

from django.utils.dateparse import parse_date
from rest_framework import serializers


def utc_iso(value: datetime | None) -> str | None:
    """A stored (aware) datetime as the API writes it: ISO 8601 in UTC with `Z`, exactly as
    `UTCDateTimeField` renders it (the output serializers' fast paths use this)."""
    if value is None:
        return None
    text = value.astimezone(dt_timezone.utc).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class UTCDateTimeField(serializers.DateTimeField):
    """ISO 8601 in; `Z`, an offset or no zone (taken as UTC). Out-of-range values are a
    validation error, never an overflow."""

    def to_internal_value(self, value: Any) -> datetime:
        if not isinstance(value, str):
            self.fail("invalid", format="ISO 8601")
        try:
            return super().to_internal_value(value)
        except (OverflowError, ValueError):
            self.fail("invalid", format="ISO 8601")


class DateOrDateTimeField(serializers.Field):
    """A query bound: `2030-01-01` (a whole UTC day) or a full ISO 8601 datetime.

    Returns (moment, is_date): for a date-only upper bound the caller compares with `<` the
    next midnight, so the whole day is included.
    """

    default_error_messages = {"invalid": "Must be an ISO 8601 date or datetime."}

    def __init__(self, *, upper: bool = False, **kwargs: Any) -> None:
        self.upper = upper
        super().__init__(**kwargs)

    def to_internal_value(self, value: Any) -> tuple[datetime, bool]:
        if not isinstance(value, str) or not value.strip():
            self.fail("invalid")
        value = value.strip()
        try:
            day: date | None = parse_date(value)
        except ValueError:
            self.fail("invalid")
        if day is not None:
            try:
                moment = datetime.combine(day, time.min, tzinfo=dt_timezone.utc)
                if self.upper:
                    moment += timedelta(days=1)
            except OverflowError:
                self.fail("invalid")
            return moment, True
        field = UTCDateTimeField()
        try:
            return field.to_internal_value(value), False
        except serializers.ValidationError:
            self.fail("invalid")

    def to_representation(self, value: Any) -> Any:
        return value
