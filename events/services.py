"""Every write to events and seat maps. Inventory changes run inside `locked_event`.

Every service is nestable (plain `transaction.atomic()`): the staff console may wrap a call
in its own atomic block. After each change to an existing event, still under the lock, the
services send `event_inventory_changed` (events/signals.py); the bookings app promotes its
waitlist on it, so any change that lets the queue head fit promotes at once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction

from events.exceptions import (
    CapacityBelowBooked,
    CapacityTooLarge,
    CapacityTooSmall,
    EventChangedMeanwhile,
    EventHasBookings,
    InvalidEventField,
    InvalidEventTimes,
    InvalidSeatGrid,
    SeatMapTooSmall,
    SeatsAlreadyExist,
    UnknownTimezone,
)
from events.locking import locked_event
from events.models import DEFAULT_TIMEZONE, EVENT_TIME_MAX, EVENT_TIME_MIN, Event, Seat, zone_or_none
from events.seating import seat_map_ensure, seat_map_resize, seats_append
from events.signals import event_changed, event_inventory_changed, event_rescheduled
from evently import cache
from evently.signals import send_on_commit

MAX_GRID_ROWS = 702  # A … ZZ
MAX_GRID_COLS = 500
# What `event_check` says of a time outside EVENT_TIME_MIN..EVENT_TIME_MAX (the staff console
# says it too of a typed local time whose instant no datetime can hold).
TIME_RANGE_MESSAGE = (
    f"must be between {EVENT_TIME_MIN.date().isoformat()} and {EVENT_TIME_MAX.date().isoformat()} (UTC)"
)
EDITABLE_FIELDS = ("name", "venue", "start_time", "end_time", "capacity", "status", "timezone")
RESCHEDULE_FIELDS = ("start_time", "end_time", "venue")


def event_check(
    *, start_time: datetime, end_time: datetime, capacity: int, timezone: str = DEFAULT_TIMEZONE
) -> None:
    """The rules every event meets, whoever writes it (API, staff console, commands): both
    times between EVENT_TIME_MIN and EVENT_TIME_MAX, it ends after it starts, 1 ≤ capacity ≤
    EVENT_MAX_CAPACITY, and `timezone` is an IANA zone name known to `zoneinfo`
    ("Europe/Berlin", "UTC"). Returns None.

    Raises InvalidEventField (a time without offset or out of range), InvalidEventTimes, CapacityTooSmall,
    CapacityTooLarge or UnknownTimezone (422, `errors` per field). Needs no lock."""
    if zone_or_none(timezone) is None:
        raise UnknownTimezone(f"unknown time zone {str(timezone)[:64]!r}; use an IANA name such as Europe/Berlin")
    for field, value in (("start_time", start_time), ("end_time", end_time)):
        if value.tzinfo is None or value.utcoffset() is None:  # an instant needs its offset
            raise InvalidEventField("must include a UTC offset (an aware datetime)", field=field)
        if not EVENT_TIME_MIN <= value <= EVENT_TIME_MAX:
            raise InvalidEventField(TIME_RANGE_MESSAGE, field=field)
    if end_time <= start_time:
        raise InvalidEventTimes()
    if capacity < 1:
        raise CapacityTooSmall("capacity must be at least 1")
    if capacity > settings.EVENT_MAX_CAPACITY:
        raise CapacityTooLarge(f"capacity must be at most {settings.EVENT_MAX_CAPACITY}")


def event_create(
    *,
    name: str,
    venue: str,
    start_time: datetime,
    end_time: datetime,
    capacity: int,
    timezone: str = DEFAULT_TIMEZONE,
) -> Event:
    """Create an active event without a seat map (times are instants; `timezone` only says
    how to show them). Returns the saved Event.

    Raises what `event_check` raises. Takes no lock (nobody else can see the row yet)."""
    event_check(start_time=start_time, end_time=end_time, capacity=capacity, timezone=timezone)
    with transaction.atomic():
        event = Event.objects.create(
            name=name, venue=venue, start_time=start_time, end_time=end_time, capacity=capacity,
            timezone=timezone,
        )
        _changed_on_commit(event)
    return event


def event_update(*, event_id: int, shown_updated_at: datetime | None = None, **changes: Any) -> Event:
    """Patch an event (any of EDITABLE_FIELDS; the caller validated each value's type).
    Returns the saved Event.

    `shown_updated_at`: the event's `updated_at` on the view the change was made on (the
    staff console's page, which posts back every field, edited or not); the change is refused
    when the locked row has moved on since, so it cannot silently undo a change made meanwhile.

    Under the event lock: `event_check` on the merged row, capacity ≥ booked_count, the seat
    map resized to the new capacity; then `event_inventory_changed` (the waitlist is promoted
    when the event is active and not ended: a capacity increase, a reactivation, an end moved
    into the future) and, when start_time, end_time or venue changed, `event_rescheduled`.

    Raises EventNotFound (404), EventBusy (503), CapacityBelowBooked (409),
    EventChangedMeanwhile (409) when `updated_at` differs from `shown_updated_at`, what
    `event_check` raises (422), TypeError for a field that is not editable.
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    with locked_event(event_id) as event:
        if shown_updated_at is not None and event.updated_at != shown_updated_at:
            raise EventChangedMeanwhile()
        new_capacity = changes.get("capacity", event.capacity)
        event_check(
            start_time=changes.get("start_time", event.start_time),
            end_time=changes.get("end_time", event.end_time),
            capacity=new_capacity,
            timezone=changes.get("timezone", event.timezone),
        )
        if new_capacity < event.booked_count:
            raise CapacityBelowBooked(new_capacity, event.booked_count)
        rescheduled = {
            field: (getattr(event, field), changes[field])
            for field in RESCHEDULE_FIELDS
            if field in changes and changes[field] != getattr(event, field)
        }
        seat_map_resize(event=event, new_capacity=new_capacity)
        for field, value in changes.items():
            setattr(event, field, value)
        event.save(update_fields=[*changes, "updated_at"])
        event_inventory_changed.send(sender=Event, event=event)
        if rescheduled:
            event_rescheduled.send(sender=Event, event=event, changes=rescheduled)
        _changed_on_commit(event)
    return event


def event_deactivate(*, event_id: int) -> Event:
    """`event_update(status=inactive)`: same return, errors and lock."""
    return event_update(event_id=event_id, status=Event.Status.INACTIVE)


def event_activate(*, event_id: int) -> Event:
    """`event_update(status=active)`: same return, errors and lock (promotes the waitlist)."""
    return event_update(event_id=event_id, status=Event.Status.ACTIVE)


def event_delete(*, event_id: int) -> None:
    """Delete an event that has never had a booking (any status), under its lock.

    Raises EventNotFound (404), EventBusy (503), EventHasBookings (409)."""
    with locked_event(event_id) as event:
        if event.bookings.exists():
            raise EventHasBookings()
        event_pk = event.pk
        event.delete()  # clears event.pk
        cache.invalidate_on_commit(cache.CATALOGUE)
        send_on_commit(event_changed, sender=Event, event_id=event_pk)


def seat_map_generate(*, event_id: int, rows: int, cols: int) -> tuple[Event, int]:
    """Create a rows × cols seat grid for an event without seats; capacity becomes rows×cols.
    Returns (event, seats created). Under the event lock; sends `event_inventory_changed`
    (more room promotes the waitlist).

    Raises InvalidSeatGrid or CapacityTooLarge (422) before locking; EventNotFound (404),
    EventBusy (503), SeatsAlreadyExist (409), SeatMapTooSmall (409) under the lock.
    """
    if not (1 <= rows <= MAX_GRID_ROWS and 1 <= cols <= MAX_GRID_COLS):
        raise InvalidSeatGrid(
            f"rows must be 1–{MAX_GRID_ROWS} and cols 1–{MAX_GRID_COLS} (got {rows} × {cols})"
        )
    total = rows * cols
    if total > settings.EVENT_MAX_CAPACITY:
        raise CapacityTooLarge(
            f"rows × cols = {total} exceeds the maximum capacity {settings.EVENT_MAX_CAPACITY}",
            field="rows",
        )
    with locked_event(event_id) as event:
        if event.has_seat_map or Seat.objects.filter(event=event).exists():
            raise SeatsAlreadyExist()
        if total < event.booked_count:
            raise SeatMapTooSmall(
                f"rows × cols = {total} is less than the {event.booked_count} seats booked"
            )
        created = seats_append(event=event, count=total, cols=cols)
        event.capacity, event.seat_cols = total, cols
        event.save(update_fields=["capacity", "seat_cols", "updated_at"])
        event_inventory_changed.send(sender=Event, event=event)
        _changed_on_commit(event)
    return event, created


def seat_map_generate_default(*, event_id: int) -> Event:
    """The grid a first booking would create (10 per row, capacity unchanged), made now under
    the event lock. Returns the Event. Raises EventNotFound, EventBusy, SeatsAlreadyExist."""
    with locked_event(event_id) as event:
        if event.has_seat_map or Seat.objects.filter(event=event).exists():
            raise SeatsAlreadyExist()
        seat_map_ensure(event=event)
        event_inventory_changed.send(sender=Event, event=event)
        _changed_on_commit(event)
    return event


def _changed_on_commit(event: Event) -> None:
    """After commit: the catalogue's pages are stale, and apps above hear of the change."""
    cache.invalidate_on_commit(cache.CATALOGUE)
    send_on_commit(event_changed, sender=Event, event_id=event.pk)
