"""Best available keeps a party together (API.md "Organizer tools"): the lowest row holding
`qty` adjacent free seats, the lowest run in it; only when no row has one, the old rule
(lowest row, then lowest seat number). Booking and waitlist promotion use the same rule."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from bookings.models import Booking
from bookings.tests.helpers import assert_inventory_ok, book
from events.models import Event, Seat
from events.services import seat_map_generate
from events.tests.factories import EventFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_large_parties")]


@pytest.fixture
def _large_parties():
    with override_settings(BOOKING_MAX_QTY=100):
        yield


def grid(rows: int, cols: int) -> Event:
    event = EventFactory(capacity=1)
    seat_map_generate(event_id=event.id, rows=rows, cols=cols)
    event.refresh_from_db()
    return event


def take(client_for, event: Event, labels: list[str]) -> int:
    """Someone books exactly these seats; returns the booking id."""
    response = book(client_for(UserFactory()), event, seat_ids=labels)
    assert response.status_code == 200 and response.json()["status"] == "CONFIRMED", response.content
    return response.json()["id"]


def row(letter: str, first: int, last: int) -> list[str]:
    return [f"{letter}-{n}" for n in range(first, last + 1)]


def party(client_for, event: Event, qty: int) -> list[str]:
    response = book(client_for(UserFactory()), event, qty=qty)
    assert response.status_code == 200, response.content
    return response.json()["seat_labels"]


def test_a_party_of_3_is_not_split_across_rows_when_a_row_has_3_adjacent_seats(client_for) -> None:
    event = grid(3, 20)
    take(client_for, event, row("A", 1, 20))
    take(client_for, event, row("B", 1, 18))  # B-19, B-20 left: the old rule gave B-19, B-20, C-1

    assert party(client_for, event, 3) == ["C-1", "C-2", "C-3"]
    assert_inventory_ok(event)


def test_a_party_of_4_does_not_get_the_end_of_one_row_and_the_start_of_the_next(client_for) -> None:
    event = grid(3, 20)
    take(client_for, event, row("A", 1, 19))  # A-20 left: the old rule gave A-20, B-1..B-3

    assert party(client_for, event, 4) == ["B-1", "B-2", "B-3", "B-4"]


def test_the_lowest_run_of_the_lowest_row_that_has_one(client_for) -> None:
    event = grid(3, 10)
    take(client_for, event, ["A-2", "A-6", "B-1"])  # A: 1 | 3-5 | 7-10

    assert party(client_for, event, 4) == ["A-7", "A-8", "A-9", "A-10"]
    assert party(client_for, event, 3) == ["A-3", "A-4", "A-5"]
    assert party(client_for, event, 1) == ["A-1"]  # a single seat: simply the first free one


def test_without_any_run_of_qty_the_old_rule_applies(client_for) -> None:
    event = grid(3, 6)
    take(client_for, event, ["A-2", "A-4", "A-6", "B-3", "B-6", "C-1", "C-4"])  # longest run: 2

    assert party(client_for, event, 3) == ["A-1", "A-3", "A-5"]


def test_an_empty_map_still_gives_a_1_a_2(client_for) -> None:
    assert party(client_for, grid(5, 10), 2) == ["A-1", "A-2"]
    assert party(client_for, EventFactory(capacity=30), 2) == ["A-1", "A-2"]  # default grid, first booking


def test_waitlist_promotion_keeps_each_party_together(client_for, admin) -> None:
    event = grid(2, 5)
    first = take(client_for, event, ["A-1"])
    take(client_for, event, ["A-2", "A-3"])
    middle = take(client_for, event, ["A-4", "A-5", "B-1", "B-2", "B-3"])
    take(client_for, event, ["B-4", "B-5"])
    three = book(client_for(UserFactory()), event, qty=3, waitlist=True).json()
    two = book(client_for(UserFactory()), event, qty=2, waitlist=True).json()
    assert three["status"] == two["status"] == "WAITLISTED"
    admin_client = client_for(admin)

    admin_client.delete(f"/bookings/{first}")  # A-1 free: the head (3) does not fit
    admin_client.delete(f"/bookings/{middle}")  # free, B-1, B-2, B-3

    promoted = {b.id: b.seat_labels for b in Booking.objects.filter(id__in=[three["id"], two["id"]])}
    # One walk of the first 5 free seats would have given and B-1, B-2.
    assert promoted == {three["id"]: ["B-1", "B-2", "B-3"], two["id"]: ["A-4", "A-5"]}
    assert_inventory_ok(event)


def test_best_available_treats_excluded_seats_as_taken() -> None:
    event = grid(2, 4)
    a1, a2 = Seat.objects.filter(event=event, label__in=["A-1", "A-2"]).order_by("col_number")

    seats = Seat.objects.best_available(event_id=event.id, count=3, exclude_ids=[a2.id])

    assert [label for _id, label in seats] == ["B-1", "B-2", "B-3"]
    assert [label for _id, label in Seat.objects.best_available(event_id=event.id, count=1, exclude_ids=[a1.id])] == ["A-2"]


def test_the_choice_is_one_query_while_the_event_fills_in_order_and_three_when_fragmented() -> None:
    event = grid(4, 10)
    with CaptureQueriesContext(connection) as in_order:
        Seat.objects.best_available(event_id=event.id, count=4)
    Seat.objects.filter(event=event, label__in=["A-3", "B-2", "C-9"]).update(reserved=True)
    with CaptureQueriesContext(connection) as fragmented:
        seats = Seat.objects.best_available(event_id=event.id, count=4)

    assert [label for _id, label in seats] == ["A-4", "A-5", "A-6", "A-7"]
    assert (len(in_order), len(fragmented)) == (1, 3)
