from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.tests.factories import UserFactory
from bookings.models import Booking
from bookings.tests.helpers import assert_inventory_ok, book, reserved_labels
from events.models import Event, Seat
from events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seated(admin_client) -> Event:
    """An event with a 3 × 4 seat map (A-1 … C-4)."""
    event = EventFactory(capacity=1)
    admin_client.post(f"/admin/events/{event.id}/seats/generate", {"rows": 3, "cols": 4}, format="json")
    event.refresh_from_db()
    return event


# --- confirmed ---------------------------------------------------------------------------


def test_booking_is_confirmed_with_best_seats_and_the_contract_body(user_client, user, event) -> None:
    response = book(user_client, event, qty=2)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"id", "user_id", "event_id", "qty", "status", "created_at", "seat_labels", "waitlist_position", "event"}
    assert (body["user_id"], body["event_id"], body["qty"], body["status"]) == (user.id, event.id, 2, "CONFIRMED")
    assert body["seat_labels"] == ["A-1", "A-2"]
    assert body["waitlist_position"] is None
    assert body["created_at"].endswith("Z")
    assert body["event"] == {
        "id": event.id, "name": event.name, "venue": event.venue,
        "start_time": event.start_time.isoformat().replace("+00:00", "Z"),
        "end_time": event.end_time.isoformat().replace("+00:00", "Z"), "status": "active",
    }
    event.refresh_from_db()
    assert event.booked_count == 2
    assert_inventory_ok(event)


def test_first_booking_creates_a_grid_of_ten_per_row_sized_to_capacity(user_client) -> None:
    event = EventFactory(capacity=23)

    book(user_client, event, qty=1)

    seats = list(Seat.objects.filter(event=event).order_by("row_index", "col_number").values_list("label", flat=True))
    assert len(seats) == 23
    assert seats[9:12] == ["A-10", "B-1", "B-2"]
    assert seats[-1] == "C-3"


def test_quantity_is_an_alias_of_qty(user_client, event) -> None:
    assert book(user_client, event, quantity=3).json()["qty"] == 3


def test_best_available_keeps_the_party_in_the_lowest_row_with_room(user_client, seated) -> None:
    """Organizer tools: not the old A-2, A-4, B-1 (lowest row, then lowest seat)."""
    book(user_client, seated, seat_ids=["A-1", "A-3"])

    response = book(user_client, seated, qty=3)

    assert response.json()["seat_labels"] == ["B-1", "B-2", "B-3"]


def test_named_seats_by_label_and_by_id(user_client, seated) -> None:
    b2 = Seat.objects.get(event=seated, label="B-2")

    response = book(user_client, seated, seat_ids=["C-4", b2.id])

    assert response.status_code == 200
    assert response.json()["seat_labels"] == ["B-2", "C-4"]  # natural order
    assert response.json()["qty"] == 2
    assert reserved_labels(seated) == ["B-2", "C-4"]


# --- refusals ----------------------------------------------------------------------------


def test_not_enough_room_is_409_saying_how_many_are_left(user_client, event) -> None:
    book(user_client, event, qty=8)

    response = book(user_client, event, qty=3)

    assert response.status_code == 409
    assert response.json()["detail"].startswith("Not enough seats available")
    assert "2 left" in response.json()["detail"]
    event.refresh_from_db()
    assert event.booked_count == 8


def test_taken_seats_are_409_naming_them(user_client, seated) -> None:
    book(user_client, seated, seat_ids=["A-1", "A-2"])

    response = book(user_client, seated, seat_ids=["A-2", "A-3", "A-1"])

    assert response.status_code == 409
    assert "A-1" in response.json()["detail"] and "A-2" in response.json()["detail"]
    assert "A-3" not in response.json()["detail"]
    assert reserved_labels(seated) == ["A-1", "A-2"]


def test_seat_of_another_event_or_unknown_is_404_naming_it(user_client, seated) -> None:
    other = EventFactory(capacity=1)
    book(user_client, other, qty=1)
    foreign = Seat.objects.get(event=other)

    response = book(user_client, seated, seat_ids=["A-1", foreign.id, "Z-99"])

    assert response.status_code == 404
    detail = response.json()["detail"]
    assert detail.startswith("Seat not found")
    assert str(foreign.id) in detail and "Z-99" in detail
    assert reserved_labels(seated) == []


