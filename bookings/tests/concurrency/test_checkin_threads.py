"""Concurrent door scans on the real database (PostgreSQL in CI's second run, SQLite in the
first): several scanners send the same code at once, exactly one admits it (issue 13)."""

from __future__ import annotations

from collections import Counter

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tests.factories import UserFactory
from bookings import services
from bookings.inventory import inventory_violations
from bookings.models import Booking, Ticket
from bookings.tests.concurrency.threads import RowLockHeld, run_concurrently
from conftest import token_for
from events.tests.factories import EventFactory

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

SCANNERS = 8


def client(user: User) -> APIClient:
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")
    return c


def scan(user: User, event_id: int, code: str, key: str | None = None) -> tuple[int, dict]:
    extra = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    response = client(user).post(f"/admin/events/{event_id}/checkin", {"code": code}, format="json", **extra)
    return response.status_code, response.json()


def confirmed_booking(event, qty: int = 1) -> Booking:
    return services.booking_create(
        user=UserFactory(), event_id=event.id, request=services.BookingRequest(qty=qty), idempotency_key=None
    ).booking


def test_same_code_scanned_at_once_by_many_doors_exactly_one_200() -> None:
    event = EventFactory(capacity=5)
    booking = confirmed_booking(event)
    code = Ticket.objects.get(booking=booking).code
    doors = [UserFactory(role=User.Role.CHECKIN) for _ in range(SCANNERS)]

    ticket_id = Ticket.objects.get(code=code).pk
    with RowLockHeld("bookings_ticket", ticket_id) as lock:  # PostgreSQL: the doors meet at the lock
        results = run_concurrently([lambda d=d: scan(d, event.id, code) for d in doors],
                                   meanwhile=lock.release_when_waited(2))

    assert Counter(status for status, _ in results) == {200: 1, 409: SCANNERS - 1}
    winner = next(body for status, body in results if status == 200)
    refusals = [body for status, body in results if status == 409]
    assert all(body == {"detail": "Already checked in", "checked_in_at": winner["ticket"]["checked_in_at"]} for body in refusals)
    ticket = Ticket.objects.get(code=code)
    assert ticket.status == "checked_in"
    assert ticket.checked_in_by_id in {d.id for d in doors}
    assert inventory_violations(event_id=event.id) == []


def test_retries_of_one_scan_with_its_key_all_answer_200_once_admitted() -> None:
    event = EventFactory(capacity=5)
    code = Ticket.objects.get(booking=confirmed_booking(event)).code
    door = UserFactory(role=User.Role.CHECKIN)

    ticket_id = Ticket.objects.get(code=code).pk
    with RowLockHeld("bookings_ticket", ticket_id) as lock:  # PostgreSQL: the retries meet
        results = run_concurrently([lambda: scan(door, event.id, code, key="scan-1") for _ in range(SCANNERS)],
                                   meanwhile=lock.release_when_waited(2))

    assert Counter(status for status, _ in results) == {200: SCANNERS}
    assert len({body["ticket"]["checked_in_at"] for _, body in results}) == 1


def test_scans_racing_a_cancellation_leave_a_consistent_inventory() -> None:
    event = EventFactory(capacity=10)
    booking = confirmed_booking(event, qty=4)
    codes = list(Ticket.objects.filter(booking=booking).values_list("code", flat=True))
    door = UserFactory(role=User.Role.CHECKIN)
    holder = booking.user

    def cancel():
        return client(holder).delete(f"/bookings/{booking.id}").status_code

    first_ticket = Ticket.objects.get(code=codes[0]).pk
    with RowLockHeld("bookings_ticket", first_ticket) as lock:  # PostgreSQL: a scan meets the cancellation
        results = run_concurrently([cancel] + [lambda c=c: scan(door, event.id, c)[0] for c in codes],
                                   meanwhile=lock.release_when_waited(2))

    assert results[0] == 200
    assert set(results[1:]) <= {200, 409}
    assert set(Ticket.objects.filter(booking=booking).values_list("status", flat=True)) == {"void"}
    assert inventory_violations(event_id=event.id) == []
