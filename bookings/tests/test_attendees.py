"""API.md "Organizer tools": GET /admin/events/{id}/attendees (JSON and a streamed,
formula-safe CSV) and `user` on GET /admin/bookings items."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.tests.factories import UserFactory
from bookings.attendees import attendee_csv_lines, safe_cell
from bookings.models import Booking, Ticket
from bookings.services import BookingRequest, booking_cancel, booking_create
from events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def confirmed(user, event, qty: int = 1, key: str | None = None) -> Booking:
    outcome = booking_create(
        user=user, event_id=event.id, request=BookingRequest(qty=qty),
        idempotency_key=key or f"k-{user.id}-{event.id}-{qty}-{timezone.now().timestamp()}",
    )
    return outcome.booking


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(text)))


# --- JSON --------------------------------------------------------------------------------


def test_attendees_are_the_confirmed_bookings_with_their_holder(admin_client) -> None:
    event = EventFactory(capacity=10)
    ada, bob, cy = UserFactory(name="Ada"), UserFactory(name="Bob"), UserFactory(name="Cy")
    first = confirmed(ada, event, 2)
    gone = confirmed(bob, event, 1)
    booking_cancel(booking_id=gone.id, actor=bob)
    last = confirmed(cy, event, 3)
    booking_create(user=bob, event_id=EventFactory().id, request=BookingRequest(qty=1), idempotency_key="other")

    response = admin_client.get(f"/admin/events/{event.id}/attendees")

    assert response.status_code == 200
    body = response.json()
    assert [row["booking_id"] for row in body] == [first.id, last.id]  # oldest first
    assert body[0] == {
        "booking_id": first.id,
        "user": {"id": ada.id, "name": "Ada", "email": ada.email},
        "qty": 2, "seat_labels": ["A-1", "A-2"], "status": "CONFIRMED",
        "checked_in": False, "checked_in_count": 0,
        "created_at": body[0]["created_at"],
    }
    assert body[0]["created_at"].endswith("Z")
    assert body[1]["seat_labels"] == ["A-3", "A-4", "A-5"]  # the cancelled booking's seat is free again


def test_checked_in_is_true_once_any_ticket_of_the_booking_is(admin_client, user) -> None:
    event = EventFactory(capacity=5)
    booking = confirmed(user, event, 3)
    ticket = Ticket.objects.filter(booking=booking).order_by("id").first()
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.CHECKED_IN, checked_in_at=timezone.now())

    [row] = admin_client.get(f"/admin/events/{event.id}/attendees").json()

    assert (row["checked_in"], row["checked_in_count"]) == (True, 1)


def test_unknown_event_is_404_in_both_formats(admin_client) -> None:
    for query in ("", "?format=csv", "?format=json"):
        response = admin_client.get(f"/admin/events/987654321/attendees{query}")
        assert response.status_code == 404
        assert response.json() == {"detail": "Event not found"}


def test_an_event_without_bookings_has_no_attendees(admin_client, event) -> None:
    assert admin_client.get(f"/admin/events/{event.id}/attendees").json() == []


def test_only_admins_read_the_attendee_list(api_client, user_client, event) -> None:
    assert api_client.get(f"/admin/events/{event.id}/attendees").status_code == 401
    forbidden = user_client.get(f"/admin/events/{event.id}/attendees?format=csv")
    assert forbidden.status_code == 403
    assert "detail" in forbidden.json()


def test_the_list_costs_the_same_queries_whatever_its_size(admin_client, django_assert_num_queries) -> None:
    small, large = EventFactory(capacity=5), EventFactory(capacity=60)
    confirmed(UserFactory(), small, 1)
    for _ in range(20):
        confirmed(UserFactory(), large, 3)

    # user (authentication), event exists, bookings with holders, their tickets
    with django_assert_num_queries(4):
        assert len(admin_client.get(f"/admin/events/{small.id}/attendees").json()) == 1
    with django_assert_num_queries(4):
        assert len(admin_client.get(f"/admin/events/{large.id}/attendees").json()) == 20


@pytest.mark.parametrize("value", ["xml", "CSV", "api", "csv,json"])
def test_another_format_is_422(admin_client, event, value) -> None:
    response = admin_client.get(f"/admin/events/{event.id}/attendees", {"format": value})

    assert response.status_code == 422
    assert "format" in response.json()["errors"]


# --- CSV ---------------------------------------------------------------------------------


def test_csv_streams_the_same_rows_as_an_attachment(admin_client) -> None:
    event = EventFactory(capacity=10)
    ada = UserFactory(name="Ada Lovelace, Countess")
    booking = confirmed(ada, event, 2)

    response = admin_client.get(f"/admin/events/{event.id}/attendees?format=csv")

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="event-{event.id}-attendees.csv"'
    header, row = csv_rows(response)
    assert header == [
        "booking_id", "user_id", "user_name", "user_email", "qty", "seat_labels", "status",
        "checked_in", "checked_in_count", "created_at",
    ]
    json_row = admin_client.get(f"/admin/events/{event.id}/attendees").json()[0]
    assert row == [
        str(booking.id), str(ada.id), "Ada Lovelace, Countess", ada.email, "2", "A-1 A-2",
        "CONFIRMED", "false", "0", json_row["created_at"],
    ]


def test_csv_is_utf_8(admin_client) -> None:
    event = EventFactory(capacity=3)
    confirmed(UserFactory(name="Zoë Ölçer 李"), event)

    response = admin_client.get(f"/admin/events/{event.id}/attendees?format=csv")

    assert csv_rows(response)[1][2] == "Zoë Ölçer 李"


@pytest.mark.parametrize("name", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rCR"])
def test_csv_cells_that_start_like_a_formula_get_a_quote(admin_client, name) -> None:
    event = EventFactory(capacity=3)
    confirmed(UserFactory(name=name), event)

    response = admin_client.get(f"/admin/events/{event.id}/attendees?format=csv")

    assert csv_rows(response)[1][2] == "'" + name


def test_safe_cell_leaves_ordinary_text_alone() -> None:
    assert [safe_cell(v) for v in ("Ada", "a=b", 12, None, "")] == ["Ada", "a=b", "12", "", ""]


def test_csv_lines_are_produced_one_at_a_time() -> None:
    """The generator pulls a booking only when the next line is asked for: nothing is
    collected in memory, so 100,000 attendees cost what a chunk costs."""
    pulled: list[int] = []

    def bookings():
        for n in range(100_000):
            pulled.append(n)
            user = UserFactory.build(id=n + 1, name=f"P{n}", email=f"p{n}@example.com")
            booking = Booking(id=n + 1, user=user, qty=1, status="CONFIRMED", created_at=timezone.now())
            booking.seat_labels = [f"A-{n + 1}"]
            booking.checked_in_count = 0
            yield booking

    lines = attendee_csv_lines(bookings())
    assert next(lines).startswith("booking_id,")
    assert next(lines).startswith("1,1,P0,")
    assert pulled == [0]


def test_the_csv_walks_the_bookings_in_chunks(admin_client, monkeypatch) -> None:
    from bookings import attendees

    event = EventFactory(capacity=30)
    for _ in range(7):
        confirmed(UserFactory(), event, 2)
    monkeypatch.setattr(attendees, "CHUNK_SIZE", 3)

    with CaptureQueriesContext(connection) as queries:
        rows = csv_rows(admin_client.get(f"/admin/events/{event.id}/attendees?format=csv"))

    assert len(rows) == 1 + 7
    assert [r[5] for r in rows[1:]] == [
        "A-1 A-2", "A-3 A-4", "A-5 A-6", "A-7 A-8", "A-9 A-10", "B-1 B-2", "B-3 B-4",
    ]
    ticket_reads = [q for q in queries if "bookings_ticket" in q["sql"] and "IN (" in q["sql"]]
    assert len(ticket_reads) == 3  # one prefetch per chunk of 3 bookings: 3 + 3 + 1


# --- /admin/bookings gains `user` ---------------------------------------------------------


def test_admin_bookings_items_carry_their_holder_without_n_plus_1(admin_client) -> None:
    event = EventFactory(capacity=40)
    holders = [UserFactory(name=f"Holder {i}") for i in range(12)]
    for holder in holders:
        confirmed(holder, event)

    with CaptureQueriesContext(connection) as queries:
        body = admin_client.get("/admin/bookings", {"event_id": event.id}).json()

    assert {item["user"]["id"]: item["user"] for item in body} == {
        h.id: {"id": h.id, "name": h.name, "email": h.email} for h in holders
    }
    assert all(item["user_id"] == item["user"]["id"] for item in body)
    assert len(queries) <= 4  # user, count, page (with holders joined), tickets


def test_each_role_s_access_to_the_attendee_list(client_for, event) -> None:
    """admin and checkin (door staff, issue 13) read it; every other role gets 403. Covers the
    `checkin` role as soon as accounts defines it (User.Role is iterated, nothing skipped)."""
    from accounts.models import User

    expected = {"admin": 200, "checkin": 200, "user": 403}
    for role in User.Role:
        client = client_for(UserFactory(role=role))
        response = client.get(f"/admin/events/{event.id}/attendees")
        assert response.status_code == expected[role.value], role
