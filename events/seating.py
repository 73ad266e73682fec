"""Seat-grid geometry and writes. Callers hold the event row lock (events.locking)."""

from __future__ import annotations

from collections.abc import Iterator

from events.locking import assert_locked
from events.models import Event, Seat

DEFAULT_SEATS_PER_ROW = 10
BULK_BATCH_SIZE = 5000


def row_label(row_index: int) -> str:
    """0 → A, 25 → Z, 26 → AA, 27 → AB, 701 → ZZ (bijective base 26)."""
    if row_index < 0:
        raise ValueError("row_index must be >= 0")
    label = ""
    n = row_index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        label = chr(ord("A") + rem) + label
    return label


def row_index(label: str) -> int:
    """Inverse of row_label: A → 0, AA → 26."""
    n = 0
    for char in label:
        if not "A" <= char <= "Z":
            raise ValueError(f"not a row label: {label!r}")
        n = n * 26 + (ord(char) - ord("A") + 1)
    return n - 1


def _positions(count: int, cols: int, *, after: tuple[int, int] | None) -> Iterator[tuple[int, int]]:
    """`count` grid positions (row_index, col_number) continuing after `after`."""
    row, col = (0, 0) if after is None else after
    for _ in range(count):
        col += 1
        if col > cols:
            row, col = row + 1, 1
        yield row, col


def seats_append(*, event: Event, count: int, cols: int) -> int:
    """Append `count` seats to the event's grid of `cols` per row, after its last seat.

    Caller holds the event lock. Returns the number created.
    """
    assert_locked(event)
    last = (
        Seat.objects.filter(event=event)
        .order_by("-row_index", "-col_number")
        .values_list("row_index", "col_number")
        .first()
    )
    batch: list[Seat] = []
    for r, c in _positions(count, cols, after=last):
        label = row_label(r)
        batch.append(
            Seat(event=event, label=f"{label}-{c}", row_label=label, row_index=r, col_number=c)
        )
        if len(batch) >= BULK_BATCH_SIZE:
            Seat.objects.bulk_create(batch)
            batch = []
    if batch:
        Seat.objects.bulk_create(batch)
    return count


def seats_trim(*, event: Event, count: int) -> int:
    """Remove `count` free seats from the end of the natural order. Caller holds the lock
    and has checked that enough seats are free (capacity never drops below booked)."""
    assert_locked(event)
    ids = list(
        Seat.objects.filter(event=event)
        .free()
        .order_by("-row_index", "-col_number")
        .values_list("id", flat=True)[:count]
    )
    Seat.objects.filter(id__in=ids).delete()
    return len(ids)


def seat_map_ensure(*, event: Event) -> None:
    """Give an event without seats its default grid (10 per row) sized to its capacity.
    Runs inside the booking's transaction; caller holds the event lock."""
    assert_locked(event)
    if event.has_seat_map:
        return
    seats_append(event=event, count=event.capacity, cols=DEFAULT_SEATS_PER_ROW)
    event.seat_cols = DEFAULT_SEATS_PER_ROW
    Event.objects.filter(pk=event.pk).update(seat_cols=DEFAULT_SEATS_PER_ROW)


def seat_map_resize(*, event: Event, new_capacity: int) -> None:
    """Grow or shrink an existing seat map to `new_capacity` seats. Caller holds the lock."""
    assert_locked(event)
    if not event.has_seat_map or new_capacity == event.capacity:
        return
    if new_capacity > event.capacity:
        seats_append(event=event, count=new_capacity - event.capacity, cols=event.seat_cols or DEFAULT_SEATS_PER_ROW)
    else:
        seats_trim(event=event, count=event.capacity - new_capacity)
