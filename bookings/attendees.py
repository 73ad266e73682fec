"""The attendee list as CSV, streamed: one definition, used by GET
/admin/events/{id}/attendees?format=csv and by the staff console's "Export attendees (CSV)"
action on events (bookings/admin.py attaches it; events cannot import bookings).

Constant memory whatever the size: the selector's queryset is walked with
`iterator(chunk_size=...)` (bookings and their prefetched tickets per chunk) and each row is
written as soon as it is made. Cells are formula-injection safe (API.md "Organizer tools")."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse

from bookings import selectors
from bookings.models import Booking
from events.models import Event
from evently.api.fields import utc_iso

CHUNK_SIZE = 2000
HEADER = (
    "booking_id", "user_id", "user_name", "user_email", "qty", "seat_labels", "status",
    "checked_in", "checked_in_count", "created_at",
)
# A spreadsheet runs a cell that starts with one of these as a formula (or DDE command).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """`value` as CSV text, with a leading `'` when it starts like a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def attendee_row(booking: Booking) -> list[str]:
    """One booking of `selectors.attendee_list` as the CSV's cells (HEADER order)."""
    checked_in = booking.checked_in_count
    return [
        safe_cell(cell)
        for cell in (
            booking.id, booking.user.id, booking.user.name, booking.user.email, booking.qty,
            " ".join(booking.seat_labels), booking.status, "true" if checked_in else "false",
            checked_in, utc_iso(booking.created_at),
        )
    ]


class _Line:
    """A file-like sink for csv.writer that hands back what it was given."""

    def write(self, text: str) -> str:
        return text


def attendee_csv_lines(bookings: Iterable[Booking]) -> Iterator[str]:
    """The header, then one CSV line per booking (the csv module quotes what needs it)."""
    writer = csv.writer(_Line())
    yield writer.writerow(HEADER)
    for booking in bookings:
        yield writer.writerow(attendee_row(booking))


def attendee_csv_response(*, event_id: int) -> StreamingHttpResponse:
    """A streamed `text/csv; charset=utf-8` attachment of the event's attendees.

    Raises EventNotFound (404) before anything is sent for an unknown event. No lock."""
    bookings = selectors.attendee_list(event_id=event_id)  # raises before streaming starts
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in attendee_csv_lines(bookings.iterator(chunk_size=CHUNK_SIZE))),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="event-{event_id}-attendees.csv"'
    return response


@admin.action(description="Export attendees (CSV)")
def export_attendees_csv(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Event]) -> HttpResponse | None:
    """Staff console action on events: the attendee CSV of the one selected event (the API's
    generator and response). More than one selected → an error message, nothing sent."""
    event_ids = list(queryset.values_list("id", flat=True)[:2])
    if len(event_ids) != 1:
        modeladmin.message_user(request, "Select exactly one event to export its attendees.", messages.ERROR)
        return None
    return attendee_csv_response(event_id=event_ids[0])