def test_unknown_event_is_404(user_client) -> None:
    response = book(user_client, 987654, qty=1)

    assert response.status_code == 404
    assert response.json() == {"detail": "Event not found"}


@pytest.mark.parametrize("waitlist", [False, True])
def test_inactive_event_is_409(user_client, waitlist) -> None:
    event = EventFactory(status=Event.Status.INACTIVE)

    response = book(user_client, event, qty=1, waitlist=waitlist)

    assert response.status_code == 409
    assert response.json() == {"detail": "Event not active"}


@pytest.mark.parametrize("waitlist", [False, True])
def test_ended_event_is_409_even_with_waitlist(user_client, waitlist) -> None:
    past = timezone.now() - timedelta(days=2)
    event = EventFactory(start_time=past, end_time=past + timedelta(hours=2))

    response = book(user_client, event, qty=1, waitlist=waitlist)

    assert response.status_code == 409
    assert "ended" in response.json()["detail"]
    assert not Booking.objects.filter(event=event).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"qty": 0}, "qty"), ({"qty": -1}, "qty"), ({"qty": 11}, "qty"), ({"qty": "two"}, "qty"),
        ({"qty": 1.5}, "qty"), ({"qty": True}, "qty"), ({}, "qty"), ({"qty": 10**30}, "qty"),
        ({"seat_ids": ["A-1", "A-1"]}, "seat_ids"), ({"seat_ids": ["A-1"], "qty": 2}, "qty"),
        ({"seat_ids": "A-1"}, "seat_ids"), ({"seat_ids": [{"id": 1}]}, "seat_ids.0"),
        ({"seat_ids": [True]}, "seat_ids.0"), ({"seat_ids": [-4]}, "seat_ids.0"),
        ({"qty": 1, "waitlist": "perhaps"}, "waitlist"), ({"qty": 2, "quantity": 3}, "quantity"),
        ({"seat_ids": [f"A-{n}" for n in range(1, 12)]}, "seat_ids"),
        # JSON types only ("wrong type → 422"): no numeric strings, floats or truthy words.
        ({"qty": "1"}, "qty"), ({"qty": 1.0}, "qty"), ({"quantity": "2"}, "quantity"),
        ({"qty": 1, "waitlist": "yes"}, "waitlist"), ({"qty": 1, "waitlist": 1}, "waitlist"),
        ({"qty": 1, "waitlist": "false"}, "waitlist"), ({"qty": 1, "waitlist": None}, "waitlist"),
    ],
)
def test_invalid_booking_requests_are_422_and_change_nothing(user_client, seated, body, field) -> None:
    response = book(user_client, seated, **body)

    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not Booking.objects.filter(event=seated).exists()


def test_the_same_seat_by_id_and_by_label_is_422(user_client, seated) -> None:
    a1 = Seat.objects.get(event=seated, label="A-1")

    response = book(user_client, seated, seat_ids=[a1.id, "A-1"])

    assert response.status_code == 422
    assert "A-1" in response.json()["detail"]


@override_settings(BOOKING_MAX_QTY=3)
def test_max_quantity_follows_the_setting(user_client, event) -> None:
    assert book(user_client, event, qty=4).status_code == 422
    assert book(user_client, event, qty=3).status_code == 200


@override_settings(BOOKING_MAX_QTY=3)
@pytest.mark.parametrize(
    "body, field, message",
    [
        ({"qty": 4}, "qty", "At most 3 tickets per booking."),
        ({"seat_ids": ["A-1", "A-2", "A-3", "A-4"]}, "seat_ids", "At most 3 tickets per booking."),
        ({"qty": 1, "seat_ids": ["A-1", "A-2"]}, "qty", "qty (1) must equal the number of seat_ids (2)."),
        ({"seat_ids": ["A-2", "B-1", "A-2"]}, "seat_ids", "duplicate seats: A-2"),
    ],
    ids=["qty-over-max", "seats-over-max", "qty-vs-seats", "duplicate"],
)
def test_a_request_breaking_its_own_rules_gets_the_services_422_body(user_client, seated, body, field, message) -> None:
    response = book(user_client, seated, **body)

    assert response.status_code == 422
    assert response.json() == {"detail": f"{field}: {message}", "errors": {field: [message]}}
    assert not Booking.objects.exists()
    assert reserved_labels(seated) == []


