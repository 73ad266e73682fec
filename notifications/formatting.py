"""How times and seats read in notifications: in the event's own zone, with the zone named."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from events.calendar import event_zone, wall_clock
from events.models import Event


def local_time(event: Event, moment: datetime) -> str:
    """`Sat 12 Dec 2026, 19:00 (Europe/Paris)`: `moment` in the event's zone (a time the
    clocks go through twice names its abbreviation: `02:30 CET`, `events.calendar.wall_clock`)."""
    zone = event_zone(event)
    return f"{wall_clock(moment.astimezone(zone), '%a %d %b %Y, %H:%M')} ({zone.key})"


def when(event: Event) -> str:
    """The event's start and end in its zone, the zone named once (a time the clocks go
    through twice names its abbreviation too)."""
    zone = event_zone(event)
    start, end = event.start_time.astimezone(zone), event.end_time.astimezone(zone)
    end_text = wall_clock(end, "%H:%M" if end.date() == start.date() else "%a %d %b %Y, %H:%M")
    return f"{wall_clock(start, '%a %d %b %Y, %H:%M')} – {end_text} ({zone.key})"


def seats_text(qty: int, seat_labels: Sequence[str]) -> str:
    tickets = f"{qty} ticket{'s' if qty != 1 else ''}"
    return f"{tickets}: {', '.join(seat_labels)}" if seat_labels else tickets
