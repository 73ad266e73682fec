"""An event as an iCalendar file (RFC 5545): attached to booking emails, and reusable for
GET /events/{id}/calendar.ics."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timezone as dt_timezone
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as ICalEvent

from events.models import Event


def event_zone(event: Event) -> ZoneInfo:
    """The event's IANA zone: `Event.timezone` once the model has it, UTC until then (or
    when it is empty or unknown)."""
    name = getattr(event, "timezone", "UTC") or "UTC"
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        return ZoneInfo("UTC")


def event_ics(event: Event, *, seat_labels: Sequence[str] | None = None) -> bytes:
    """A VCALENDAR with one VEVENT for `event`, UTF-8 bytes. DTSTART/DTEND are UTC; the
    event's zone is named in X-WR-TIMEZONE and in the description. The UID is stable per
    event, so a calendar updates the entry when a changed event is imported again."""
    zone = event_zone(event)
    cal = Calendar()
    cal.add("prodid", "-//Evently//Tickets//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-timezone", zone.key)
    vevent = ICalEvent()
    vevent.add("uid", f"event-{event.pk}@evently")
    vevent.add("dtstamp", timezone.now().astimezone(dt_timezone.utc))
    vevent.add("dtstart", event.start_time.astimezone(dt_timezone.utc))
    vevent.add("dtend", event.end_time.astimezone(dt_timezone.utc))
    vevent.add("summary", event.name)
    vevent.add("location", event.venue)
    local_start = event.start_time.astimezone(zone)
    lines = [f"{event.name} at {event.venue}", f"Starts {local_start:%Y-%m-%d %H:%M} ({zone.key})"]
    if seat_labels:
        lines.append("Seats: " + ", ".join(seat_labels))
    vevent.add("description", "\n".join(lines))
    vevent.add("url", f"{settings.WEB_APP_URL}/app/events/{event.pk}")
    vevent.add("status", "CONFIRMED" if event.is_active else "CANCELLED")
    cal.add_component(vevent)
    return cal.to_ical()
