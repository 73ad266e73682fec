"""docs/DECISIONS.md, "Booking" and "Events": one test per rule that fails when it is broken
(issue 12 item 4). Rules tested elsewhere are named in their own tests' docstrings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from bookings.models import Booking
from bookings.tests.helpers import assert_inventory_ok, book
from events.models import Event, Seat
from events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_an_event_that_has_started_but_not_ended_can_be_booked(user_client) -> None:
    """"Ended" means end_time ≤ now, not start_time ≤ now."""
    now = timezone.now()
    event = EventFactory(start_time=now - timedelta(hours=1), end_time=now + timedelta(minutes=5))

    assert book(user_client, event, qty=1).json()["status"] == "CONFIRMED"


def test_an_event_ending_exactly_now_has_ended() -> None:
    event = EventFactory()
    assert event.has_ended(now=event.end_time)
    assert not event.has_ended(now=event.end_time - timedelta(microseconds=1))


def test_past_events_may_be_created_but_not_booked(admin_client, user_client) -> None:
    past = timezone.now() - timedelta(days=3)
    created = admin_client.post(
        "/admin/events",
        {"name": "Last year", "venue": "Hall", "start_time": past.isoformat(),
         "end_time": (past + timedelta(hours=2)).isoformat(), "capacity": 5},
        format="json",
    )
    assert created.status_code == 200

    response = book(user_client, created.json()["id"], qty=1, waitlist=True)
    assert response.status_code == 409 and "ended" in response.json()["detail"]


def test_an_empty_seat_ids_list_is_the_same_as_none(user_client) -> None:
    event = EventFactory(capacity=3)

    response = book(user_client, event, qty=2, seat_ids=[])

    assert response.status_code == 200
    assert response.json()["seat_labels"] == ["A-1", "A-2"]


def test_a_string_in_seat_ids_is_always_a_label(user_client, admin_client) -> None:
    event = EventFactory(capacity=1)
    admin_client.post(f"/admin/events/{event.id}/seats/generate", {"rows": 1, "cols": 3}, format="json")
    seat_id = Seat.objects.get(event=event, label="A-2").id

    as_string = book(user_client, event, seat_ids=[str(seat_id)])
    as_int = book(user_client, event, seat_ids=[seat_id])

    assert as_string.status_code == 404 and as_string.json()["seats"] == [str(seat_id)]
    assert as_int.json()["seat_labels"] == ["A-2"]


def test_the_fingerprint_ignores_the_order_of_seat_ids_and_the_key_is_trimmed(user_client) -> None:
    event = EventFactory(capacity=4)
    first = book(user_client, event, key="order", seat_ids=["A-1", "A-3"])

    again = book(user_client, event, key="  order  ", seat_ids=["A-3", "A-1"])

    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert Booking.objects.filter(event=event).count() == 1


def test_the_queue_is_fifo_by_the_order_requests_got_the_lock(client_for) -> None:
    """A waitlisted booking's created_at is taken under the event lock: FIFO by (created_at,
    id) is the order of arrival, and promotion follows it."""
    event = EventFactory(capacity=1)
    owner = client_for(UserFactory())
    held = book(owner, event, qty=1).json()
    waiters = [client_for(UserFactory()) for _ in range(3)]
    ids = [book(w, event, qty=1, waitlist=True).json()["id"] for w in waiters]
    queue = list(
        Booking.objects.filter(event=event, status="WAITLISTED").order_by("created_at", "id").values_list("id", flat=True)
    )
    assert queue == ids

    owner.delete(f"/bookings/{held['id']}")

    assert Booking.objects.get(pk=ids[0]).status == "CONFIRMED"
    assert list(Booking.objects.filter(pk__in=ids[1:]).values_list("status", flat=True)) == ["WAITLISTED"] * 2
    assert_inventory_ok(event)


def test_capacity_cuts_remove_free_seats_from_the_end_of_the_natural_order(admin_client, user_client) -> None:
    event = EventFactory(capacity=1)
    admin_client.post(f"/admin/events/{event.id}/seats/generate", {"rows": 2, "cols": 3}, format="json")
    book(user_client, event, seat_ids=["B-3"])

    admin_client.patch(f"/admin/events/{event.id}", {"capacity": 4}, format="json")

    labels = list(Seat.objects.filter(event=event).natural_order().values_list("label", flat=True))
    assert labels == ["A-1", "A-2", "A-3", "B-3"]
    assert_inventory_ok(Event.objects.get(pk=event.pk))
