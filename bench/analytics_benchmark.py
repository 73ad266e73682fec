"""Seed a large dataset and time the analytics queries (docs/PERFORMANCE.md, "Analytics").

    DATABASE_URL=postgres://…/evently_analytics_bench python bench/analytics_benchmark.py --seed

Benchmark scaffolding, kept out of the product (it was the `analytics_benchmark` management
command). Seeding writes rows straight into the tables (no seat maps), so it refuses to run
on a database whose name does not contain "bench" unless --force is given.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import django

sys.path.insert(0, os.environ.get("BENCH_APP_DIR") or str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "evently.settings")
django.setup()

from django.core.management.base import BaseCommand, CommandError, CommandParser  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count, OuterRef, Q, Subquery, Sum  # noqa: E402
from django.db.models.functions import Coalesce  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from analytics.selectors import analytics_summary, homepage_stats  # noqa: E402
from bookings.models import Booking  # noqa: E402
from events.models import Event  # noqa: E402

BATCH = 20_000


class Command(BaseCommand):
    help = "Time analytics_summary and homepage_stats, optionally on a freshly seeded dataset."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", action="store_true", help="add the dataset first")
        parser.add_argument("--events", type=int, default=10_000)
        parser.add_argument("--bookings", type=int, default=1_000_000)
        parser.add_argument("--users", type=int, default=5_000)
        parser.add_argument("--repeat", type=int, default=7)
        parser.add_argument("--force", action="store_true", help="seed even if the DB name lacks 'bench'")

    def handle(self, *args: Any, seed: bool, events: int, bookings: int, users: int, repeat: int, force: bool, **options: Any) -> None:
        if seed:
            name = str(connection.settings_dict["NAME"])
            if "bench" not in name and not force:
                raise CommandError(f"refusing to seed database {name!r} (name lacks 'bench'; use --force)")
            started = time.perf_counter()
            self._seed(events=events, bookings=bookings, users=users)
            self.stdout.write(f"seeded in {time.perf_counter() - started:.1f} s")
        counts = (Event.objects.count(), Booking.objects.count())
        self.stdout.write(f"dataset: {counts[0]} events, {counts[1]} bookings ({connection.vendor})")
        for label, fn in (("analytics_summary", analytics_summary), ("homepage_stats", homepage_stats)):
            timings = []
            for _ in range(repeat):
                t0 = time.perf_counter()
                fn()
                timings.append((time.perf_counter() - t0) * 1000)
            self.stdout.write(
                f"{label}: median {statistics.median(timings):.1f} ms, "
                f"min {min(timings):.1f} ms, max {max(timings):.1f} ms over {repeat} runs"
            )

    def _seed(self, *, events: int, bookings: int, users: int) -> None:
        rng = random.Random(42)
        now = timezone.now()
        with transaction.atomic():
            first_user = User.objects.count()
            User.objects.bulk_create(
                [User(name=f"Bench {first_user + i}", email=f"bench{first_user + i}@example.com", password="!") for i in range(users)],
                batch_size=BATCH,
            )
            user_ids = list(User.objects.values_list("id", flat=True))
            Event.objects.bulk_create(
                [
                    Event(
                        name=f"Bench event {i}", venue=f"Venue {i % 300}",
                        start_time=now + timedelta(days=rng.randint(-30, 180)),
                        end_time=now + timedelta(days=181), capacity=1_000,
                        status=Event.Status.ACTIVE if i % 10 else Event.Status.INACTIVE,
                    )
                    for i in range(events)
                ],
                batch_size=BATCH,
            )
            event_ids = list(Event.objects.values_list("id", flat=True))
            statuses = [Booking.Status.CONFIRMED] * 7 + [Booking.Status.WAITLISTED] + [Booking.Status.CANCELLED] * 2
            batch: list[Booking] = []
            for i in range(bookings):
                created = now - timedelta(minutes=rng.randint(0, 60 * 24 * 30))
                status = rng.choice(statuses)
                batch.append(
                    Booking(
                        user_id=rng.choice(user_ids), event_id=rng.choice(event_ids), qty=1,
                        status=status, created_at=created, idempotency_key=f"b{i}",
                        cancelled_at=created + timedelta(hours=1) if status == Booking.Status.CANCELLED else None,
                    )
                )
                if len(batch) == BATCH:
                    Booking.objects.bulk_create(batch)
                    batch = []
            if batch:
                Booking.objects.bulk_create(batch)
            # Counters consistent with the bookings (no seat maps in this dataset).
            per_event = Booking.objects.filter(event=OuterRef("pk")).order_by().values("event")
            Event.objects.update(
                booked_count=Coalesce(
                    Subquery(per_event.annotate(n=Sum("qty", filter=Q(status="CONFIRMED"))).values("n")[:1]), 0
                ),
                waitlisted_count=Coalesce(
                    Subquery(per_event.annotate(n=Count("id", filter=Q(status="WAITLISTED"))).values("n")[:1]), 0
                ),
            )
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("ANALYZE")


if __name__ == "__main__":
    Command().run_from_argv(["analytics_benchmark", "analytics_benchmark", *sys.argv[1:]])
