"""Invariants after concurrent requests, on the real database (PostgreSQL in CI's second
run, SQLite in the first). See API.md "Concurrency"."""

from __future__ import annotations

import random
import time
from collections import Counter

import pytest
from django.db import IntegrityError, connection
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tests.factories import UserFactory
from bookings import services
from bookings.inventory import inventory_violations
from bookings.models import Booking
from bookings.tests.concurrency.threads import RowLockHeld, run_concurrently
from conftest import token_for
from events.models import Event
from events.services import seat_map_generate
from events.tests.factories import EventFactory

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def client(user: User) -> APIClient:
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")
    return c


def post_book(user: User, event_id: int, key: str, **body):
    response = client(user).post(f"/events/{event_id}/book", body, format="json", HTTP_IDEMPOTENCY_KEY=key)
    return response.status_code, response.json()


def test_fifty_buyers_for_twenty_seats_exactly_twenty_win() -> None:
    event = EventFactory(capacity=20)
    users = [UserFactory() for _ in range(50)]

    with RowLockHeld("events_event", event.id) as lock:  # PostgreSQL: they meet at the lock
        results = run_concurrently(
            [lambda u=u: post_book(u, event.id, f"k{u.id}", qty=1) for u in users],
            meanwhile=lock.release_when_waited(2),
        )

    codes = Counter(code for code, _ in results)
    assert codes == {200: 20, 409: 30}
    event.refresh_from_db()
    assert event.booked_count == 20
    assert Booking.objects.filter(event=event, status="CONFIRMED").count() == 20
    won = sorted(label for code, body in results if code == 200 for label in body["seat_labels"])
    assert len(won) == len(set(won)) == 20
    assert inventory_violations(event_id=event.id) == []


def test_twenty_retries_with_one_key_make_one_booking() -> None:
    event = EventFactory(capacity=10)
    user = UserFactory()

    with RowLockHeld("events_event", event.id) as lock:  # PostgreSQL: the retries meet
        results = run_concurrently(
            [lambda: post_book(user, event.id, "same-key", qty=2) for _ in range(20)],
            meanwhile=lock.release_when_waited(2),
        )

    assert {code for code, _ in results} == {200}
    assert len({body["id"] for _, body in results}) == 1
    assert Booking.objects.filter(event=event).count() == 1
    event.refresh_from_db()
    assert event.booked_count == 2
    assert inventory_violations(event_id=event.id) == []


def test_ten_users_racing_for_one_seat_exactly_one_wins() -> None:
    event = EventFactory(capacity=5)
    users = [UserFactory() for _ in range(10)]
    seat_map_generate(event_id=event.id, rows=1, cols=5)

    with RowLockHeld("events_event", event.id) as lock:  # PostgreSQL: they meet at the lock
        results = run_concurrently(
            [lambda u=u: post_book(u, event.id, f"s{u.id}", seat_ids=["A-3"]) for u in users],
            meanwhile=lock.release_when_waited(2),
        )

    codes = Counter(code for code, _ in results)
    assert codes == {200: 1, 409: 9}
    assert all("A-3" in body["detail"] for code, body in results if code == 409)
    assert inventory_violations(event_id=event.id) == []


def test_concurrent_cancels_and_bookings_keep_the_waitlist_fifo() -> None:
    event = EventFactory(capacity=10)
    holders = [UserFactory() for _ in range(10)]
    held = [services.booking_create(user=u, event_id=event.id, request=services.BookingRequest(qty=1), idempotency_key="h").booking for u in holders]
    waiters = [UserFactory() for _ in range(10)]
    for u in waiters:
        services.booking_create(user=u, event_id=event.id, request=services.BookingRequest(qty=1, waitlist=True), idempotency_key="w")
    newcomers = [UserFactory() for _ in range(10)]

    tasks = [lambda b=b, u=u: services.booking_cancel(booking_id=b.id, actor=u) for b, u in zip(held, holders)]
    tasks += [lambda u=u: post_book(u, event.id, "n", qty=1) for u in newcomers]
    with RowLockHeld("events_event", event.id) as lock:  # PostgreSQL: they meet at the lock
        run_concurrently(tasks, meanwhile=lock.release_when_waited(2))

    event.refresh_from_db()
    assert event.booked_count == 10
    assert Booking.objects.filter(event=event, user__in=waiters, status="CONFIRMED").count() == 10
    assert not Booking.objects.filter(event=event, user__in=newcomers, status="CONFIRMED").exists()
    assert inventory_violations(event_id=event.id) == []


