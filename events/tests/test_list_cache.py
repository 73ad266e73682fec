"""GET /events pages are cached under the shared generation (evently/cache.py): a repeat
costs no database query, and every change through the services shows at once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from analytics.tests.conftest import real_redis  # noqa: F401 - fixture
from bookings.services import BookingRequest, booking_cancel, booking_create
from bookings.tests.helpers import book
from events.models import Event
from events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def listed(client, **query) -> dict:
    response = client.get("/events", {"page_size": 100, **query})
    assert response.status_code == 200
    return {item["id"]: item for item in response.json()["items"]}


def test_a_repeated_page_is_served_without_touching_the_database(api_client) -> None:
    EventFactory.create_batch(3)
    first = api_client.get("/events").json()

    with CaptureQueriesContext(connection) as queries:
        again = api_client.get("/events").json()

    assert again == first and first["meta"]["total"] == 3
    assert len(queries) == 0


def test_each_query_has_its_own_page(api_client) -> None:
    events = sorted(EventFactory.create_batch(3), key=lambda e: (e.start_time, e.id))
    EventFactory(name="Needle")

    assert [i["id"] for i in api_client.get("/events", {"page_size": 1}).json()["items"]] == [events[0].id]
    assert [i["id"] for i in api_client.get("/events", {"page_size": 1, "page": 2}).json()["items"]] == [events[1].id]
    assert [i["name"] for i in api_client.get("/events", {"q": "needle"}).json()["items"]] == ["Needle"]
    assert api_client.get("/events", {"page_size": 1, "order": "desc"}).json()["items"][0]["name"] == "Needle"


def _every_change_shows_at_once(api_client, admin_client, client_for, capture) -> None:
    event = EventFactory(capacity=2)
    holder, other = UserFactory(), UserFactory()
    assert listed(api_client)[event.id]["available"] == 2

    with capture(execute=True):
        book(client_for(holder), event, qty=1)
    assert listed(api_client)[event.id]["available"] == 1

    with capture(execute=True):
        waiting = booking_create(user=other, event_id=event.id, request=BookingRequest(qty=2, waitlist=True), idempotency_key="w")
    assert listed(api_client)[event.id]["waitlisted_count"] == 1

    held = event.bookings.get(user=holder)
    with capture(execute=True):
        booking_cancel(booking_id=held.id, actor=holder)  # frees the room the head needs
    assert waiting.booking.__class__.objects.get(pk=waiting.booking.pk).status == "CONFIRMED"
    row = listed(api_client)[event.id]
    assert (row["available"], row["booked_count"], row["waitlisted_count"]) == (0, 2, 0)

    with capture(execute=True):
        assert admin_client.patch(f"/admin/events/{event.id}", {"capacity": 5}, format="json").status_code == 200
    assert listed(api_client)[event.id]["available"] == 3

    with capture(execute=True):
        admin_client.patch(f"/admin/events/{event.id}", {"name": "Renamed"}, format="json")
        created = admin_client.post("/admin/events", {"name": "New", "venue": "V", "start_time": "2031-01-01T10:00:00Z", "end_time": "2031-01-01T11:00:00Z", "capacity": 3}, format="json").json()
    page = listed(api_client)
    assert page[event.id]["name"] == "Renamed" and created["id"] in page

    with capture(execute=True):
        admin_client.post(f"/admin/events/{created['id']}/deactivate")
    assert listed(api_client)[created["id"]]["status"] == Event.Status.INACTIVE
    assert created["id"] not in listed(api_client, status="active")


def test_every_change_through_the_services_shows_at_once(api_client, admin_client, client_for, django_capture_on_commit_callbacks) -> None:
    _every_change_shows_at_once(api_client, admin_client, client_for, django_capture_on_commit_callbacks)


@pytest.mark.redis
def test_every_change_shows_at_once_on_real_redis(real_redis, api_client, admin_client, client_for, django_capture_on_commit_callbacks) -> None:  # noqa: F811
    _every_change_shows_at_once(api_client, admin_client, client_for, django_capture_on_commit_callbacks)


def test_an_invalid_query_is_never_stored_and_stays_a_422(api_client) -> None:
    # Pages are keyed by the query as sent and served without validation on a hit: a bad
    # query must therefore never reach the cache.
    EventFactory()
    for _ in range(2):
        response = api_client.get("/events", {"page": "0", "sort": "nope", "date_from": "never"})
        assert response.status_code == 422
        assert set(response.json()["errors"]) == {"page", "sort", "date_from"}


@pytest.mark.parametrize(
    ("valid", "invalid"),
    [
        ("sort=name", "sort=NAME"), ("sort=name", "sort=name%20"), ("page=0&page=1", "page=1&page=0"),
        ("", "page="), ("", "page_size="), ("status=active", "status=Active"),
        ("order=desc", "order=desc%00"), ("date_from=2030-01-01", "date_from=2030-01-01x"),
        ("page_size=100", "page_size=101"),
    ],
)
def test_a_stored_valid_neighbour_never_answers_an_invalid_query(api_client, valid: str, invalid: str) -> None:
    # The valid spelling is stored first (the repeat is a hit); its invalid neighbour, which a
    # looser key (case folded, trimmed, last value only, empties dropped) would map onto the
    # same entry, must still be a 422. (The last of repeated values counts: page=0&page=1 is valid.)
    EventFactory()
    assert api_client.get("/events?" + valid).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert api_client.get("/events?" + valid).status_code == 200
    assert len(queries) == 0
    assert api_client.get("/events?" + invalid).status_code == 422, invalid


def test_parameters_the_list_does_not_read_share_the_entry(api_client) -> None:
    # A cache-buster or a tracking parameter must not cost a computation and a stored page.
    EventFactory.create_batch(3)
    first = api_client.get("/events?page_size=5").json()
    for url in ["/events?page_size=5&_=1", "/events?_=2&page_size=5", "/events?page_size=5&utm_source=x",
                "/events?page_size=5&format=json"]:
        with CaptureQueriesContext(connection) as queries:
            response = api_client.get(url)
        assert response.status_code == 200 and response.json() == first and len(queries) == 0, url


def test_parameter_order_does_not_matter_but_repeated_values_keep_theirs(api_client) -> None:
    EventFactory.create_batch(2)
    first = api_client.get("/events?page_size=1&order=desc").json()

    with CaptureQueriesContext(connection) as queries:
        swapped = api_client.get("/events?order=desc&page_size=1").json()
    assert swapped == first and len(queries) == 0  # the same page, from the cache

    # A repeated name: the last value wins (django-filter), so the two orders differ.
    desc_last = api_client.get("/events?page_size=1&order=asc&order=desc").json()["items"]
    asc_last = api_client.get("/events?page_size=1&order=desc&order=asc").json()["items"]
    assert desc_last == first["items"] and asc_last != desc_last
