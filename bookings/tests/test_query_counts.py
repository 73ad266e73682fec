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


def test_a_booking_by_quantity_takes_at_most_8_statements(client_for, hot_event) -> None:
    """On PostgreSQL: the user, the event lock and one write statement (3); on SQLite the
    writes are separate ORM statements."""
    client = client_for(UserFactory())
    book(client, hot_event, qty=1)  # warm

    with CaptureQueriesContext(connection) as queries:
        response = book(client, hot_event, qty=2)

    assert response.status_code == 200
    sql = statements(queries)
    assert len(sql) <= 8, "\n".join(sql)
    if connection.features.has_select_for_update:  # PostgreSQL; SQLite locks the database
        assert sum("FOR UPDATE" in s for s in sql) == 1  # the event row, nothing else


def test_a_booking_of_named_seats_takes_at_most_8_statements(client_for, hot_event) -> None:
    client = client_for(UserFactory())
    book(client, hot_event, qty=1)

    with CaptureQueriesContext(connection) as queries:
        response = book(client, hot_event, seat_ids=["T-50", "T-49"])

    assert response.status_code == 200
    assert len(statements(queries)) <= 8


def test_free_seats_are_taken_through_the_index_with_a_limit(client_for, hot_event) -> None:
    """Never sort every free seat under the lock: the seat query is ordered and LIMITed."""
    client = client_for(UserFactory())

    with CaptureQueriesContext(connection) as queries:
        book(client, hot_event, qty=3)

    ordered_seat_reads = [q for q in statements(queries) if "events_seat" in q and "ORDER BY" in q]
    assert ordered_seat_reads and all("LIMIT 3" in q for q in ordered_seat_reads)
