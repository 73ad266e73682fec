"""How times and seats read in notifications: in the event's own zone, with the zone named."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from events.calendar import event_zone
from events.models import Event


def local_time(event: Event, moment: datetime) -> str:
    """`Sat 12 Dec 2026, 19:00 (Europe/Paris)`: `moment` in the event's zone."""
    zone = event_zone(event)
    return f"{moment.astimezone(zone):%a %d %b %Y, %H:%M} ({zone.key})"


def when(event: Event) -> str:
    """The event's start and end in its zone, the zone named once."""
    zone = event_zone(event)
    start, end = event.start_time.astimezone(zone), event.end_time.astimezone(zone)
    end_text = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%a %d %b %Y, %H:%M}"
    return f"{start:%a %d %b %Y, %H:%M} – {end_text} ({zone.key})"


def seats_text(qty: int, seat_labels: Sequence[str]) -> str:
    tickets = f"{qty} ticket{'s' if qty != 1 else ''}"
    return f"{tickets}: {', '.join(seat_labels)}" if seat_labels else tickets
