"""Database unreachable → 503 {"detail": "Service unavailable, retry"} + Retry-After on
every endpoint, authenticated ones included (API.md Conventions). The database is made to
refuse connections for real: PostgreSQL on a closed port, SQLite a file that cannot be
opened."""

from collections.abc import Iterator

import pytest
from django.db import connections
from django.test import Client

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from accounts.models import User
from conftest import token_for
from events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_down() -> Iterator[None]:
    conn = connections["default"]
    saved = dict(conn.settings_dict)
    conn.close()
    if conn.vendor == "postgresql":
        conn.settings_dict.update(HOST="127.0.0.1", PORT="1")
        conn.settings_dict["OPTIONS"] = {**saved.get("OPTIONS", {}), "connect_timeout": 2}
    else:
        conn.settings_dict["NAME"] = "/nonexistent-evently-dir/db.sqlite3"
    yield
    conn.close()
    conn.settings_dict.clear()
    conn.settings_dict.update(saved)


def _assert_unavailable(response) -> None:
    assert response.status_code == 503, response.content[:300]
    assert response.json() == {"detail": "Service unavailable, retry"}
    assert int(response["Retry-After"]) >= 1


def test_every_kind_of_endpoint_is_503_when_the_database_refuses_connections(database_down_after_setup) -> None:
    client, staff, event_id, booking_token, admin_token = database_down_after_setup
    anonymous = [
        ("get", "/events", None),
        ("get", f"/events/{event_id}", None),
        ("get", f"/events/{event_id}/seats", None),
        ("get", "/stats/homepage", None),
        ("post", "/auth/login", {"email": "a@example.com", "password": DEFAULT_PASSWORD}),
        ("post", "/auth/signup", {"name": "A", "email": "new@example.com", "password": DEFAULT_PASSWORD}),
    ]
    authenticated = [
        ("get", "/auth/me", None),
        ("get", "/me/bookings", None),
        ("post", f"/events/{event_id}/book", {"qty": 1}),
        ("delete", "/bookings/1", None),
    ]
    admin = [
        ("get", "/admin/analytics/summary", None),
        ("get", "/admin/users", None),
        ("patch", f"/admin/events/{event_id}", {"name": "x"}),
    ]
    for method, path, body in anonymous:
        _assert_unavailable(getattr(client, method)(path, body, content_type="application/json"))
    for token, routes in ((booking_token, authenticated), (admin_token, admin)):
        for method, path, body in routes:
            response = getattr(client, method)(
                path, body, content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_IDEMPOTENCY_KEY="k",
            )
            _assert_unavailable(response)
    _assert_unavailable(staff.get("/staff/events/event/"))


@pytest.fixture
def database_down_after_setup(database_down_setup, database_down):
    return database_down_setup


@pytest.fixture
def database_down_setup():
    user = UserFactory()
    admin = UserFactory(role=User.Role.ADMIN)
    event = EventFactory()
    staff = Client()
    staff.force_login(admin)
    return Client(), staff, event.id, token_for(user), token_for(admin)


def test_liveness_still_answers_and_readiness_names_the_database(database_down) -> None:
    client = Client()

    assert client.get("/healthz").status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["database"] != "ok"


def test_service_recovers_when_the_database_returns(database_down_setup) -> None:
    conn = connections["default"]
    saved = dict(conn.settings_dict)
    conn.close()
    conn.settings_dict["NAME" if conn.vendor == "sqlite" else "PORT"] = (
        "/nonexistent-evently-dir/db.sqlite3" if conn.vendor == "sqlite" else "1"
    )
    try:
        _assert_unavailable(Client().get("/events"))
    finally:
        conn.close()
        conn.settings_dict.clear()
        conn.settings_dict.update(saved)

    assert Client().get("/events").status_code == 200
