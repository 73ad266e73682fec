"""iCalendar (.ics) files of events (RFC 5545), made with the `icalendar` package: served at
GET /events/{id}/calendar.ics and /me/bookings/{id}/calendar.ics, and attached to booking
emails."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timezone as dt_timezone
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar
from icalendar import Event as VEvent
from icalendar import vText

from events.models import Event

PRODID = "-//Evently//Tickets//EN"
# The iTIP method of every file (RFC 5546): an email part carrying one names it too (RFC 6047).
METHOD = "PUBLISH"

# RFC 5545 3.3.11: CONTROL characters other than HTAB may not appear in a TEXT value; a line
# break is written as the escape `\n`.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_CONTROL_BUT_TAB_AND_LF = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class _Text(vText):
    """TEXT escaped exactly as RFC 5545 says: backslash, semicolon, comma, line breaks.
    icalendar's own escaping first reads a literal `\\N` as a line break (its shorthand),
    so an event named `C:\\New` came back as "C:", a line break and "ew"."""

    def to_ical(self) -> bytes:
        text = str(self).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        return _LINE_BREAK.sub(r"\\n", text).encode(self.encoding)


def _text(value: str) -> _Text:
    """`value` as a TEXT property value: line breaks (CRLF, CR or LF) kept, other CONTROL
    characters but HTAB (which an event's name or venue may hold) dropped."""
    return _Text(_CONTROL_BUT_TAB_AND_LF.sub("", _LINE_BREAK.sub("\n", value)))


def event_zone(event: Event) -> ZoneInfo:
    """The event's IANA zone (`Event.timezone`); UTC when it is empty or unknown."""
    name = event.timezone or "UTC"
    try:
        return ZoneInfo(str(name))
    except (ValueError, KeyError, OSError):
        return ZoneInfo("UTC")


def wall_clock(local: datetime, fmt: str) -> str:
    """`local` (a time already in its zone) formatted with `fmt`, plus the zone's abbreviation
    when that wall-clock time happens twice (the hour the clocks go back: 02:30 in Berlin on
    an October night is "02:30 CEST" or "02:30 CET"); any other time as `fmt` alone."""
    text = f"{local:{fmt}}"
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        text += f" {local:%Z}"
    return text


def event_ics(
    event: Event,
    *,
    seat_labels: Sequence[str] | None = None,
    uid_suffix: str = "",
    status: str | None = None,
    modified_at: datetime | None = None,
) -> bytes:
    """One VCALENDAR with one VEVENT of `event`, as bytes (CRLF lines, UTF-8).

    DTSTART/DTEND are UTC (`...Z`); the event's zone is named in X-WR-TIMEZONE and in the
    description, so a calendar can show local times. `seat_labels`, when given, are listed in
    the description (a booking's file). The UID is stable per event (plus `uid_suffix`, which
    lets a booking's entry sit beside the public one), so importing a changed event again
    updates the entry. STATUS is CANCELLED for an inactive event, else `status` when given
    (RFC 5545: "CONFIRMED", "TENTATIVE" or "CANCELLED", e.g. a booking's own state), else
    CONFIRMED. DTSTAMP and LAST-MODIFIED are the last change of what the file describes (the
    event's `updated_at`, or `modified_at` when later: a booking's own change), and SEQUENCE
    grows with it (whole seconds from the event's creation to that change), so a calendar
    that imports the file again takes a cancellation or a move as the newer version.
    Raises nothing."""
    zone = event_zone(event)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", METHOD)
    calendar.add("x-wr-timezone", zone.key)
    entry = VEvent()
    entry.add("uid", f"event-{event.pk}{uid_suffix}@evently")
    changed = max(event.updated_at, modified_at) if modified_at is not None else event.updated_at
    entry.add("dtstamp", changed.astimezone(dt_timezone.utc))
    entry.add("last-modified", changed.astimezone(dt_timezone.utc))
    entry.add("sequence", max(0, int((changed - event.created_at).total_seconds())))
    entry.add("dtstart", event.start_time.astimezone(dt_timezone.utc))
    entry.add("dtend", event.end_time.astimezone(dt_timezone.utc))
    entry.add("summary", _text(event.name))
    entry.add("location", _text(event.venue))
    local = event.start_time.astimezone(zone)
    lines = [f"{event.name} at {event.venue}", f"Starts {wall_clock(local, '%Y-%m-%d %H:%M')} ({zone.key})."]
    if seat_labels:
        lines.append(f"Seats: {', '.join(seat_labels)}")
        # TEXT, escaped as RFC 5545 says (icalendar leaves an unknown X- property raw).
        entry.add("x-evently-seats", _text(", ".join(seat_labels)))
    entry.add("description", _text("\n".join(lines)))
    base = settings.WEB_APP_URL.rstrip("/")
    entry.add("url", f"{base}/app/events/{event.pk}")
    entry.add("status", (status or "CONFIRMED") if event.is_active else "CANCELLED")
    calendar.add_component(entry)
    return calendar.to_ical()
