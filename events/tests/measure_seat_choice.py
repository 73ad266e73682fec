"""Measure best available on a 20,000-seat map with 15,000 sold (docs/PERFORMANCE.md).

Not a test (pytest collects test_*.py only). Against a migrated PostgreSQL database:

    DATABASE_URL=postgres://…/evently_x .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://…/evently_x .venv/bin/python -m events.tests.measure_seat_choice

Three fragmented patterns, 15,000 of 20,000 (100 rows × 200) seats reserved:
- `random`: each seat sold with probability 3/4 (seeded), runs of 4 free seats are rare;
- `late`: rows A…CR keep free seats only in runs of 1 (every 4th seat), the last 10 rows
  have a run of 5 free seats in every 20, so a party of 4 finds its run in row CM (the 91st);
- `none`: every 4th seat free, no row has 2 adjacent free seats (full scan, then the old rule).
For each: the median of 31 seat choices (qty 4, under the event lock, rolled back) and of
31 whole bookings through `booking_create` (committed; each takes 4 more seats).
"""

from __future__ import annotations

import os
import random
import statistics
import time
import uuid

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "evently.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.models import F  # noqa: E402

from accounts.models import User  # noqa: E402
from bookings.services import BookingRequest, booking_create  # noqa: E402
from events.locking import locked_event  # noqa: E402
from events.models import Event, Seat  # noqa: E402
from events.services import event_create, seat_map_generate  # noqa: E402
from django.utils import timezone  # noqa: E402
from datetime import timedelta  # noqa: E402

ROWS, COLS, SOLD, RUNS = 100, 200, 15_000, 31


def sold_positions(pattern: str) -> list[tuple[int, int]]:
    cells = [(r, c) for r in range(ROWS) for c in range(1, COLS + 1)]
    if pattern == "random":
        rng = random.Random(15)
        return rng.sample(cells, SOLD)
    if pattern == "none":
        return [(r, c) for r, c in cells if c % 4 != 0]
    # late: rows 0..89 every 4th seat free; rows 90..99 a run of 5 free in every 20
    sold = [(r, c) for r, c in cells if r < 90 and c % 4 != 0]
    sold += [(r, c) for r, c in cells if r >= 90 and ((c - 1) // 5) % 4 != 0]
    return sold


def setup(pattern: str) -> Event:
    start = timezone.now() + timedelta(days=30)
    event = event_create(name=f"measure {pattern}", venue="bench", start_time=start,
                         end_time=start + timedelta(hours=3), capacity=1)
    seat_map_generate(event_id=event.id, rows=ROWS, cols=COLS)
    sold = sold_positions(pattern)
    by_row: dict[int, list[int]] = {}
    for r, c in sold:
        by_row.setdefault(r, []).append(c)
    for r, cols in by_row.items():
        Seat.objects.filter(event=event, row_index=r, col_number__in=cols).update(reserved=True)
    Event.objects.filter(pk=event.pk).update(booked_count=len(sold))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE events_seat")  # steady state: autovacuum has run
    return event


def measure(pattern: str) -> None:
    event = setup(pattern)
    choice, walk = [], []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        list(Seat.objects.first_free(event_id=event.id, count=4).values_list("id", "label"))
        walk.append(time.perf_counter() - t0)
        with transaction.atomic():
            with locked_event(event.id):
                t0 = time.perf_counter()
                seats = Seat.objects.best_available(event_id=event.id, count=4)
                choice.append(time.perf_counter() - t0)
                transaction.set_rollback(True)
    user = User.objects.create(name="bench", email=f"bench-{uuid.uuid4().hex}@example.com")
    booking = []
    for i in range(RUNS):
        t0 = time.perf_counter()
        outcome = booking_create(user=user, event_id=event.id, request=BookingRequest(qty=4),
                                 idempotency_key=f"m-{uuid.uuid4().hex}")
        booking.append(time.perf_counter() - t0)
    print(f"{pattern:7s} first choice {[label for _id, label in seats]} "
          f"choice median {statistics.median(choice) * 1000:.2f} ms "
          f"(p90 {sorted(choice)[int(RUNS * .9)] * 1000:.2f}; old walk {statistics.median(walk) * 1000:.2f}) · "
          f"booking median {statistics.median(booking) * 1000:.2f} ms · last {outcome.seat_labels}")


if __name__ == "__main__":
    for name in ("random", "late", "none"):
        measure(name)
