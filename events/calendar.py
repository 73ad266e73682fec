"""iCalendar (.ics) files of events, made with the `icalendar` package."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timezone as dt_timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from icalendar import Calendar, Event as VEvent

from events.models import Event

PRODID = "-//Evently//Tickets//EN"


def event_zone_name(event: Event) -> str:
    """The event's IANA time zone name ("UTC" when the Event has none, or an unknown one)."""
    name = getattr(event, "timezone", None) or "UTC"
    try:
        ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        return "UTC"
    return str(name)


def event_ics(*, event: Event, seat_labels: Sequence[str] = (), uid_suffix: str = "") -> bytes:
    """One VCALENDAR with one VEVENT of `event`, as bytes (CRLF lines, UTF-8).

    DTSTART/DTEND are UTC (`...Z`); the event's zone is named in X-WR-TIMEZONE and in the
    description so a calendar can show local times. `seat_labels`, when given, are listed in
    the summary's description (a booking's file). `uid_suffix` makes the UID of a booking's
    entry differ from the public one (so both can sit in one calendar). Raises nothing."""
    zone = event_zone_name(event)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-timezone", zone)
    entry = VEvent()
    entry.add("uid", f"event-{event.pk}{uid_suffix}@evently")
    entry.add("dtstamp", event.updated_at.astimezone(dt_timezone.utc))
    entry.add("dtstart", event.start_time.astimezone(dt_timezone.utc))
    entry.add("dtend", event.end_time.astimezone(dt_timezone.utc))
    entry.add("summary", event.name)
    entry.add("location", event.venue)
    local = event.start_time.astimezone(ZoneInfo(zone))
    lines = [f"Starts {local:%Y-%m-%d %H:%M} ({zone})."]
    if seat_labels:
        lines.append(f"Seats: {', '.join(seat_labels)}")
    entry.add("description", "\n".join(lines))
    base = getattr(settings, "WEB_APP_URL", "").rstrip("/")
    if base:
        entry.add("url", f"{base}/app/events/{event.pk}")
    if seat_labels:
        entry.add("x-evently-seats", ", ".join(seat_labels))
    calendar.add_component(entry)
    return calendar.to_ical()