def test_booking_needs_a_token(api_client, event) -> None:
    response = book(api_client, event, qty=1)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


# --- waitlist ----------------------------------------------------------------------------


def test_full_event_with_waitlist_true_joins_the_queue_with_its_position(client_for, event) -> None:
    first, second = client_for(UserFactory()), client_for(UserFactory())
    book(first, event, qty=10)

    one = book(first, event, qty=2, waitlist=True).json()
    two = book(second, event, qty=1, waitlist=True).json()

    assert (one["status"], one["waitlist_position"], one["seat_labels"]) == ("WAITLISTED", 1, [])
    assert (two["status"], two["waitlist_position"]) == ("WAITLISTED", 2)
    event.refresh_from_db()
    assert (event.booked_count, event.waitlisted_count) == (10, 2)
    assert_inventory_ok(event)


def test_taken_seats_with_waitlist_true_joins_the_queue_behind_others(client_for, seated) -> None:
    holder, waiter, me = (client_for(UserFactory()) for _ in range(3))
    assert book(holder, seated, qty=10).status_code == 200
    assert book(holder, seated, qty=2).status_code == 200  # all 12 seats sold
    assert book(waiter, seated, qty=2, waitlist=True).json()["waitlist_position"] == 1

    response = book(me, seated, seat_ids=["A-1"], waitlist=True)

    assert response.json()["status"] == "WAITLISTED"
    assert response.json()["waitlist_position"] == 2


def test_nobody_jumps_the_queue(client_for, event) -> None:
    holder, waiter, newcomer = (client_for(UserFactory()) for _ in range(3))
    book(holder, event, qty=9)
    book(waiter, event, qty=3, waitlist=True)  # 1 seat free, but the head needs 3

    refused = book(newcomer, event, qty=1)
    queued = book(newcomer, event, qty=1, waitlist=True)

    assert refused.status_code == 409
    assert refused.json()["detail"].startswith("Not enough seats available")
    assert "waiting" in refused.json()["detail"]
    assert queued.json()["status"] == "WAITLISTED"
    assert queued.json()["waitlist_position"] == 2


# --- idempotency -------------------------------------------------------------------------


def test_replay_returns_the_same_booking_with_the_replayed_header(user_client, event) -> None:
    first = book(user_client, event, key="abc", qty=2)
    again = book(user_client, event, key="abc", qty=2)

    assert again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert again.json() == first.json()
    event.refresh_from_db()
    assert event.booked_count == 2
    assert Booking.objects.filter(event=event).count() == 1


def test_replay_after_cancellation_returns_the_booking_as_now_stored(user_client, event) -> None:
    booking_id = book(user_client, event, key="abc", qty=2).json()["id"]
    user_client.delete(f"/bookings/{booking_id}")

    again = book(user_client, event, key="abc", qty=2)

    assert again.json()["id"] == booking_id
    assert again.json()["status"] == "CANCELLED"
    event.refresh_from_db()
    assert event.booked_count == 0


def test_replay_of_a_promoted_booking_shows_it_confirmed(client_for, event) -> None:
    holder, waiter = client_for(UserFactory()), client_for(UserFactory())
    held = book(holder, event, qty=10).json()
    book(waiter, event, key="w", qty=1, waitlist=True)
    holder.delete(f"/bookings/{held['id']}")

    again = book(waiter, event, key="w", qty=1, waitlist=True)

    assert again.json()["status"] == "CONFIRMED"
    assert again.json()["seat_labels"] == ["A-1"]
    assert again["Idempotent-Replayed"] == "true"


@pytest.mark.parametrize("changed", [{"qty": 3}, {"qty": 2, "waitlist": True}, {"seat_ids": ["A-1", "A-2"]}])
def test_same_key_different_request_is_422(user_client, event, changed) -> None:
    book(user_client, event, key="abc", qty=2)

    response = book(user_client, event, key="abc", **changed)

    assert response.status_code == 422
    assert response.json()["detail"] == "Idempotency-Key reused with a different request"


