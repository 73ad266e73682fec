"""The booking path's SQL budget (issue: at most 8 statements per booking)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from bookings.tests.helpers import book
from events.services import seat_map_generate
from events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def statements(queries) -> list[str]:
    """SQL sent to the database, without transaction control (BEGIN/COMMIT/SAVEPOINT)."""
    return [
        q["sql"] for q in queries
        if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "BEGIN", "COMMIT"))
    ]


@pytest.fixture
def hot_event():
    event = EventFactory(capacity=1)
    seat_map_generate(event_id=event.id, rows=20, cols=50)
    return event


def test_a_booking_by_quantity_takes_8_statements_and_locks_the_event_row_once(client_for, hot_event) -> None:
    """The one path, on every database: the user (authentication), the event row locked with
    SELECT ... FOR UPDATE, the first free seats, INSERT booking, one bulk INSERT of tickets,
    one UPDATE of the seats, one UPDATE of the counters, and the notification outbox's INSERT
    (notifications' receiver of booking_confirmed, in the same transaction). No idempotency
    lookup on the way in (the unique index decides). The budget is 8."""
    client = client_for(UserFactory())
    book(client, hot_event, qty=1)  # warm

    with CaptureQueriesContext(connection) as queries:
        response = book(client, hot_event, qty=2)

    assert response.status_code == 200
    sql = statements(queries)
    assert len(sql) == 8, "\n".join(sql)
    assert sum('INSERT INTO "notifications_notification"' in s for s in sql) == 1
    if connection.features.has_select_for_update:  # PostgreSQL; SQLite locks the database
        locks = [s for s in sql if "FOR UPDATE" in s]
        assert len(locks) == 1 and '"events_event"' in locks[0], "\n".join(sql)


def test_a_booking_of_named_seats_takes_8_statements(client_for, hot_event) -> None:
    client = client_for(UserFactory())
    book(client, hot_event, qty=1)

    with CaptureQueriesContext(connection) as queries:
        response = book(client, hot_event, seat_ids=["T-50", "T-49"])

    assert response.status_code == 200
    assert len(statements(queries)) == 8, "\n".join(statements(queries))


def test_free_seats_are_taken_through_the_index_with_a_limit(client_for, hot_event) -> None:
    """Never sort every free seat under the lock: the seat query is ordered and LIMITed."""
    client = client_for(UserFactory())

    with CaptureQueriesContext(connection) as queries:
        book(client, hot_event, qty=3)

    ordered_seat_reads = [q for q in statements(queries) if "events_seat" in q and "ORDER BY" in q]
    assert ordered_seat_reads and all("LIMIT 3" in q for q in ordered_seat_reads)


def test_first_free_seats_walk_the_free_seat_index_even_when_most_are_taken(user) -> None:
    """"First free seats in natural order" (`Seat.objects.first_free`, the one definition used
    by booking and promotion) is planned through the partial index of free seats. The
    stale-statistics case that once chose another index is guarded by the next test."""
    from django.db.models import Q

    from events.models import Seat

    event = EventFactory(capacity=10_000)
    seat_map_generate(event_id=event.id, rows=20, cols=500)
    Seat.objects.filter(event=event).filter(Q(row_index__lt=15)).update(reserved=True)

    plan = Seat.objects.first_free(event_id=event.id, count=2).explain()
    assert "seat_free_natural_idx" in plan, plan
    assert "seat_unique_position" not in plan, plan
    assert [s.label for s in Seat.objects.first_free(event_id=event.id, count=2)] == ["P-1", "P-2"]


def test_only_the_free_seat_index_can_serve_natural_order() -> None:
    """PostgreSQL chose an index of every seat in (event, row, seat) order over the partial
    one when its statistics were stale (the bench's hot event: 9.6 ms per booking under the
    lock at 15,000 reserved, growing with each sale). No index but the partial one may start
    with those columns, so that plan can't be chosen."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "events_seat")
    natural = [
        name for name, c in constraints.items()
        if c["columns"][:3] == ["event_id", "row_index", "col_number"] and (c["index"] or c["unique"])
    ]
    assert natural == ["seat_free_natural_idx"]


def test_the_booking_row_is_written_before_the_event_lock(client_for, hot_event) -> None:
    """Lock late: the INSERT of the booking (whose unique index decides a replay) runs before
    the event row is read under the lock, so only the seats, tickets, counters and the outbox
    are written while the hot row is held."""
    client = client_for(UserFactory())
    book(client, hot_event, qty=1)

    with CaptureQueriesContext(connection) as queries:
        assert book(client, hot_event, qty=1).status_code == 200

    sql = statements(queries)
    insert = next(i for i, s in enumerate(sql) if s.startswith('INSERT INTO "bookings_booking"'))
    lock = next(i for i, s in enumerate(sql) if s.startswith("SELECT") and '"events_event"' in s)
    assert insert < lock, "\n".join(sql)


def test_a_replay_is_answered_without_waiting_for_the_event_lock(client_for, hot_event) -> None:
    """A retry with a stored key fails on the unique index before the lock is asked for."""
    client = client_for(UserFactory())
    first = book(client, hot_event, key="retry-me", qty=1)

    with CaptureQueriesContext(connection) as queries:
        again = book(client, hot_event, key="retry-me", qty=1)

    assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    sql = statements(queries)
    assert not any("FOR UPDATE" in s or s.startswith('SELECT "events_event"') for s in sql), "\n".join(sql)


def test_a_waitlisted_booking_takes_its_queue_time_under_the_lock(client_for) -> None:
    """The provisional row is written before the lock; a request that joins the queue gets
    its FIFO `created_at` after the lock (docs/DECISIONS.md "Booking's created_at")."""
    from bookings.models import Booking
    from events.locking import InventoryTransaction

    event = EventFactory(capacity=1)
    book(client_for(UserFactory()), event, qty=1)
    seen = {}
    original = InventoryTransaction.lock

    def lock(self, event_id):
        locked = original(self, event_id)
        seen["inserted_at"] = Booking.objects.order_by("-id").values_list("created_at", flat=True).first()
        return locked

    import pytest as _pytest

    with _pytest.MonkeyPatch.context() as mp:
        mp.setattr(InventoryTransaction, "lock", lock)
        response = book(client_for(UserFactory()), event, qty=1, waitlist=True)

    assert response.json()["status"] == "WAITLISTED"
    waiting = Booking.objects.get(status=Booking.Status.WAITLISTED)
    assert waiting.created_at > seen["inserted_at"]


def test_a_party_moved_to_keep_it_together_takes_two_more_statements(client_for) -> None:
    """When the first free seats would split the party (A-3, B-1, B-2 for three), the seat
    choice adds a window query (the first row with a run) and the run's fetch: 10 in all,
    still under the one lock (issue 15: "a small number of queries under the lock")."""
    event = EventFactory(capacity=1)
    seat_map_generate(event_id=event.id, rows=3, cols=3)
    book(client_for(UserFactory()), event, qty=2)
    client = client_for(UserFactory())

    with CaptureQueriesContext(connection) as queries:
        response = book(client, event, qty=3)

    assert response.status_code == 200
    assert response.json()["seat_labels"] == ["B-1", "B-2", "B-3"]
    sql = statements(queries)
    assert len(sql) == 10, "\n".join(sql)
    if connection.features.has_select_for_update:
        assert sum("FOR UPDATE" in s for s in sql) == 1
