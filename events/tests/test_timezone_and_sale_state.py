"""API.md "Event time zones and sale state": `timezone` (IANA, validated, default UTC),
`sale_state` on every Event body, `GET /events?when=`, and catalogue pages that never say
"on_sale" for an event that has ended since they were cached."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from events import services
from events.exceptions import InvalidEventField, UnknownTimezone
from events.models import Event, SaleState, sale_state_of
from events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db

NEW = {
    "name": "Konzert", "venue": "Philharmonie",
    "start_time": "2031-05-01T18:30:00Z", "end_time": "2031-05-01T21:00:00Z", "capacity": 50,
}


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


# --- timezone ----------------------------------------------------------------------------


def test_an_event_is_utc_unless_told_otherwise(admin_client) -> None:
    body = admin_client.post("/admin/events", NEW, format="json").json()

    assert body["timezone"] == "UTC"
    assert Event.objects.get(pk=body["id"]).timezone == "UTC"


def test_create_takes_an_iana_zone_and_times_stay_utc_with_z(admin_client) -> None:
    response = admin_client.post("/admin/events", {**NEW, "timezone": "Europe/Berlin"}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert body["timezone"] == "Europe/Berlin"
    assert (body["start_time"], body["end_time"]) == ("2031-05-01T18:30:00Z", "2031-05-01T21:00:00Z")


def test_patch_changes_the_zone_and_not_the_instants(admin_client) -> None:
    event = EventFactory()
    before = admin_client.get(f"/events/{event.id}").json()

    response = admin_client.patch(f"/admin/events/{event.id}", {"timezone": "America/Los_Angeles"}, format="json")

    assert response.status_code == 200
    assert response.json()["timezone"] == "America/Los_Angeles"
    assert response.json()["start_time"] == before["start_time"]
    event.refresh_from_db()
    assert event.timezone == "America/Los_Angeles"


@pytest.mark.parametrize(
    "value",
    [
        "Mars/Olympus_Mons", "Europe/Berlinn", "../../etc/passwd", "/usr/share/zoneinfo/UTC", "x" * 300,
        # Files of the zone directory that are not IANA names: the host's own zone, the POSIX
        # default rules, and the posix/ and right/ copies of the database.
        "localtime", "posixrules", "posix/Europe/Berlin", "right/UTC",
    ],
)
def test_unknown_zone_is_422_on_timezone(admin_client, value) -> None:
    created = admin_client.post("/admin/events", {**NEW, "timezone": value}, format="json")
    event = EventFactory()
    patched = admin_client.patch(f"/admin/events/{event.id}", {"timezone": value}, format="json")

    for response in (created, patched):
        assert response.status_code == 422, response.content
        assert "timezone" in response.json()["errors"]
    event.refresh_from_db()
    assert event.timezone == "UTC"


@pytest.mark.parametrize("value", [1, True, None, {"zone": "UTC"}, ["UTC"], ""])
def test_a_zone_that_is_not_a_string_is_422(admin_client, value) -> None:
    response = admin_client.post("/admin/events", {**NEW, "timezone": value}, format="json")

    assert response.status_code == 422
    assert "timezone" in response.json()["errors"]


@pytest.mark.parametrize(
    "times",
    [
        # Valid datetimes whose local time in the event's zone is outside year 1 to 9999.
        {"start_time": "0001-01-01T00:00:00Z", "timezone": "America/New_York"},
        {"end_time": "9999-12-31T23:30:00Z", "timezone": "Europe/Berlin"},
        {"end_time": "9999-12-31T00:00:00Z"},
    ],
)
def test_event_times_a_zone_cannot_show_are_422_and_change_nothing(admin_client, times) -> None:
    field = "start_time" if "start_time" in times else "end_time"
    event = EventFactory()
    stored = Event.objects.values().get(pk=event.pk)

    created = admin_client.post("/admin/events", {**NEW, **times}, format="json")
    patched = admin_client.patch(f"/admin/events/{event.id}", times, format="json")

    for response in (created, patched):
        assert response.status_code == 422, response.content
        assert response.json()["errors"][field] == ["must be between 0001-01-02 and 9999-12-30 (UTC)"]
    assert not Event.objects.filter(name=NEW["name"]).exists()
    assert Event.objects.values().get(pk=event.pk) == stored


def test_a_time_without_offset_is_the_services_422_not_a_500() -> None:
    """API and console always hand over aware times; a command or script may not."""
    naive = datetime(2031, 5, 1, 19, 0)

    with pytest.raises(InvalidEventField) as raised:
        services.event_check(start_time=naive, end_time=timezone.now(), capacity=1)

    assert raised.value.extra["errors"] == {"start_time": ["must include a UTC offset (an aware datetime)"]}


def test_the_earliest_and_latest_event_times_are_accepted_and_shown_everywhere(admin_client, api_client) -> None:
    body = {**NEW, "start_time": "0001-01-02T00:00:00Z", "end_time": "9999-12-30T23:59:59Z", "timezone": "Pacific/Kiritimati"}

    created = admin_client.post("/admin/events", body, format="json")

    assert created.status_code == 200, created.content
    assert api_client.get(f"/events/{created.json()['id']}/calendar.ics").status_code == 200
    body["timezone"] = "Pacific/Pago_Pago"  # -11:00
    assert admin_client.patch(f"/admin/events/{created.json()['id']}", {"timezone": body["timezone"]}, format="json").status_code == 200
    assert api_client.get(f"/events/{created.json()['id']}/calendar.ics").status_code == 200


def test_the_zone_rule_is_the_service_s_for_every_caller() -> None:
    with pytest.raises(UnknownTimezone) as raised:
        services.event_create(
            name="n", venue="v", start_time=timezone.now(), end_time=timezone.now() + timedelta(hours=1),
            capacity=1, timezone="Nowhere/Land",
        )
    assert raised.value.extra["errors"] == {"timezone": [raised.value.extra["errors"]["timezone"][0]]}


# --- sale_state --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "attrs, ended, state",
    [
        ({"capacity": 5}, False, "on_sale"),
        ({"capacity": 5, "booked_count": 5}, False, "sold_out"),
        ({"capacity": 5}, True, "ended"),
        ({"capacity": 5, "booked_count": 5}, True, "ended"),  # ended beats sold out
        ({"capacity": 5, "status": Event.Status.INACTIVE}, False, "inactive"),
        ({"capacity": 5, "status": Event.Status.INACTIVE}, True, "inactive"),  # inactive beats ended
        ({"capacity": 5, "booked_count": 5, "status": Event.Status.INACTIVE}, False, "inactive"),
    ],
)
def test_sale_state_in_detail_list_and_admin_bodies(api_client, admin_client, attrs, ended, state) -> None:
    start = timezone.now() + (timedelta(days=-2) if ended else timedelta(days=2))
    event = EventFactory(start_time=start, end_time=start + timedelta(hours=3), **attrs)

    detail = api_client.get(f"/events/{event.id}").json()
    listed = [e for e in api_client.get("/events", {"page_size": 100}).json()["items"] if e["id"] == event.id]
    patched = admin_client.patch(f"/admin/events/{event.id}", {"name": "renamed"}, format="json").json()

    assert detail["sale_state"] == listed[0]["sale_state"] == patched["sale_state"] == state


def test_ending_exactly_now_is_ended() -> None:
    now = timezone.now()
    state = sale_state_of(status="active", end_time=now, capacity=1, booked_count=0, now=now)

    assert state == SaleState.ENDED


# --- when --------------------------------------------------------------------------------


def test_when_splits_events_at_their_end(api_client) -> None:
    now = timezone.now()
    past = EventFactory(start_time=now - timedelta(days=3), end_time=now - timedelta(days=2))
    running = EventFactory(start_time=now - timedelta(hours=1), end_time=now + timedelta(hours=1))
    future = EventFactory(start_time=now + timedelta(days=1), end_time=now + timedelta(days=1, hours=2))

    assert ids(api_client.get("/events", {"when": "upcoming"})) == [running.id, future.id]
    assert ids(api_client.get("/events", {"when": "past"})) == [past.id]
    assert ids(api_client.get("/events", {"when": "all"})) == [past.id, running.id, future.id]
    assert ids(api_client.get("/events")) == [past.id, running.id, future.id]  # default: all


@pytest.mark.parametrize("value", ["soon", "UPCOMING", "1"])
def test_unknown_when_is_422(api_client, value) -> None:
    response = api_client.get("/events", {"when": value})

    assert response.status_code == 422
    assert "when" in response.json()["errors"]


# --- the cached page and the clock --------------------------------------------------------


def test_a_cached_page_stops_saying_on_sale_once_an_event_on_it_ends(api_client, monkeypatch) -> None:
    now = timezone.now()
    event = EventFactory(start_time=now - timedelta(hours=1), end_time=now + timedelta(minutes=5))
    later = EventFactory(start_time=now + timedelta(days=1), end_time=now + timedelta(days=1, hours=1))
    assert [e["sale_state"] for e in api_client.get("/events").json()["items"]] == ["on_sale", "on_sale"]
    assert ids(api_client.get("/events", {"when": "upcoming"})) == [event.id, later.id]

    # Six minutes later, nothing written in between (no invalidation), cache TTL not expired.
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(minutes=6))

    assert [e["sale_state"] for e in api_client.get("/events").json()["items"]] == ["ended", "on_sale"]
    assert ids(api_client.get("/events", {"when": "upcoming"})) == [later.id]


def test_a_page_is_still_served_from_cache_before_the_next_end(api_client, monkeypatch) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    now = timezone.now()
    EventFactory(start_time=now + timedelta(hours=1), end_time=now + timedelta(hours=2))
    api_client.get("/events")
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(minutes=30))

    with CaptureQueriesContext(connection) as queries:
        assert api_client.get("/events").json()["items"][0]["sale_state"] == "on_sale"
    assert len(queries) == 0
