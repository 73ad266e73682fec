"""URL converters: an id in a path is 1 to 19 digits, every id a bigint can hold and a few
it cannot. The API's routers use the same pattern as their `lookup_value_regex`
(evently/api/base.py), where an id above the largest bigint becomes an id no row has, so it
is the resource's own 404 ("Event not found"); longer paths match no route (a plain 404)."""

from __future__ import annotations

from django.urls import register_converter


BIGINT_MAX = 2**63 - 1


def no_row_beyond_bigint(value: int) -> int:
    """`value`, or 0 (an id no row has: ids start at 1) when no bigint column can hold it;
    the database would refuse such a value outright (SQLite's driver raises OverflowError)."""
    return value if value <= BIGINT_MAX else 0


def is_row_id(text: str) -> bool:
    """Whether `text` can name a row: ASCII digits a bigint can hold (a selection posted to
    the staff console, where anything else would fail when the database reads it)."""
    return text.isascii() and text.isdigit() and len(text) <= 19 and int(text) <= BIGINT_MAX


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        return no_row_beyond_bigint(int(value))

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")