def test_key_is_scoped_to_user_and_event(client_for, event) -> None:
    alice, bob = client_for(UserFactory()), client_for(UserFactory())
    other = EventFactory()

    ids = {
        book(alice, event, key="same", qty=1).json()["id"],
        book(alice, other, key="same", qty=1).json()["id"],
        book(bob, event, key="same", qty=1).json()["id"],
    }

    assert len(ids) == 3


def test_failed_request_stores_nothing_so_a_retry_tries_again(client_for, event) -> None:
    holder, me = client_for(UserFactory()), client_for(UserFactory())
    held = book(holder, event, qty=10).json()
    assert book(me, event, key="retry", qty=1).status_code == 409
    holder.delete(f"/bookings/{held['id']}")

    response = book(me, event, key="retry", qty=1)

    assert response.status_code == 200
    assert response.json()["status"] == "CONFIRMED"
    assert "Idempotent-Replayed" not in response


def test_missing_key_is_400(user_client, event) -> None:
    response = user_client.post(f"/events/{event.id}/book", {"qty": 1}, format="json")

    assert response.status_code == 400
    assert response.json() == {"detail": "Idempotency-Key header is required"}
    assert not Booking.objects.filter(event=event).exists()


def test_overlong_key_is_400(user_client, event) -> None:
    assert book(user_client, event, key="k" * 256, qty=1).status_code == 400


def _as_wsgi(text: str) -> str:
    """A header as WSGI hands it over: each byte of its UTF-8 a Latin-1 character."""
    return text.encode("utf-8").decode("latin-1")


def test_a_non_ascii_key_is_the_text_the_client_sent(user_client, event) -> None:
    # "ключ" was judged on its UTF-8 bytes read as Latin-1: two of them C1 controls, so a 400
    # "must be printable text"; 255 Cyrillic letters counted as 510 characters.
    first = book(user_client, event, key=_as_wsgi("ключ-1"), qty=1)
    again = book(user_client, event, key=_as_wsgi("ключ-1"), qty=1)
    long_key = book(user_client, event, key=_as_wsgi("ж" * 255), qty=1)

    assert first.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert Booking.objects.get(pk=first.json()["id"]).idempotency_key == "ключ-1"
    assert long_key.status_code == 200
    too_long = book(user_client, event, key=_as_wsgi("ж" * 256), qty=1)
    assert (too_long.status_code, too_long.json()) == (400, {"detail": "Idempotency-Key must be at most 255 characters"})


def test_a_key_that_is_not_utf8_is_400(user_client, event) -> None:
    response = book(user_client, event, key=b"\xff\xfe-key".decode("latin-1"), qty=1)

    assert (response.status_code, response.json()) == (400, {"detail": "Idempotency-Key must be UTF-8 text"})
    assert not Booking.objects.filter(event=event).exists()
    assert book(user_client, event, key="k" * 255, qty=1).status_code == 200


@override_settings(IDEMPOTENCY_KEY_REQUIRED=False)
def test_legacy_clients_may_omit_the_key(user_client, event) -> None:
    first = user_client.post(f"/events/{event.id}/book", {"qty": 1}, format="json")
    second = user_client.post(f"/events/{event.id}/book", {"qty": 1}, format="json")

    assert first.status_code == second.status_code == 200
    assert first.json()["id"] != second.json()["id"]


# --- rate limit --------------------------------------------------------------------------


@override_settings(RATELIMIT_ENABLE=True, RATELIMIT_BOOKING="2/m")
def test_booking_is_rate_limited_per_user(client_for) -> None:
    event = EventFactory(capacity=50)
    me, other = client_for(UserFactory()), client_for(UserFactory())

    codes = [book(me, event, qty=1).status_code for _ in range(3)]

    assert codes == [200, 200, 429]
    assert int(book(me, event, qty=1)["Retry-After"]) >= 1
    assert book(other, event, qty=1).status_code == 200


