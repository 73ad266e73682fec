"""Serializer fields shared by the apps, and the one rule for integers in a query string
(a serializer field for the pagination parameters, a form field for django-filter's)."""

from __future__ import annotations

import re
from datetime import datetime, timezone as dt_timezone
from typing import Any

from django import forms
from rest_framework import serializers

from evently.text import strip_invisible


def utc_iso(value: datetime | None) -> str | None:
    """A stored (aware) datetime as the API writes it: ISO 8601 in UTC with `Z`, exactly as
    `UTCDateTimeField` renders it (the output serializers' fast paths use this)."""
    if value is None:
        return None
    text = value.astimezone(dt_timezone.utc).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class TextField(serializers.CharField):
    """Every text field of the API: a JSON string only (DRF's CharField would turn a number
    or a boolean into text, `1e309` into "inf"). Unless blank is allowed, a value that is
    empty after trimming whitespace *and* invisible characters (a name of only "\u200b" or
    "\ufeff") is blank (422) like one of only spaces; a non-blank value is kept as DRF
    keeps it (whitespace trimmed). With `trim_whitespace=False` (passwords) the value is
    taken exactly as sent: only the string rule applies."""

    # Its own key: subclasses keep their "invalid" (EmailField's "Enter a valid email address.").
    default_error_messages = {"not_a_string": "Must be a string."}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("not_a_string")
        return super().to_internal_value(data)

    def run_validation(self, data: Any = serializers.empty) -> Any:
        # Secrets (trim_whitespace=False: passwords) are taken as typed: only the type rule.
        if isinstance(data, str) and self.trim_whitespace and not self.allow_blank and strip_invisible(data) == "":
            self.fail("blank")
        return super().run_validation(data)


class JSONIntegerField(serializers.IntegerField):
    """An integer of a JSON body: a JSON integer only. DRF's IntegerField would also take
    `"2"`, `2.0` and `"2.0"`; the contract's "wrong type → 422" refuses them, as TextField
    refuses a number where text is wanted. (Query parameters, which are always strings,
    use QueryIntegerField.)"""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


# An integer in a query string: ASCII digits with an optional sign, nothing else. Python's int(),
# behind DRF's and Django's IntegerField, also takes "2.0", " 2", "1_0" and other scripts'
# digits ("٢", fullwidth "２"): each is a different spelling a cache or a log would treat as
# another query, so each is a 422 (docs/DECISIONS.md).
QUERY_INTEGER = re.compile(r"[+-]?[0-9]+")


def _is_query_integer(value: Any) -> bool:
    return isinstance(value, int) or (isinstance(value, str) and QUERY_INTEGER.fullmatch(value) is not None)


class QueryIntegerField(serializers.IntegerField):
    """An integer query parameter (`?page=2`): ASCII digits with an optional sign only;
    anything else is DRF's "A valid integer is required." (422). Ranges as IntegerField."""

    def to_internal_value(self, data: Any) -> int:
        if not _is_query_integer(data):
            self.fail("invalid")
        return super().to_internal_value(data)


class QueryIntegerFormField(forms.IntegerField):
    """The same rule for a django-filter parameter (`?event_id=7`): ASCII digits with an
    optional sign, else Django's "Enter a whole number." (422)."""

    def to_python(self, value: Any) -> int | None:
        if value not in self.empty_values and not _is_query_integer(value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class JSONBooleanField(serializers.BooleanField):
    """A boolean of a JSON body: `true` or `false` only (DRF's BooleanField would also take
    `"yes"`, `"off"`, `1`, `"t"`...). Query parameters keep DRF's BooleanField."""

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class EmailTextField(TextField, serializers.EmailField):
    """An email address, as a JSON string only. Where an account gets the address (signup,
    POST /admin/users), add `accounts.validators.validate_account_email`. An address that
    fails both that and the email check is told so once, not twice."""

    def run_validators(self, value: Any) -> None:
        try:
            super().run_validators(value)
        except serializers.ValidationError as exc:
            if not isinstance(exc.detail, list):
                raise
            raise serializers.ValidationError(list(dict.fromkeys(exc.detail))) from None


class UTCDateTimeField(serializers.DateTimeField):
    """ISO 8601 in (ASCII only); `Z`, an offset or no zone (taken as UTC). Out-of-range
    values are a validation error, never an overflow."""

    def to_internal_value(self, value: Any) -> datetime:
        # ISO 8601 is written in ASCII digits; Django's parser also reads fullwidth or
        # Arabic-Indic ones ("\uff12031-05-01T19:00Z" as 2031), a different spelling of a time.
        if not isinstance(value, str) or not value.isascii():
            self.fail("invalid", format="ISO 8601")
        try:
            return super().to_internal_value(value)
        except (OverflowError, ValueError):
            self.fail("invalid", format="ISO 8601")