def _fifo_violations(event: Event) -> list[str]:
    """A booking confirmed (directly or by promotion) after an older one that is still
    waiting has jumped the queue: the older one waited the whole time."""
    problems = []
    waiting = list(Booking.objects.filter(event=event, status="WAITLISTED").order_by("created_at", "id"))
    if not waiting:
        return problems
    oldest = waiting[0]
    jumped = Booking.objects.filter(event=event, status="CONFIRMED", created_at__gt=oldest.created_at)
    for booking in jumped:
        problems.append(f"booking #{booking.id} confirmed ahead of waiting #{oldest.id}")
    return problems


def test_random_storm_keeps_every_invariant() -> None:
    rng = random.Random(20261123)
    events = [EventFactory(capacity=c) for c in (6, 12, 25)]
    seat_map_generate(event_id=events[2].id, rows=5, cols=5)
    users = [UserFactory() for _ in range(12)]
    admin = UserFactory(role=User.Role.ADMIN)
    operations = 0

    def storm(user: User, seed: int) -> Counter:
        local = random.Random(seed)
        outcomes: Counter = Counter()
        mine: list[int] = []
        for step in range(26):
            event = local.choice(events)
            roll = local.random()
            if roll < 0.45:
                code, body = post_book(user, event.id, f"{seed}-{step}", qty=local.randint(1, 3), waitlist=local.random() < 0.6)
                if code == 200:
                    mine.append(body["id"])
            elif roll < 0.6:
                labels = local.sample([f"{r}-{c}" for r in "ABCDE" for c in range(1, 6)], local.randint(1, 2))
                code, body = post_book(user, events[2].id, f"{seed}-{step}", seat_ids=labels, waitlist=local.random() < 0.5)
                if code == 200:
                    mine.append(body["id"])
            elif roll < 0.85 and mine:
                code = client(user).delete(f"/bookings/{mine.pop(local.randrange(len(mine)))}").status_code
            else:
                current = Event.objects.get(pk=event.id)
                capacity = max(1, current.booked_count + local.randint(-2, 6))
                code = client(admin).patch(f"/admin/events/{event.id}", {"capacity": capacity}, format="json").status_code
            outcomes[code] += 1
        return outcomes

    results = run_concurrently([lambda u=u, i=i: storm(u, rng.randrange(10**9) + i) for i, u in enumerate(users)])

    totals = sum(results, Counter())
    operations = sum(totals.values())
    assert operations >= 300
    # 404: a named seat removed by a concurrent capacity cut. Never a 5xx or a lock timeout.
    assert set(totals) <= {200, 404, 409}, totals
    assert inventory_violations() == []
    for event in events:
        assert _fifo_violations(event) == []


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's immediate transactions serialize every writer, so there is no row-level race to show; "
    "this control runs in CI's PostgreSQL pass",
)
def test_control_without_the_event_lock_the_race_oversells(monkeypatch: pytest.MonkeyPatch) -> None:
    """Proves the suite can catch an oversell: bypass the row lock and the same rush breaks
    the invariants."""
    from events import locking

    def read_without_lock(event_id: int) -> Event:
        event = Event.objects.get(pk=event_id)  # no FOR UPDATE
        time.sleep(0.05)  # widen the read-then-write window
        return event

    monkeypatch.setattr(locking, "_fetch_locked", read_without_lock)
    event = EventFactory(capacity=20)
    seat_map_generate(event_id=event.id, rows=2, cols=10)
    users = [UserFactory() for _ in range(30)]

    def attempt(user: User):
        try:
            return post_book(user, event.id, f"c{user.id}", qty=1)
        except IntegrityError:
            # booked_count > capacity: the CHECK constraint, the last line of defence,
            # refused the oversell the race produced.
            return "oversold", {}

    results = run_concurrently([lambda u=u: attempt(u) for u in users])

    sold_labels = [label for code, body in results if code == 200 for label in body["seat_labels"]]
    raced = (
        any(code == "oversold" for code, _ in results)
        or len(sold_labels) > len(set(sold_labels))
        or inventory_violations(event_id=event.id) != []
    )
    assert raced, "without the lock, 30 buyers for 20 seats should have broken an invariant"