# --- my bookings and cancellation ---------------------------------------------------------


def test_my_bookings_newest_first_only_mine_with_seats_and_positions(client_for) -> None:
    me_user = UserFactory()
    me, someone = client_for(me_user), client_for(UserFactory())
    event = EventFactory(capacity=2)
    mine_first = book(me, event, qty=1).json()
    book(someone, event, qty=1)
    mine_waiting = book(me, event, qty=1, waitlist=True).json()

    body = me.get("/me/bookings").json()

    assert [b["id"] for b in body] == [mine_waiting["id"], mine_first["id"]]
    assert body[1]["seat_labels"] == ["A-1"]
    assert body[0]["waitlist_position"] == 1
    assert all(b["user_id"] == me_user.id for b in body)


def test_my_bookings_cost_a_constant_number_of_queries(client_for) -> None:
    me = client_for(UserFactory())
    events = [EventFactory(capacity=3) for _ in range(4)]
    book(me, events[0], qty=1)
    with CaptureQueriesContext(connection) as few:
        me.get("/me/bookings")
    for event in events:
        book(me, event, qty=2)
    book(me, events[0], qty=3, waitlist=True)
    with CaptureQueriesContext(connection) as many:
        response = me.get("/me/bookings")

    assert len(response.json()) == 6
    assert len(few) == len(many) == 3  # user, bookings (+event, +position), seats


def test_cancel_frees_seats_and_count(user_client, seated) -> None:
    booking = book(user_client, seated, seat_ids=["B-2", "B-3"]).json()

    response = user_client.delete(f"/bookings/{booking['id']}")

    assert response.status_code == 200
    assert response.json()["status"] == "CANCELLED"
    assert response.json()["seat_labels"] == []
    seated.refresh_from_db()
    assert seated.booked_count == 0
    assert reserved_labels(seated) == []
    assert_inventory_ok(seated)


def test_cancel_is_idempotent(user_client, event) -> None:
    booking = book(user_client, event, qty=2).json()
    first = user_client.delete(f"/bookings/{booking['id']}")

    again = user_client.delete(f"/bookings/{booking['id']}")

    assert again.status_code == 200
    assert again.json() == first.json()
    event.refresh_from_db()
    assert event.booked_count == 0


def test_someone_elses_booking_is_404_and_untouched(client_for, event) -> None:
    owner, stranger = client_for(UserFactory()), client_for(UserFactory())
    booking = book(owner, event, qty=1).json()

    response = stranger.delete(f"/bookings/{booking['id']}")

    assert response.status_code == 404
    assert response.json() == {"detail": "Booking not found"}
    assert Booking.objects.get(pk=booking["id"]).status == "CONFIRMED"
    assert stranger.delete("/bookings/987654").status_code == 404


def test_admin_can_cancel_anyones_booking(client_for, admin_client, event) -> None:
    booking = book(client_for(UserFactory()), event, qty=1).json()

    assert admin_client.delete(f"/bookings/{booking['id']}").json()["status"] == "CANCELLED"


def test_cancel_promotes_the_waitlist_fifo_head_blocks_followers(client_for) -> None:
    event = EventFactory(capacity=4)
    holder, a, b, c = (client_for(UserFactory()) for _ in range(4))
    held = book(holder, event, qty=4).json()
    wa = book(a, event, qty=3, waitlist=True).json()
    wb = book(b, event, qty=2, waitlist=True).json()
    wc = book(c, event, qty=1, waitlist=True).json()

    holder.delete(f"/bookings/{held['id']}")

    statuses = {w["id"]: Booking.objects.get(pk=w["id"]).status for w in (wa, wb, wc)}
    # a (3) fits, then b (2) does not fit in the last seat and blocks c (1).
    assert statuses == {wa["id"]: "CONFIRMED", wb["id"]: "WAITLISTED", wc["id"]: "WAITLISTED"}
    assert a.get("/me/bookings").json()[0]["seat_labels"] == ["A-1", "A-2", "A-3"]
    assert b.get("/me/bookings").json()[0]["waitlist_position"] == 1
    assert c.get("/me/bookings").json()[0]["waitlist_position"] == 2
    assert_inventory_ok(event)


