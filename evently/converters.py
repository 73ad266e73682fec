"""URL converters: an id in a path is a positive integer the database can hold, so an
absurd one is a clean 404 instead of an out-of-range database error. The API's routers use
the same pattern as their `lookup_value_regex` (evently/api/base.py)."""

from __future__ import annotations

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")
