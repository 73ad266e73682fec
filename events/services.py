"""Every write to events and seat maps. Inventory changes run inside `locked_event`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction

from events import hooks
from events.exceptions import (
    CapacityBelowBooked,
    CapacityTooLarge,
    EventHasBookings,
    InvalidEventTimes,
    InvalidSeatGrid,
    SeatMapTooSmall,
    SeatsAlreadyExist,
)
from events.locking import locked_event
from events.models import Event, Seat
from events.signals import event_changed
from evently import cache
from evently.signals import send_on_commit
from events.seating import seat_map_ensure, seat_map_resize, seats_append

MAX_GRID_ROWS = 702  # A … ZZ
MAX_GRID_COLS = 500
EDITABLE_FIELDS = ("name", "venue", "start_time", "end_time", "capacity", "status")


def event_check(*, start_time: datetime, end_time: datetime, capacity: int) -> None:
    """The rules every event meets, whoever writes it (API, staff console, commands):
    it ends after it starts, and its capacity is at most EVENT_MAX_CAPACITY."""
    if end_time <= start_time:
        raise InvalidEventTimes()
    if capacity > settings.EVENT_MAX_CAPACITY:
        raise CapacityTooLarge(f"capacity must be at most {settings.EVENT_MAX_CAPACITY}")


def event_create(
    *, name: str, venue: str, start_time: datetime, end_time: datetime, capacity: int
) -> Event:
    event_check(start_time=start_time, end_time=end_time, capacity=capacity)
    with transaction.atomic():
        event = Event.objects.create(
            name=name, venue=venue, start_time=start_time, end_time=end_time, capacity=capacity
        )
        _changed_on_commit(event)
    return event


def event_update(*, event_id: int, **changes: Any) -> Event:
    """Patch an event. The caller validated each field; `event_check` on the merged row and
    capacity against bookings are checked here, under the lock.

    A capacity change resizes the seat map; more room or a reactivation promotes the waitlist.
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    with locked_event(event_id) as event:
        old_capacity, was_active = event.capacity, event.is_active
        new_capacity = changes.get("capacity", old_capacity)
        event_check(
            start_time=changes.get("start_time", event.start_time),
            end_time=changes.get("end_time", event.end_time),
            capacity=new_capacity,
        )
        if new_capacity < event.booked_count:
            raise CapacityBelowBooked(new_capacity, event.booked_count)
        seat_map_resize(event=event, new_capacity=new_capacity)
        for field, value in changes.items():
            setattr(event, field, value)
        event.save(update_fields=[*changes, "updated_at"])
        if event.is_active and (new_capacity > old_capacity or not was_active):
            hooks.capacity_available(event=event)
        _changed_on_commit(event)
    return event


def event_deactivate(*, event_id: int) -> Event:
    return event_update(event_id=event_id, status=Event.Status.INACTIVE)


def event_activate(*, event_id: int) -> Event:
    return event_update(event_id=event_id, status=Event.Status.ACTIVE)


def event_delete(*, event_id: int) -> None:
    """Delete an event that has never had a booking (any status); else 409."""
    with locked_event(event_id) as event:
        if event.bookings.exists():
            raise EventHasBookings()
        event.delete()
        _changed_on_commit(event)


def seat_map_generate(*, event_id: int, rows: int, cols: int) -> tuple[Event, int]:
    """Create a rows × cols seat grid for an event without seats; capacity becomes rows×cols.

    Returns (event, seats created).
    """
    if not (1 <= rows <= MAX_GRID_ROWS and 1 <= cols <= MAX_GRID_COLS):
        raise InvalidSeatGrid(
            f"rows must be 1–{MAX_GRID_ROWS} and cols 1–{MAX_GRID_COLS} (got {rows} × {cols})"
        )
    total = rows * cols
    if total > settings.EVENT_MAX_CAPACITY:
        raise CapacityTooLarge(
            f"rows × cols = {total} exceeds the maximum capacity {settings.EVENT_MAX_CAPACITY}"
        )
    with locked_event(event_id) as event:
        if event.has_seat_map or Seat.objects.filter(event=event).exists():
            raise SeatsAlreadyExist()
        if total < event.booked_count:
            raise SeatMapTooSmall(
                f"rows × cols = {total} is less than the {event.booked_count} seats booked"
            )
        old_capacity = event.capacity
        created = seats_append(event=event, count=total, cols=cols)
        event.capacity, event.seat_cols = total, cols
        event.save(update_fields=["capacity", "seat_cols", "updated_at"])
        if event.is_active and total > old_capacity:
            hooks.capacity_available(event=event)
        _changed_on_commit(event)
    return event, created


def seat_map_generate_default(*, event_id: int) -> Event:
    """The grid a first booking would create (10 per row, capacity unchanged), made now."""
    with locked_event(event_id) as event:
        if event.has_seat_map or Seat.objects.filter(event=event).exists():
            raise SeatsAlreadyExist()
        seat_map_ensure(event=event)
    return event


def _changed_on_commit(event: Event) -> None:
    """After commit: the catalogue's pages are stale, and apps above hear of the change."""
    cache.invalidate_on_commit(cache.CATALOGUE)
    send_on_commit(event_changed, sender=Event, event_id=event.pk)