def test_cancelling_a_waiting_head_promotes_those_behind(client_for) -> None:
    event = EventFactory(capacity=2)
    holder, a, b = (client_for(UserFactory()) for _ in range(3))
    book(holder, event, qty=1)
    wa = book(a, event, qty=2, waitlist=True).json()  # doesn't fit the 1 free seat
    wb = book(b, event, qty=1, waitlist=True).json()

    a.delete(f"/bookings/{wa['id']}")

    assert Booking.objects.get(pk=wb["id"]).status == "CONFIRMED"
    assert_inventory_ok(event)


def test_cancel_on_an_inactive_event_frees_seats_but_promotes_nobody_until_reactivated(client_for, admin_client) -> None:
    event = EventFactory(capacity=1)
    holder, waiter = client_for(UserFactory()), client_for(UserFactory())
    held = book(holder, event, qty=1).json()
    waiting = book(waiter, event, qty=1, waitlist=True).json()
    admin_client.post(f"/admin/events/{event.id}/deactivate")

    assert holder.delete(f"/bookings/{held['id']}").status_code == 200
    event.refresh_from_db()
    assert (event.booked_count, Booking.objects.get(pk=waiting["id"]).status) == (0, "WAITLISTED")

    admin_client.patch(f"/admin/events/{event.id}", {"status": "active"}, format="json")

    assert Booking.objects.get(pk=waiting["id"]).status == "CONFIRMED"
    assert_inventory_ok(event)


def test_capacity_increase_promotes_the_waitlist(client_for, admin_client) -> None:
    event = EventFactory(capacity=1)
    holder, waiter = client_for(UserFactory()), client_for(UserFactory())
    book(holder, event, qty=1)
    waiting = book(waiter, event, qty=2, waitlist=True).json()

    response = admin_client.patch(f"/admin/events/{event.id}", {"capacity": 3}, format="json")

    assert response.json()["booked_count"] == 3
    assert response.json()["waitlisted_count"] == 0
    assert Booking.objects.get(pk=waiting["id"]).status == "CONFIRMED"
    assert waiter.get("/me/bookings").json()[0]["seat_labels"] == ["A-2", "A-3"]
    assert_inventory_ok(event)


def test_seat_generation_with_more_seats_promotes_the_waitlist(client_for, admin_client) -> None:
    event = EventFactory(capacity=1)
    waiter = client_for(UserFactory())
    waiting = book(waiter, event, qty=2, waitlist=True).json()

    admin_client.post(f"/admin/events/{event.id}/seats/generate", {"rows": 1, "cols": 4}, format="json")

    assert Booking.objects.get(pk=waiting["id"]).status == "CONFIRMED"
    assert_inventory_ok(event)


# --- admin listing -----------------------------------------------------------------------


def test_admin_bookings_filters_paging_and_total_header(client_for, admin_client) -> None:
    alice_user = UserFactory()
    alice, bob = client_for(alice_user), client_for(UserFactory())
    event, other = EventFactory(capacity=3), EventFactory()
    made = [book(alice, event, qty=1).json(), book(bob, event, qty=2).json(), book(alice, other, qty=1).json()]
    waiting = book(bob, event, qty=1, waitlist=True).json()

    everyone = admin_client.get("/admin/bookings", {"event_id": event.id})
    alices = admin_client.get("/admin/bookings", {"user_id": alice_user.id})
    waiters = admin_client.get("/admin/bookings", {"status": "WAITLISTED", "event_id": event.id})
    page = admin_client.get("/admin/bookings", {"event_id": event.id, "limit": 1, "offset": 1})

    assert [b["id"] for b in everyone.json()] == [waiting["id"], made[1]["id"], made[0]["id"]]
    assert everyone["X-Total-Count"] == "3"
    assert {b["id"] for b in alices.json()} == {made[0]["id"], made[2]["id"]}
    assert [b["id"] for b in waiters.json()] == [waiting["id"]]
    assert [b["id"] for b in page.json()] == [made[1]["id"]]
    assert page["X-Total-Count"] == "3"


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": 1001}, {"offset": -1}, {"status": "PAID"}, {"event_id": "x"},
     {"user_id": "0"}, {"limit": "ten"}, {"event_id": "99999999999999999999"},
     # Python's int() takes these; a query integer is ASCII digits with an optional sign.
     {"event_id": "\u0667"}, {"user_id": "1_0"}, {"limit": "5.0"}, {"offset": "\u0660"}, {"event_id": " 7"},
     {"limit": 0, "offset": -1, "status": "PAID", "user_id": "x"}],
)
def test_admin_bookings_bad_query_is_422(admin_client, params) -> None:
    response = admin_client.get("/admin/bookings", params)

    assert response.status_code == 422
    assert set(response.json()["errors"]) == set(params)


