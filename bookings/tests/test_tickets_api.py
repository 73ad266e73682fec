"""Tickets, QR codes, calendar files and door check-in (issue 13; API.md "Tickets and check-in")."""

from __future__ import annotations

import time
from datetime import timedelta, timezone as dt_timezone

import pytest
from django.test import override_settings
from icalendar import Calendar

from accounts.models import User
from accounts.tests.factories import UserFactory
from bookings.inventory import inventory_violations
from bookings.models import Ticket
from bookings.tests.helpers import book
from events.models import Event
from events.services import event_update, seat_map_generate
from events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db

TICKET_KEYS = ["id", "code", "booking_id", "event_id", "seat_label", "status", "checked_in_at"]


@pytest.fixture
def checkin_user(db: None) -> User:
    return UserFactory(role=User.Role.CHECKIN, name="Door Staff")


@pytest.fixture
def door(checkin_user, client_for):
    return client_for(checkin_user)


@pytest.fixture
def booked(user, user_client, event):
    """The user's CONFIRMED booking of 2 seats on `event` and its tickets' codes."""
    response = book(user_client, event, qty=2)
    assert response.status_code == 200
    booking_id = response.json()["id"]
    codes = list(Ticket.objects.filter(booking_id=booking_id).order_by("id").values_list("code", flat=True))
    return {"booking_id": booking_id, "codes": codes}


def scan(client, event_id, code, key=None):
    extra = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(f"/admin/events/{event_id}/checkin", {"code": code}, format="json", **extra)


# --- 1. GET /me/bookings/{id}/tickets -----------------------------------------------------


def test_my_booking_tickets_in_seat_order_with_the_contract_body(client_for, user) -> None:
    event = EventFactory(capacity=30)
    seat_map_generate(event_id=event.id, rows=3, cols=10)
    client = client_for(user)
    # Named out of order, across rows: the list is in seat order (row, then number).
    response = book(client, event, seat_ids=["B-2", "A-10", "A-9"])
    assert response.status_code == 200, response.json()

    body = client.get(f"/me/bookings/{response.json()['id']}/tickets").json()

    assert [t["seat_label"] for t in body] == ["A-9", "A-10", "B-2"]
    assert all(list(t) == TICKET_KEYS for t in body)
    assert {(t["booking_id"], t["event_id"], t["status"], t["checked_in_at"]) for t in body} == {
        (response.json()["id"], event.id, "valid", None)
    }
    assert len({t["code"] for t in body}) == 3
    assert all(len(t["code"]) >= 22 and t["code"].replace("-", "").replace("_", "").isalnum() for t in body)


def test_tickets_of_someone_elses_booking_are_404_but_an_admin_sees_them(booked, client_for, admin_client) -> None:
    other = client_for(UserFactory())
    url = f"/me/bookings/{booked['booking_id']}/tickets"

    assert other.get(url).status_code == 404
    assert other.get(url).json() == {"detail": "Booking not found"}
    assert other.get("/me/bookings/999999/tickets").status_code == 404
    assert admin_client.get(url).status_code == 200
    assert len(admin_client.get(url).json()) == 2


def test_tickets_need_authentication(api_client, booked) -> None:
    assert api_client.get(f"/me/bookings/{booked['booking_id']}/tickets").status_code == 401


def test_a_cancelled_booking_shows_its_tickets_void(user_client, booked) -> None:
    assert user_client.delete(f"/bookings/{booked['booking_id']}").status_code == 200

    body = user_client.get(f"/me/bookings/{booked['booking_id']}/tickets").json()

    assert [t["status"] for t in body] == ["void", "void"]


def test_a_waitlisted_booking_has_no_tickets(client_for, event) -> None:
    client = client_for(UserFactory())
    assert book(client_for(UserFactory()), event, qty=event.capacity).status_code == 200
    waiting = book(client, event, qty=1, waitlist=True).json()
    assert waiting["status"] == "WAITLISTED"

    assert client.get(f"/me/bookings/{waiting['id']}/tickets").json() == []


# --- 2. GET /tickets/{code}/qr.svg ---------------------------------------------------------


def test_qr_svg_encodes_the_code(user_client, booked) -> None:
    import segno

    response = user_client.get(f"/tickets/{booked['codes'][0]}/qr.svg")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and svg.rstrip().endswith("</svg>")
    # The path of the same QR segno draws for this code (same version, mask, error level).
    expected = segno.make_qr(booked["codes"][0], error="m").svg_inline(scale=8, border=4)
    path = expected[expected.index("<path"):]
    assert path in svg


