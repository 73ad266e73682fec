"""Hostile input on every write endpoint: each request gets its contract status and a JSON
`detail`, and changes nothing (row counts, every event's inventory, roles, statuses, and
the check_inventory invariants are compared before and after).

Complements evently/tests/test_http_conventions.py (malformed JSON on signup, 415, 413),
bookings/tests/test_booking_api.py (invalid booking bodies) and events/tests/test_admin_api.py
(event validation) with the full endpoint × hostile-body matrix.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tests.factories import UserFactory
from bookings.models import Booking
from conftest import token_for
from events.models import Event, Seat
from events.services import seat_map_generate
from events.tests.factories import EventFactory
from evently.tests.reliability.conftest import record

pytestmark = [pytest.mark.reliability, pytest.mark.django_db]

MB = 1024 * 1024


@dataclass
class World:
    user: User
    other: User
    admin: User
    seated: Event  # 2 x 5 seat map, one booking of `user` on A-1
    other_event: Event  # its own seat map
    bare: Event  # no seats, no bookings
    booking: Booking
    other_booking: Booking

    def client(self, who: str) -> APIClient:
        client = APIClient()
        if who != "anon":
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(getattr(self, who))}")
        return client


@pytest.fixture
def world() -> World:
    user, other = UserFactory(), UserFactory()
    admin = UserFactory(role=User.Role.ADMIN)
    seated, other_event, bare = EventFactory(capacity=10), EventFactory(capacity=4), EventFactory(capacity=6)
    seat_map_generate(event_id=seated.id, rows=2, cols=5)
    seat_map_generate(event_id=other_event.id, rows=1, cols=4)
    w = World(user, other, admin, seated, other_event, bare, None, None)  # type: ignore[arg-type]
    for who, event in (("user", seated), ("other", other_event)):
        response = w.client(who).post(
            f"/events/{event.id}/book", {"qty": 1}, format="json", HTTP_IDEMPOTENCY_KEY="seed"
        )
        assert response.status_code == 200, response.content
    w.booking = Booking.objects.get(user=user)
    w.other_booking = Booking.objects.get(user=other)
    return w


def snapshot() -> dict[str, Any]:
    """Everything a hostile request could corrupt."""
    from bookings.inventory import inventory_violations

    return {
        "counts": (User.objects.count(), Event.objects.count(), Seat.objects.count(), Booking.objects.count()),
        "users": list(User.objects.order_by("id").values_list("id", "email", "name", "role", "is_active", "password")),
        "events": list(
            Event.objects.order_by("id").values_list(
                "id", "name", "venue", "start_time", "end_time", "capacity", "booked_count",
                "waitlisted_count", "status", "seat_cols",
            )
        ),
        "bookings": list(Booking.objects.order_by("id").values_list("id", "user_id", "event_id", "qty", "status")),
        "reserved": list(Seat.objects.filter(reserved=True).order_by("id").values_list("id", flat=True)),
        "violations": inventory_violations(),
    }


def send(client: APIClient, method: str, path: str, body: Any, *, raw: bool = False,
         content_type: str = "application/json", **headers: str):
    data = body if raw else json.dumps(body)
    return client.generic(method, path, data, content_type=content_type, **headers)


def assert_contract_error(response, status: int) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert isinstance(body, dict) and isinstance(body.get("detail"), str) and body["detail"], body
    if status == 422:
        assert isinstance(body.get("errors"), dict) and body["errors"], body
    return body


# --- the endpoints ------------------------------------------------------------------------

@dataclass(frozen=True)
class Endpoint:
    method: str
    path: Callable[[World], str]
    who: str
    valid: dict | None  # a valid body, to prove the endpoint works and build variants
    headers: tuple[tuple[str, str], ...] = ()


ENDPOINTS = {
    "signup": Endpoint("POST", lambda w: "/auth/signup", "anon",
                       {"name": "Eve", "email": "eve@example.com", "password": "long-enough-pw"}),
    "login": Endpoint("POST", lambda w: "/auth/login", "anon",
                      {"email": "nobody@example.com", "password": "long-enough-pw"}),
    "book": Endpoint("POST", lambda w: f"/events/{w.seated.id}/book", "user", {"qty": 1},
                     (("HTTP_IDEMPOTENCY_KEY", "hostile"),)),
    "cancel": Endpoint("DELETE", lambda w: f"/bookings/{w.booking.id}", "user", None),
    "event-create": Endpoint("POST", lambda w: "/admin/events", "admin", {
        "name": "N", "venue": "V", "start_time": "2031-01-01T19:00:00Z",
        "end_time": "2031-01-01T22:00:00Z", "capacity": 10}),
    "event-patch": Endpoint("PATCH", lambda w: f"/admin/events/{w.seated.id}", "admin", {"name": "Renamed"}),
    "event-deactivate": Endpoint("POST", lambda w: f"/admin/events/{w.seated.id}/deactivate", "admin", None),
    "event-delete": Endpoint("DELETE", lambda w: f"/admin/events/{w.bare.id}", "admin", None),
    "seats-generate": Endpoint("POST", lambda w: f"/admin/events/{w.bare.id}/seats/generate", "admin",
                               {"rows": 2, "cols": 3}),
    "user-create": Endpoint("POST", lambda w: "/admin/users", "admin",
                            {"name": "Mallory", "email": "mallory@example.com", "password": "long-enough-pw"}),
    "user-role": Endpoint("PATCH", lambda w: f"/admin/users/{w.user.id}/role", "admin", {"role": "admin"}),
}
MERGED = {"signup", "login", "event-create", "user-create"}
BODY_ENDPOINTS = [name for name, e in ENDPOINTS.items() if e.valid is not None]

# Bodies that are wrong before any field is read: (bytes, content type, status).
DEEP_ARRAY = b"[" * 30_000 + b"]" * 30_000  # under the 64 KiB cap, so the parser sees it
DEEP_OBJECT = b'{"a":' * 10_000 + b"1" + b"}" * 10_000
RAW_BODIES = {
    "truncated-json": (b'{"qty": 1', "application/json", 400),
    "not-utf8": (b'{"name": "\xff\xfe\xfa"}', "application/json", 400),
    "utf16": ('{"qty": 1}'.encode("utf-16"), "application/json", 400),
    "nan": (b'{"qty": NaN, "capacity": NaN, "rows": NaN}', "application/json", 400),
    "infinity": (b'{"qty": Infinity}', "application/json", 400),
    "deeply-nested-array": (DEEP_ARRAY, "application/json", 400),
    "deeply-nested-object": (DEEP_OBJECT, "application/json", 400),
    "1MB-json": (b'{"name": "' + b"x" * MB + b'"}', "application/json", 413),
    "1MB-garbage": (b"\x00" * MB, "application/octet-stream", 413),
    "form-encoded": (b"qty=1&name=x&role=admin", "application/x-www-form-urlencoded", 415),
    "multipart": (b"--b\r\nContent-Disposition: form-data; name=\"qty\"\r\n\r\n1\r\n--b--\r\n",
                  "multipart/form-data; boundary=b", 415),
    "text-plain": (b'{"qty": 1}', "text/plain", 415),
    "xml": (b"<qty>1</qty>", "application/xml", 415),
    # Lone UTF-16 surrogates anywhere (value, key, nested): 400 Malformed JSON, never a 500.
    "lone-surrogate-value": (b'{"name": "\\ud800", "role": "\\ud800", "qty": 1}', "application/json", 400),
    "lone-low-surrogate-in-key": (b'{"\\udc00": 1, "qty": 1}', "application/json", 400),
    "lone-surrogate-nested": (b'{"seat_ids": [["x", {"k": "a\\udbff"}]]}', "application/json", 400),
    "json-array": (b"[]", "application/json", 422),
    "json-string": (b'"admin"', "application/json", 422),
    "json-number": (b"1e400", "application/json", 422),
    "json-null": (b"null", "application/json", 422),
    "json-true": (b"true", "application/json", 422),
}


def _raw_cases() -> dict[str, list[tuple[str, bytes, str, int]]]:
    cases = {
        endpoint: [(name, body, ctype, status) for name, (body, ctype, status) in RAW_BODIES.items()]
        for endpoint in BODY_ENDPOINTS
    }
    # Endpoints without a body still refuse to receive a huge one.
    for endpoint in ("cancel", "event-deactivate", "event-delete"):
        cases[endpoint] = [("1MB", b"x" * MB, "application/json", 413)]
    return cases


RAW_CASES = _raw_cases()


def run_cases(world: World, endpoint: str, cases: list[tuple[str, Any, int, dict[str, Any]]]) -> None:
    """Send every case to one endpoint; after each, the snapshot must equal the one taken
    before the first (so one world serves all the cases of an endpoint). All failures are
    reported together."""
    e = ENDPOINTS[endpoint]
    client = world.client(e.who)
    before = snapshot()
    failures = []
    for name, data, status, options in cases:
        response = send(client, e.method, e.path(world), data, **options, **dict(e.headers))
        record("hostile inputs")
        try:
            assert_contract_error(response, status)
            after = snapshot()
            assert after == before, {k: (before[k], after[k]) for k in before if before[k] != after[k]}
        except AssertionError as exc:
            failures.append(f"{endpoint}/{name}: {exc}")
            before = snapshot()
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("endpoint", list(RAW_CASES))
def test_hostile_raw_bodies_get_their_status_and_change_nothing(world: World, endpoint: str) -> None:
    run_cases(world, endpoint, [
        (name, body, status, {"raw": True, "content_type": ctype})
        for name, body, ctype, status in RAW_CASES[endpoint]
    ])


# Field-level attacks: (endpoint, body, status). Bodies are built from the world.
def _field_cases() -> dict[str, list[tuple[str, Any, int]]]:
    big = 10**30
    cases: list[tuple[str, str, Any, int]] = []

    def add(endpoint: str, name: str, body: Any, status: int = 422) -> None:
        cases.append((endpoint, name, body, status))

    for name, value in {
        "zero": 0, "negative": -1, "huge": big, "float": 1.5, "string": "two", "bool": True,
        "null": None, "list": [1], "object": {"n": 1}, "over-max": 11,
    }.items():
        add("book", f"qty-{name}", {"qty": value})
        add("book", f"quantity-{name}", {"quantity": value})
    add("book", "qty-and-quantity-disagree", {"qty": 1, "quantity": 2})
    add("book", "unknown-fields-only", {"price": 0, "user_id": 1, "status": "CONFIRMED"})
    add("book", "empty", {})
    add("book", "seat-ids-not-a-list", {"seat_ids": "A-1"})
    add("book", "seat-ids-duplicated", lambda w: {"seat_ids": ["A-2", "A-2"]})
    add("book", "seat-ids-same-seat-by-id-and-label",
        lambda w: {"seat_ids": [Seat.objects.get(event=w.seated, label="A-3").id, "A-3"]})
    add("book", "seat-ids-of-another-event",
        lambda w: {"seat_ids": [Seat.objects.get(event=w.other_event, label="A-2").id]}, 404)
    add("book", "seat-label-unknown", {"seat_ids": ["Z-99"]}, 404)
    add("book", "seat-ids-sql", {"seat_ids": ["A-1' OR '1'='1"]}, 404)
    add("book", "seat-ids-script", {"seat_ids": ["<b>x</b>"]}, 404)
    add("book", "seat-ids-script-too-long", {"seat_ids": ["<script>x</script>"]})
    add("book", "seat-ids-sql-too-long", {"seat_ids": ["'; DROP TABLE events_seat; --"]})
    add("book", "seat-label-with-nul", {"seat_ids": ["A-1\u0000"]})
    add("book", "seat-label-right-to-left", {"seat_ids": ["\u202eA-1"]})
    for name, value in {"null": None, "zero": 0, "negative": -5, "huge": 2**70, "bool": True,
                        "float": 1.5, "list": [1], "object": {}, "empty-string": "  "}.items():
        add("book", f"seat-id-{name}", {"seat_ids": [value]})
    add("book", "seat-ids-qty-mismatch", {"seat_ids": ["A-4"], "qty": 2})
    add("book", "too-many-seats", {"seat_ids": [f"{r}-{c}" for r in "AB" for c in range(1, 6)] + ["C-1"]})
    add("book", "waitlist-not-boolean", {"qty": 1, "waitlist": "maybe"})
    add("book", "waitlist-list", {"qty": 1, "waitlist": [True]})
    add("book", "more-than-capacity", {"qty": 10}, 409)

    for name, value in {"zero": 0, "negative": -1, "huge": big, "float": 2.5, "string": "ten",
                        "null": None, "list": [], "bool": False, "over-max": 100_001}.items():
        add("event-create", f"capacity-{name}", {"capacity": value})
        add("event-patch", f"capacity-{name}", {"capacity": value})
    for field in ("name", "venue"):
        for name, value in {"empty": "", "blank": "   ", "too-long": "x" * 201, "null": None,
                            "list": ["x"], "object": {"x": 1}}.items():
            add("event-create", f"{field}-{name}", {field: value})
            add("event-patch", f"{field}-{name}", {field: value})
    for name, value in {"garbage": "yesterday", "number": 1_700_000_000, "year-0": "0000-01-01T00:00:00Z",
                        "underflow": "0001-01-01T00:00:00+05:00", "overflow": "9999-12-31T23:59:59-05:00",
                        "sql": "2031-01-01'; DROP TABLE events_event; --", "null": None}.items():
        add("event-create", f"start-{name}", {"start_time": value})
        add("event-patch", f"start-{name}", {"start_time": value})
    add("event-create", "ends-before-start", {"start_time": "2031-01-02T00:00:00Z", "end_time": "2031-01-01T00:00:00Z"})
    add("event-patch", "ends-before-stored-start", {"end_time": "2000-01-01T00:00:00Z"})
    add("event-patch", "status-unknown", {"status": "deleted"})
    add("event-patch", "status-null", {"status": None})
    add("event-patch", "capacity-zero-next-to-a-valid-name", {"name": "x", "capacity": 0})
    for endpoint in ("event-create", "event-patch"):
        add(endpoint, "name-with-nul", {"name": "Gala\u0000Night"})

    for field in ("rows", "cols"):
        for name, value in {"zero": 0, "negative": -3, "huge": big, "float": 1.5, "string": "3",
                            "null": None, "list": [2]}.items():
            status = 200 if name == "string" else 422  # "3" is a number in a string: accepted as 3
            if status == 422:
                add("seats-generate", f"{field}-{name}", {"rows": 2, "cols": 3, field: value})
    add("seats-generate", "rows-over-max", {"rows": 703, "cols": 1})
    add("seats-generate", "cols-over-max", {"rows": 1, "cols": 501})
    add("seats-generate", "over-capacity-limit", {"rows": 702, "cols": 500})
    add("seats-generate", "missing-cols", {"rows": 2})

    for endpoint in ("signup", "user-create"):
        for name, value in {"not-an-email": "nope", "sql": "' OR 1=1 --@x.io", "script": "<script>@x.io",
                            "null": None, "list": ["a@b.co"], "too-long": "a" * 250 + "@x.io",
                            "empty": ""}.items():
            add(endpoint, f"email-{name}", {"email": value})
        for name, value in {"short": "short", "too-long": "p" * 1025, "null": None, "list": ["x" * 10],
                            "object": {"p": "x" * 10}}.items():
            add(endpoint, f"password-{name}", {"password": value})
        for name, value in {"empty": "", "too-long": "n" * 201, "null": None, "object": {}}.items():
            add(endpoint, f"name-{name}", {"name": value})
        add(endpoint, "missing-everything", {"name": None, "email": None, "password": None})
        add(endpoint, "email-with-nul", {"email": "nul\u0000@example.com"})
        # Lookalikes of a real address: an invisible character in the domain (IDNA drops it,
        # so Django's validator passes it), non-ASCII letters its case-insensitive match lets in.
        for name, value in {"zero-width-in-domain": "a@b.com\u200b", "zero-width-in-local": "a\u200bb@b.com",
                            "dotted-capital-i": "\u0130lker@example.com", "dotless-i": "\u0131lker@example.com",
                            "kelvin-sign": "\u212aim@example.com"}.items():
            add(endpoint, f"email-{name}", {"email": value})
    add("signup", "duplicate-email-other-case", lambda w: {"email": w.user.email.upper()}, 400)
    add("user-create", "duplicate-email", lambda w: {"email": w.other.email}, 400)
    for name, value in {"superuser": "superuser", "uppercase": "ADMIN", "null": None, "list": ["admin"],
                        "number": 1, "sql": "admin' --"}.items():
        add("user-create", f"role-{name}", {"role": value})
        add("user-role", f"role-{name}", {"role": value})
    add("user-role", "missing-role", {"is_staff": True, "is_superuser": True})

    # Every text field: a JSON string only (a number or boolean is not text), and a value
    # empty after trimming whitespace and invisible characters is blank.
    text_fields = {
        "signup": ("name", "email", "password"), "user-create": ("name", "email", "password"),
        "login": ("email", "password"), "event-create": ("name", "venue"), "event-patch": ("name", "venue"),
    }
    not_text = {"int": 1, "float": 1.5, "bool": True, "zero-width-space": "\u200b", "bom": "\ufeff",
                "invisible-and-spaces": " \u2060\u200d \u200c\t", "bidi-mark": "\u200e\u202e",
                # default-ignorable, not Cf: Hangul fillers, the combining grapheme joiner
                "hangul-filler": "\u3164", "hangul-choseong-filler": "\u115f", "grapheme-joiner": "\u034f",
                "variation-selector": "\ufe0f",
                # control characters (Cc) print nothing: BEL, ESC, DEL, a C1 control
                "control-characters": "\u0007\u001b\u007f\u009b",
                # a visible glyph of nothing
                "braille-blank": "\u2800 \u2800"}
    for endpoint, fields in text_fields.items():
        for field in fields:
            for name, value in not_text.items():
                # A password is a secret taken as typed: an invisible one is a wrong password.
                status = 401 if (endpoint, field) == ("login", "password") and isinstance(value, str) else 422
                add(endpoint, f"text-{field}-{name}", {field: value}, status)

    add("login", "email-huge-number", {"email": 10**300})
    add("login", "password-too-long", {"password": "p" * 4097})
    add("login", "email-null", {"email": None})
    add("login", "password-list", {"password": ["a"]})
    add("login", "sql-injection", {"email": "' OR '1'='1' --", "password": "' OR '1'='1"}, 401)
    add("login", "sql-injection-on-known-email", lambda w: {"email": w.user.email + "' --", "password": "x"}, 401)
    add("login", "missing-password", {"email": "a@b.co", "password": None})
    add("login", "email-with-nul", {"email": "a\u0000@b.co"})

    grouped: dict[str, list[tuple[str, Any, int]]] = {}
    for endpoint, name, body, status in cases:
        grouped.setdefault(endpoint, []).append((name, body, status))
    return grouped


FIELD_CASES = _field_cases()


@pytest.mark.parametrize("endpoint", list(FIELD_CASES))
def test_hostile_fields_get_their_status_and_change_nothing(world: World, endpoint: str) -> None:
    e = ENDPOINTS[endpoint]
    assert e.valid is not None
    cases = []
    for name, body, status in FIELD_CASES[endpoint]:
        fields = body(world) if callable(body) else body
        # Where a body needs every field, the attack replaces fields of a valid body, so
        # only the attacked field is wrong; the other bodies are sent as written.
        payload = {**e.valid, **fields} if endpoint in MERGED else fields
        cases.append((name, payload, status, {}))

    run_cases(world, endpoint, cases)


@pytest.mark.parametrize("endpoint", BODY_ENDPOINTS)
def test_each_endpoint_accepts_its_valid_body(world: World, endpoint: str) -> None:
    """The control for the matrix: the same endpoints do change things when asked properly,
    so "nothing changed" above is not an endpoint that never writes."""
    e = ENDPOINTS[endpoint]
    before = snapshot()

    response = send(world.client(e.who), e.method, e.path(world), e.valid, **dict(e.headers))

    assert response.status_code in (401, 200, 201), response.content  # login of an unknown user: 401
    if endpoint != "login":
        assert snapshot() != before


@pytest.mark.parametrize(
    "path",
    ["/bookings/abc", "/bookings/-1", "/bookings/0", "/bookings/1%3BDROP%20TABLE", "/bookings/" + "9" * 19,
     "/bookings/%00", "/bookings/1.0", "/bookings/%EF%BC%91"],  # the last is a full-width "1"
)
def test_hostile_ids_in_paths_are_json_404s(world: World, path: str) -> None:
    before = snapshot()

    response = world.client("admin").delete(path)

    assert_contract_error(response, 404)
    assert snapshot() == before
    record("hostile inputs")


@pytest.mark.parametrize(
    "attack",
    ["another-users-booking", "unknown-booking"],
)
def test_cancelling_what_is_not_yours_is_404_and_changes_nothing(world: World, attack: str) -> None:
    target = world.other_booking.id if attack == "another-users-booking" else world.other_booking.id + 1000
    before = snapshot()

    response = world.client("user").delete(f"/bookings/{target}")

    assert_contract_error(response, 404)
    assert response.json()["detail"] == "Booking not found"
    assert snapshot() == before
    record("hostile inputs")


def test_mass_assignment_on_event_patch_changes_no_inventory(world: World) -> None:
    """Unknown and read-only fields are ignored: a PATCH cannot rewrite the counters."""
    before = snapshot()

    response = world.client("admin").patch(
        f"/admin/events/{world.seated.id}",
        {"booked_count": 0, "waitlisted_count": 7, "seat_cols": 1, "id": 999, "available": 500},
        format="json",
    )

    assert response.status_code == 200
    after = snapshot()
    assert after["events"] == before["events"]
    assert after["violations"] == []
    record("hostile inputs")


def test_booking_ignores_a_forged_owner_and_price(world: World) -> None:
    response = world.client("user").post(
        f"/events/{world.seated.id}/book", {"qty": 1, "user_id": world.other.id, "price": -100},
        format="json", HTTP_IDEMPOTENCY_KEY="forged",
    )

    assert response.status_code == 200
    assert response.json()["user_id"] == world.user.id
    assert Booking.objects.get(pk=response.json()["id"]).user_id == world.user.id
    record("hostile inputs")


TEXT_FIELDS_RAW = [
    ("event-create", "name"), ("event-create", "venue"), ("event-patch", "name"), ("event-patch", "venue"),
    ("signup", "name"), ("signup", "email"), ("signup", "password"), ("user-create", "name"),
    ("login", "email"), ("login", "password"),
]


@pytest.mark.parametrize("endpoint, field", TEXT_FIELDS_RAW)
def test_a_number_beyond_float_range_is_not_text(world: World, endpoint: str, field: str) -> None:
    """`1e309` parses as infinity: it used to be stored as the text "inf"."""
    e = ENDPOINTS[endpoint]
    body = json.dumps({**(e.valid or {}), field: "PLACEHOLDER"}).replace('"PLACEHOLDER"', "1e309")
    before = snapshot()

    response = send(world.client(e.who), e.method, e.path(world), body.encode(), raw=True, **dict(e.headers))

    assert assert_contract_error(response, 422)["errors"] == {field: ["Must be a string."]}
    assert snapshot() == before


@pytest.mark.parametrize(
    "name",
    ["Robert'); DROP TABLE accounts_user;--", "<script>alert(document.cookie)</script>",
     "{{7*7}} ${7*7} %s%n", "\u202eevil", "' UNION SELECT password FROM accounts_user --"],
)
def test_sql_and_script_looking_names_are_stored_verbatim_as_json(world: World, name: str) -> None:
    """Such strings are legal names: they are stored and returned as data (JSON, nosniff),
    never executed, and every table is still intact."""
    response = world.client("admin").post(
        "/admin/events", {**ENDPOINTS["event-create"].valid, "name": name, "venue": name}, format="json"
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.json()["name"] == name
    assert Event.objects.get(pk=response.json()["id"]).venue == name
    assert User.objects.filter(pk=world.user.pk).exists()
    call_command("check_inventory", stdout=io.StringIO())  # raises CommandError on a violation
    record("hostile inputs")


@pytest.mark.parametrize(
    "key",
    ["k" * 256, "   ", "\t"],
)
def test_hostile_idempotency_keys_are_400_and_change_nothing(world: World, key: str) -> None:
    before = snapshot()

    response = world.client("user").post(
        f"/events/{world.seated.id}/book", {"qty": 1}, format="json", HTTP_IDEMPOTENCY_KEY=key
    )

    assert_contract_error(response, 400)
    assert snapshot() == before
    record("hostile inputs")
