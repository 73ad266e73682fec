"""Measure the attendee CSV stream's memory for 10,000 and 100,000 attendees (PERFORMANCE.md).

Not a test (pytest collects test_*.py only). Against a migrated PostgreSQL database:

    DATABASE_URL=postgres://…/evently_x .venv/bin/python -m bookings.tests.measure_attendee_csv

Rows are bulk-inserted (one CONFIRMED booking of one seat per attendee, 1,000 holders), then
the response of `attendee_csv_response` is consumed like a WSGI server would, under
tracemalloc: peak Python memory must not grow with the number of attendees.
"""

from __future__ import annotations

import os
import time
import tracemalloc
import uuid
from datetime import timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "evently.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from bookings.attendees import attendee_csv_response  # noqa: E402
from bookings.models import Booking, Ticket  # noqa: E402
from events.models import Event, Seat  # noqa: E402
from events.services import event_create, seat_map_generate  # noqa: E402


def setup(attendees: int) -> Event:
    start = timezone.now() + timedelta(days=30)
    event = event_create(name=f"csv {attendees}", venue="bench", start_time=start,
                         end_time=start + timedelta(hours=3), capacity=1)
    seat_map_generate(event_id=event.id, rows=attendees // 500, cols=500)
    run = uuid.uuid4().hex[:8]
    users = User.objects.bulk_create(
        [User(name=f"Holder {i}", email=f"h{i}-{run}@example.com", email_folded=f"h{i}-{run}@example.com")
         for i in range(1000)]
    )
    now = timezone.now()
    seats = list(Seat.objects.filter(event=event).order_by("row_index", "col_number").values_list("id", "label"))
    for offset in range(0, attendees, 10_000):
        bookings = Booking.objects.bulk_create([
            Booking(user=users[i % 1000], event=event, qty=1, status=Booking.Status.CONFIRMED, created_at=now)
            for i in range(offset, offset + 10_000)
        ])
        Ticket.objects.bulk_create([
            Ticket(booking=b, event=event, seat_id=seats[offset + n][0], seat_label=seats[offset + n][1], created_at=now)
            for n, b in enumerate(bookings)
        ])
    Seat.objects.filter(event=event).update(reserved=True)
    Event.objects.filter(pk=event.pk).update(booked_count=attendees)
    with connection.cursor() as cursor:  # what autovacuum does after such a bulk load
        cursor.execute("ANALYZE bookings_booking; ANALYZE bookings_ticket; ANALYZE events_seat")
    return event


def measure(attendees: int) -> None:
    event = setup(attendees)
    t0 = time.perf_counter()
    for _chunk in attendee_csv_response(event_id=event.id).streaming_content:
        pass
    plain = time.perf_counter() - t0
    tracemalloc.start()
    t0 = time.perf_counter()
    size = lines = 0
    for chunk in attendee_csv_response(event_id=event.id).streaming_content:
        size += len(chunk)
        lines += 1
    elapsed = time.perf_counter() - t0
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{attendees:>7} attendees: {lines - 1} rows, {size / 1e6:.1f} MB of CSV in {plain:.1f} s "
          f"({elapsed:.1f} s under tracemalloc), "
          f"peak Python memory {peak / 1e6:.1f} MB")


if __name__ == "__main__":
    for n in (10_000, 100_000):
        measure(n)
