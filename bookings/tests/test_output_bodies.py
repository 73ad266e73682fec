"""The Booking body against the contract (API.md "Resources"), for every state of a booking
and every endpoint that returns one: exactly the listed keys, ids as integers, `created_at`
and the event summary's times in UTC with `Z`, `seat_labels` filled only when CONFIRMED (in
natural order, lists included), `waitlist_position` only when WAITLISTED."""

from __future__ import annotations

import json

import pytest

from bookings.models import Booking
from events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db

BOOKING_KEYS = [
    "id", "user_id", "event_id", "qty", "status", "created_at", "seat_labels",
    "waitlist_position", "event",
]
SUMMARY_KEYS = ["id", "name", "venue", "start_time", "end_time", "status"]


def raw(response) -> dict | list:
    return json.loads(response.content)


def book(client, event, key, **body):
    return client.post(f"/events/{event.id}/book", body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def assert_booking_shape(body: dict, event, *, admin_list: bool = False) -> None:
    """`admin_list`: a GET /admin/bookings item, which also carries its holder (`user`)."""
    if admin_list:
        assert list(body["user"]) == ["id", "name", "email"] and body["user"]["id"] == body["user_id"]
        body = {k: v for k, v in body.items() if k != "user"}
    assert list(body) == BOOKING_KEYS
    for key in ("id", "user_id", "event_id", "qty"):
        assert type(body[key]) is int, key
    assert body["created_at"].endswith("Z")
    assert list(body["event"]) == SUMMARY_KEYS
    assert body["event"]["id"] == event.id and body["event"]["start_time"].endswith("Z")


def test_every_booking_state_on_every_endpoint(user, admin, client_for) -> None:
    event = EventFactory(capacity=12)
    owner, staff = client_for(user), client_for(admin)
    confirmed = raw(book(owner, event, "a", qty=2, seat_ids=["A-10", "A-2"]))
    filler = raw(book(staff, event, "f", qty=10))
    waiting = raw(book(staff, event, "w", qty=2, waitlist=True))
    replayed = book(owner, event, "a", qty=2, seat_ids=["A-10", "A-2"])
    cancelled = raw(staff.delete(f"/bookings/{filler['id']}"))  # frees 10: the head is promoted

    assert confirmed["status"] == "CONFIRMED"
    assert confirmed["seat_labels"] == ["A-2", "A-10"] and confirmed["waitlist_position"] is None
    assert waiting["status"] == "WAITLISTED"
    assert waiting["seat_labels"] == [] and waiting["waitlist_position"] == 1
    assert replayed["Idempotent-Replayed"] == "true" and raw(replayed) == confirmed
    assert cancelled["status"] == "CANCELLED"
    assert cancelled["seat_labels"] == [] and cancelled["waitlist_position"] is None
    for body in (confirmed, waiting, cancelled):
        assert_booking_shape(body, event)

    mine = raw(owner.get("/me/bookings"))
    listed = raw(staff.get(f"/admin/bookings?event_id={event.id}"))
    assert mine == [confirmed]
    assert [b["id"] for b in listed] == [waiting["id"], filler["id"], confirmed["id"]]
    by_id = {b["id"]: b for b in listed}
    assert {k: v for k, v in by_id[confirmed["id"]].items() if k != "user"} == confirmed
    assert by_id[waiting["id"]]["status"] == "CONFIRMED"  # promoted by the cancellation
    assert len(by_id[waiting["id"]]["seat_labels"]) == 2
    assert by_id[waiting["id"]]["waitlist_position"] is None
    for body in listed:
        assert_booking_shape(body, event, admin_list=True)


def test_a_waiting_booking_lists_its_queue_position(user, admin, client_for) -> None:
    event = EventFactory(capacity=1)
    book(client_for(admin), event, "full", qty=1)
    first = raw(book(client_for(admin), event, "w1", qty=1, waitlist=True))
    second = raw(book(client_for(user), event, "w2", qty=1, waitlist=True))

    assert (first["waitlist_position"], second["waitlist_position"]) == (1, 2)
    assert raw(client_for(user).get("/me/bookings"))[0]["waitlist_position"] == 2
    assert Booking.objects.get(pk=second["id"]).status == Booking.Status.WAITLISTED