def test_qr_of_unknown_or_someone_elses_ticket_is_404_admin_may(client_for, booked, admin_client, api_client) -> None:
    other = client_for(UserFactory())
    code = booked["codes"][0]

    assert other.get(f"/tickets/{code}/qr.svg").status_code == 404
    assert other.get(f"/tickets/{code}/qr.svg").json() == {"detail": "Ticket not found"}
    assert other.get("/tickets/not-a-real-code/qr.svg").status_code == 404
    assert other.get(f"/tickets/{'x' * 300}/qr.svg").status_code == 404
    assert other.get("/tickets/bad$code/qr.svg").status_code == 404
    assert admin_client.get(f"/tickets/{code}/qr.svg").status_code == 200
    assert api_client.get(f"/tickets/{code}/qr.svg").status_code == 401


# --- 3. calendar files ---------------------------------------------------------------------


def _vevent(content: bytes):
    calendar = Calendar.from_ical(content)
    events = [c for c in calendar.walk() if c.name == "VEVENT"]
    assert len(events) == 1
    return calendar, events[0]


def test_public_event_calendar_is_an_icalendar_event_in_utc(api_client) -> None:
    event = EventFactory(name="Jazz night", venue="Blue Hall")

    response = api_client.get(f"/events/{event.id}/calendar.ics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar, vevent = _vevent(response.content)
    assert str(vevent["summary"]) == "Jazz night"
    assert str(vevent["location"]) == "Blue Hall"
    start, end = vevent.decoded("dtstart"), vevent.decoded("dtend")
    assert start == event.start_time.replace(microsecond=0) and end == event.end_time.replace(microsecond=0)
    assert start.utcoffset() == timedelta(0)
    assert b"DTSTART:" in response.content and response.content.split(b"DTSTART:")[1][:16].endswith(b"Z")
    assert str(calendar["x-wr-timezone"]) == "UTC"
    assert "Seats" not in str(vevent["description"])


def test_public_event_calendar_unknown_event_is_404(api_client) -> None:
    assert api_client.get("/events/999999/calendar.ics").status_code == 404
    assert api_client.get("/events/999999/calendar.ics").json() == {"detail": "Event not found"}


def test_calendar_names_the_events_zone_when_event_has_one(api_client) -> None:
    event = EventFactory()
    from events.calendar import event_ics

    event.timezone = "Europe/Berlin"
    calendar, vevent = _vevent(event_ics(event=event))
    assert str(calendar["x-wr-timezone"]) == "Europe/Berlin"
    assert "(Europe/Berlin)" in str(vevent["description"])
    assert vevent.decoded("dtstart").utcoffset() == timedelta(0)


def test_calendar_text_keeps_backslashes_and_drops_control_characters(api_client) -> None:
    """RFC 5545 TEXT: a backslash is escaped as itself (`C:\\New` must not come back as
    "C:" + a line break + "ew", icalendar's reading of `\\N`), and CONTROL characters other
    than HTAB are not allowed in a value at all (an event name or venue may hold them)."""
    event = EventFactory(name="Back\\Nine \\n Gala\x1b\x07\x7f", venue="C:\\New Hall\rRoom\tB\x0b")

    response = api_client.get(f"/events/{event.id}/calendar.ics")

    _, vevent = _vevent(response.content)
    assert str(vevent["summary"]) == "Back\\Nine \\n Gala"
    assert str(vevent["location"]) == "C:\\New Hall\nRoom\tB"
    assert str(vevent["description"]).startswith("Back\\Nine \\n Gala at C:\\New Hall\nRoom\tB\n")
    for line in response.content.split(b"\r\n"):
        assert not any(byte < 0x20 and byte != 0x09 or byte == 0x7F for byte in line), line


def test_my_booking_calendar_adds_the_seat_labels(user_client, booked, client_for, event) -> None:
    response = user_client.get(f"/me/bookings/{booked['booking_id']}/calendar.ics")

    assert response.status_code == 200
    _, vevent = _vevent(response.content)
    assert "Seats: A-1, A-2" in str(vevent["description"])
    assert b"X-EVENTLY-SEATS:A-1\\, A-2\r\n" in response.content  # TEXT: its comma escaped (RFC 5545)
    assert vevent.decoded("dtstart") == event.start_time.astimezone(dt_timezone.utc).replace(microsecond=0)
    assert client_for(UserFactory()).get(f"/me/bookings/{booked['booking_id']}/calendar.ics").status_code == 404


def test_my_booking_calendar_says_whether_the_booking_stands(user_client, booked, client_for, event) -> None:
    """STATUS is the booking's: CONFIRMED, CANCELLED once cancelled (or the event inactive),
    TENTATIVE while it waits, so a calendar that re-imports the file shows it right."""
    def status(client, booking_id):
        return str(_vevent(client.get(f"/me/bookings/{booking_id}/calendar.ics").content)[1]["status"])

    assert status(user_client, booked["booking_id"]) == "CONFIRMED"
    Event.objects.filter(pk=event.pk).update(status="inactive")
    assert status(user_client, booked["booking_id"]) == "CANCELLED"
    Event.objects.filter(pk=event.pk).update(status="active")
    assert user_client.delete(f"/bookings/{booked['booking_id']}").status_code == 200
    assert status(user_client, booked["booking_id"]) == "CANCELLED"

    small = EventFactory(capacity=1)
    assert book(client_for(UserFactory()), small, qty=1).status_code == 200
    waiting = book(user_client, small, qty=1, waitlist=True).json()
    assert waiting["status"] == "WAITLISTED"
    assert status(user_client, waiting["id"]) == "TENTATIVE"


def test_a_cancelled_bookings_calendar_file_is_the_newer_version(user_client, booked, event) -> None:
    """Calendars keep the entry with the higher SEQUENCE (then DTSTAMP) for a UID: the file
    after a cancellation, or after the event moved, must win over the one imported before."""
    url = f"/me/bookings/{booked['booking_id']}/calendar.ics"

    def version():
        vevent = _vevent(user_client.get(url).content)[1]
        return int(vevent["sequence"]), vevent.decoded("dtstamp"), vevent.decoded("last-modified")

    confirmed = version()
    time.sleep(1.1)  # SEQUENCE counts whole seconds
    assert user_client.delete(f"/bookings/{booked['booking_id']}").status_code == 200
    cancelled = version()
    time.sleep(1.1)
    event_update(event_id=event.pk, venue="Another hall")
    moved = version()

    assert confirmed[0] < cancelled[0] < moved[0]
    assert confirmed[1] < cancelled[1] < moved[1] and cancelled[1] == cancelled[2]


def test_my_booking_calendar_is_the_owners_only_admins_included(booked, client_for) -> None:
    """API.md: the booking's calendar file is "(owner)", where its tickets are "(owner or admin)"."""
    admin = client_for(UserFactory(role="admin"))

    assert admin.get(f"/me/bookings/{booked['booking_id']}/calendar.ics").status_code == 404
    assert admin.get(f"/me/bookings/{booked['booking_id']}/tickets").status_code == 200


# --- 4. the checkin role -------------------------------------------------------------------


def test_admin_sets_the_checkin_role(admin_client, user) -> None:
    response = admin_client.patch(f"/admin/users/{user.id}/role", {"role": "checkin"}, format="json")

    assert response.status_code == 200
    assert response.json()["role"] == "checkin"
    assert admin_client.get("/admin/users", {"role": "checkin"}).json()[0]["id"] == user.id


def test_the_last_admin_cannot_become_door_staff(admin_client, admin) -> None:
    User.objects.exclude(pk=admin.pk).filter(role=User.Role.ADMIN).update(role=User.Role.USER)
    UserFactory(role=User.Role.CHECKIN)

    response = admin_client.patch(f"/admin/users/{admin.id}/role", {"role": "checkin"}, format="json")

    assert response.status_code == 409
    admin.refresh_from_db()
    assert admin.is_admin


@pytest.mark.parametrize(
    "method,path,body",
    [
        ("get", "/admin/users", None),
        ("post", "/admin/users", {"name": "X", "email": "x@example.com", "password": "long-enough-pass"}),
        ("patch", "/admin/users/{user}/role", {"role": "admin"}),
        ("get", "/admin/bookings", None),
        ("post", "/admin/events", {"name": "N", "venue": "V", "start_time": "2031-01-01T10:00:00Z", "end_time": "2031-01-01T11:00:00Z", "capacity": 3}),
        ("patch", "/admin/events/{event}", {"name": "Renamed"}),
        ("post", "/admin/events/{event}/deactivate", None),
        ("delete", "/admin/events/{event}", None),
        ("post", "/admin/events/{event}/seats/generate", {"rows": 1, "cols": 1}),
        ("get", "/admin/analytics/summary", None),
    ],
)
def test_door_staff_get_403_on_every_other_admin_route(door, checkin_user, event, method, path, body) -> None:
    url = path.format(user=checkin_user.id, event=event.id)

    response = getattr(door, method)(url, body, format="json") if body else getattr(door, method)(url)

    assert response.status_code == 403
    checkin_user.refresh_from_db()
    assert checkin_user.role == "checkin"
    assert Event.objects.filter(pk=event.pk, name=event.name, status="active").exists()


def test_door_staff_cannot_enter_the_staff_console(client, checkin_user) -> None:
    from accounts.tests.factories import DEFAULT_PASSWORD

    client.post("/staff/login/", {"username": checkin_user.email, "password": DEFAULT_PASSWORD})
    response = client.get("/staff/")

    assert response.status_code == 302 and "/staff/login/" in response["Location"]
    assert not checkin_user.is_staff


def test_a_plain_user_cannot_check_in(user_client, booked, event, api_client) -> None:
    assert scan(user_client, event.id, booked["codes"][0]).status_code == 403
    assert scan(api_client, event.id, booked["codes"][0]).status_code == 401
    assert user_client.delete(f"/admin/events/{event.id}/checkin/{booked['codes'][0]}").status_code == 403
    assert Ticket.objects.get(code=booked["codes"][0]).status == "valid"


# --- 5. check-in and undo ------------------------------------------------------------------


def test_door_staff_admit_a_ticket(door, booked, event, user, checkin_user) -> None:
    response = scan(door, event.id, booked["codes"][1])

    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["ticket", "booking_id", "holder"]
    assert body["booking_id"] == booked["booking_id"]
    assert body["holder"] == {"name": user.name}
    assert list(body["ticket"]) == TICKET_KEYS
    assert body["ticket"]["status"] == "checked_in"
    assert body["ticket"]["seat_label"] == "A-2"
    assert body["ticket"]["checked_in_at"].endswith("Z")
    ticket = Ticket.objects.get(code=booked["codes"][1])
    assert (ticket.status, ticket.checked_in_by_id) == ("checked_in", checkin_user.id)
    assert "Idempotent-Replayed" not in response.headers
    assert inventory_violations(event_id=event.id) == []


def test_an_admin_may_check_in_too(admin_client, booked, event) -> None:
    assert scan(admin_client, event.id, booked["codes"][0]).status_code == 200


def test_the_same_code_again_is_409_with_the_first_time(door, booked, event) -> None:
    first = scan(door, event.id, booked["codes"][0]).json()

    again = scan(door, event.id, booked["codes"][0])

    assert again.status_code == 409
    assert again.json() == {"detail": "Already checked in", "checked_in_at": first["ticket"]["checked_in_at"]}


def test_a_void_ticket_is_refused(door, user_client, booked, event) -> None:
    user_client.delete(f"/bookings/{booked['booking_id']}")

    response = scan(door, event.id, booked["codes"][0])

    assert response.status_code == 409
    assert response.json() == {"detail": "Ticket void (booking cancelled)"}


def test_a_ticket_of_another_event_is_refused(door, booked) -> None:
    other = EventFactory()

    response = scan(door, other.id, booked["codes"][0])

    assert response.status_code == 409
    assert response.json() == {"detail": "Ticket is for another event"}
    assert Ticket.objects.get(code=booked["codes"][0]).status == "valid"


def test_unknown_code_or_event_is_404(door, booked, event) -> None:
    assert scan(door, event.id, "no-such-code").status_code == 404
    assert scan(door, event.id, "no-such-code").json() == {"detail": "Ticket not found"}
    assert scan(door, event.id, "x" * 64).status_code == 404
    assert scan(door, 999999, booked["codes"][0]).json() == {"detail": "Event not found"}
    assert scan(door, 999999, "no-such-code").status_code == 404


@pytest.mark.parametrize(
    "body",
    [{}, {"code": ""}, {"code": "   "}, {"code": None}, {"code": 12}, {"code": ["a"]}, {"code": "x" * 65}, []],
)
def test_a_bad_body_is_422(door, event, body) -> None:
    response = door.post(f"/admin/events/{event.id}/checkin", body, format="json")

    assert response.status_code == 422
    assert "detail" in response.json()


def test_malformed_json_is_400_never_500(door, event) -> None:
    response = door.post(f"/admin/events/{event.id}/checkin", "{oops", content_type="application/json")

    assert response.status_code == 400
    assert "detail" in response.json()


def test_a_retry_with_the_same_key_replays_the_200(door, booked, event) -> None:
    first = scan(door, event.id, booked["codes"][0], key="scan-1")

    retry = scan(door, event.id, booked["codes"][0], key="scan-1")

    assert retry.status_code == 200
    assert retry.json() == first.json()
    assert retry.headers["Idempotent-Replayed"] == "true"
    # Another key, no key, or another scanner with the same key: the ticket was already admitted.
    assert scan(door, event.id, booked["codes"][0], key="scan-2").status_code == 409
    assert scan(door, event.id, booked["codes"][0]).status_code == 409


def test_the_same_key_from_another_scanner_is_not_a_replay(door, booked, event, client_for) -> None:
    scan(door, event.id, booked["codes"][0], key="scan-1")
    other_door = client_for(UserFactory(role=User.Role.CHECKIN))

    assert scan(other_door, event.id, booked["codes"][0], key="scan-1").status_code == 409


def test_undo_puts_the_ticket_back_to_valid(door, booked, event) -> None:
    code = booked["codes"][0]
    scan(door, event.id, code, key="scan-1")

    response = door.delete(f"/admin/events/{event.id}/checkin/{code}")

    assert response.status_code == 200
    assert list(response.json()) == TICKET_KEYS
    assert (response.json()["status"], response.json()["checked_in_at"]) == ("valid", None)
    ticket = Ticket.objects.get(code=code)
    assert (ticket.checked_in_by_id, ticket.checkin_key) == (None, None)
    # Admitted again after the undo; the old key no longer replays anything.
    assert scan(door, event.id, code, key="scan-1").headers.get("Idempotent-Replayed") is None
    assert inventory_violations(event_id=event.id) == []


def test_undo_outcomes(door, booked, event, user_client) -> None:
    code = booked["codes"][0]

    assert door.delete(f"/admin/events/{event.id}/checkin/{code}").json()["status"] == "valid"  # idempotent
    assert door.delete(f"/admin/events/{event.id}/checkin/nope").status_code == 404
    assert door.delete(f"/admin/events/{EventFactory().id}/checkin/{code}").status_code == 409
    user_client.delete(f"/bookings/{booked['booking_id']}")
    response = door.delete(f"/admin/events/{event.id}/checkin/{code}")
    assert response.status_code == 409
    assert response.json() == {"detail": "Ticket void (booking cancelled)"}


def test_cancelling_an_admitted_booking_voids_its_tickets(door, user_client, booked, event) -> None:
    scan(door, event.id, booked["codes"][0])

    assert user_client.delete(f"/bookings/{booked['booking_id']}").status_code == 200

    assert set(Ticket.objects.filter(booking_id=booked["booking_id"]).values_list("status", flat=True)) == {"void"}
    assert inventory_violations(event_id=event.id) == []


@override_settings(RATELIMIT_ENABLE=True, RATELIMIT_ADMIN="2/m", RATELIMIT_CHECKIN="4/m")
def test_scans_have_their_own_rate_limit_not_the_admin_one(door, event, client_for) -> None:
    codes = []
    for _ in range(3):
        response = book(client_for(UserFactory()), event, qty=1)
        codes.append(Ticket.objects.get(booking_id=response.json()["id"]).code)

    statuses = [scan(door, event.id, code).status_code for code in codes]
    statuses.append(door.delete(f"/admin/events/{event.id}/checkin/{codes[0]}").status_code)
    over = scan(door, event.id, codes[0])

    assert statuses == [200, 200, 200, 200]  # over RATELIMIT_ADMIN, within RATELIMIT_CHECKIN
    assert over.status_code == 429
    assert over.json() == {"detail": "Rate limit exceeded"}
    assert int(over["Retry-After"]) >= 1


def test_door_staff_demoted_to_user_are_refused_at_once(door, checkin_user, booked, event) -> None:
    User.objects.filter(pk=checkin_user.pk).update(role=User.Role.USER)

    response = scan(door, event.id, booked["codes"][0])

    assert response.status_code == 403
    assert Ticket.objects.get(code=booked["codes"][0]).status == "valid"


def test_an_admin_creates_door_staff(admin_client) -> None:
    response = admin_client.post(
        "/admin/users",
        {"name": "Gate 1", "email": "gate1@example.com", "password": "a-long-door-password", "role": "checkin"},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["role"] == "checkin"


def test_files_are_served_to_clients_that_ask_for_their_type(user_client, booked) -> None:
    """DRF's JSON-only negotiation answered 406 to `Accept: image/svg+xml` / `text/calendar`."""
    qr = user_client.get(f"/tickets/{booked['codes'][0]}/qr.svg", HTTP_ACCEPT="image/svg+xml")
    booking_ics = user_client.get(f"/me/bookings/{booked['booking_id']}/calendar.ics", HTTP_ACCEPT="text/calendar")
    missing = user_client.get("/tickets/not-a-real-code/qr.svg", HTTP_ACCEPT="image/svg+xml")

    assert qr.status_code == booking_ics.status_code == 200
    assert qr["Content-Type"] == "image/svg+xml"
    assert booking_ics["Content-Type"].startswith("text/calendar")
    assert missing.status_code == 404 and missing.json() == {"detail": "Ticket not found"}