def test_admin_bookings_past_the_end_is_an_empty_list_with_the_total(user_client, admin_client, event) -> None:
    book(user_client, event, qty=1)

    response = admin_client.get("/admin/bookings", {"event_id": event.id, "offset": 5})

    assert response.status_code == 200
    assert response.json() == [] and response["X-Total-Count"] == "1"


def test_control_characters_in_seat_labels_and_keys_are_refused_cleanly(user_client, seated) -> None:
    nul_label = book(user_client, seated, seat_ids=["A-\x001"])
    nul_key = book(user_client, seated, key="k\x00ey", qty=1)

    assert nul_label.status_code == 422
    assert nul_key.status_code == 400
    assert not Booking.objects.filter(event=seated).exists()


def test_sql_looking_labels_are_just_unknown_seats(user_client, seated) -> None:
    response = book(user_client, seated, seat_ids=["A-1' OR '1'='1"])

    assert response.status_code == 404
    assert Seat.objects.filter(event=seated, reserved=True).count() == 0


@pytest.mark.parametrize("waitlist", [True, False])
def test_taken_named_seats_are_409_naming_them_while_the_event_can_fit_qty(client_for, seated, waitlist) -> None:
    """Issue 12 item 2: never swap in seats the caller did not name, `waitlist` or not."""
    first, second, third = (client_for(UserFactory()) for _ in range(3))
    book(first, seated, seat_ids=["A-1"])

    response = book(second, seated, seat_ids=["A-1", "A-2"], waitlist=waitlist)
    later = book(third, seated, qty=1)

    assert response.status_code == 409
    assert response.json()["seats"] == ["A-1"]
    assert "A-1" in response.json()["detail"]
    assert later.json()["status"] == "CONFIRMED"
    assert reserved_labels(seated) == ["A-1", "A-2"]
    seated.refresh_from_db()
    assert seated.waitlisted_count == 0
    assert_inventory_ok(seated)


def test_a_waiting_named_seat_request_is_promoted_with_the_best_available_seats(client_for) -> None:
    event = EventFactory(capacity=2)
    first, second = client_for(UserFactory()), client_for(UserFactory())
    held = book(first, event, seat_ids=["A-2"]).json()
    book(first, event, seat_ids=["A-1"])
    waiting = book(second, event, seat_ids=["A-1"], waitlist=True).json()
    assert waiting["status"] == "WAITLISTED"

    first.delete(f"/bookings/{held['id']}")

    assert second.get("/me/bookings").json()[0]["seat_labels"] == ["A-2"]
    assert_inventory_ok(event)


def test_waitlisting_for_taken_seats_on_a_full_event_waits(client_for) -> None:
    event = EventFactory(capacity=1)
    first, second = client_for(UserFactory()), client_for(UserFactory())
    book(first, event, seat_ids=["A-1"])

    response = book(second, event, seat_ids=["A-1"], waitlist=True)

    assert response.json()["status"] == "WAITLISTED"
    assert response.json()["waitlist_position"] == 1
    assert_inventory_ok(event)


def test_admin_bookings_id_filters_take_ascii_digits_only(admin_client, user_client, event) -> None:
    book(user_client, event, qty=1)

    response = admin_client.get("/admin/bookings", {"event_id": "\u0660" + str(event.id)})
    assert (response.status_code, response.json()["errors"]) == (422, {"event_id": ["Enter a whole number."]})
    assert len(admin_client.get("/admin/bookings", {"event_id": f"0{event.id}"}).json()) == 1
