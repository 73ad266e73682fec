"""Event and Seat bodies against the contract (API.md "Resources"): exactly the listed
keys, numbers as JSON numbers, ids as integers, times in UTC with `Z`, as served by the
endpoints (the serializers are the only declaration of these bodies)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone as dt_timezone

import pytest

from events.models import Event
from events.services import seat_map_generate
from events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db

EVENT_KEYS = [
    "id", "name", "venue", "start_time", "end_time", "capacity", "booked_count",
    "status", "waitlisted_count", "available", "utilization_pct", "timezone", "sale_state",
]
SEAT_KEYS = ["id", "event_id", "label", "row_label", "col_number", "reserved"]


def raw(response) -> dict | list:
    """The body as the client parses it (no test-client conveniences)."""
    return json.loads(response.content)


@pytest.mark.parametrize(
    "start, expected",
    [
        (datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt_timezone.utc), "2030-01-02T03:04:05Z"),
        (datetime(2030, 1, 2, 3, 4, 5, 678901, tzinfo=dt_timezone.utc), "2030-01-02T03:04:05.678901Z"),
        (datetime(2030, 1, 2, 5, 4, 5, tzinfo=dt_timezone(timedelta(hours=2))), "2030-01-02T03:04:05Z"),
    ],
)
def test_event_times_are_utc_with_z(api_client, start, expected) -> None:
    event = EventFactory(start_time=start, end_time=start + timedelta(hours=1))

    body = raw(api_client.get(f"/events/{event.id}"))

    assert body["start_time"] == expected
    assert body["end_time"].endswith("Z")


@pytest.mark.parametrize(
    "attrs, available, pct",
    [
        ({"capacity": 10}, 10, 0.0),
        ({"capacity": 3, "booked_count": 3}, 0, 100.0),
        ({"capacity": 7, "booked_count": 2, "waitlisted_count": 4}, 5, 28.57),
        ({"capacity": 3, "booked_count": 2, "status": Event.Status.INACTIVE}, 1, 66.67),
    ],
)
def test_event_body_types_in_detail_and_list(api_client, attrs, available, pct) -> None:
    event = EventFactory(**attrs)

    detail = raw(api_client.get(f"/events/{event.id}"))
    listed = [e for e in raw(api_client.get("/events?page_size=100"))["items"] if e["id"] == event.id]

    assert listed == [detail]
    assert list(detail) == EVENT_KEYS
    assert detail["available"] == available and detail["utilization_pct"] == pct
    assert type(detail["utilization_pct"]) is float
    for key in ("id", "capacity", "booked_count", "waitlisted_count", "available"):
        assert type(detail[key]) is int, key
    assert detail["status"] == str(event.status)


def test_admin_event_bodies_have_the_same_shape(admin_client) -> None:
    created = raw(admin_client.post(
        "/admin/events",
        {"name": "N", "venue": "V", "start_time": "2031-01-01T10:00:00+02:00",
         "end_time": "2031-01-01T12:00:00Z", "capacity": 4},
        format="json",
    ))
    patched = raw(admin_client.patch(f"/admin/events/{created['id']}", {"capacity": 5}, format="json"))
    deactivated = raw(admin_client.post(f"/admin/events/{created['id']}/deactivate"))

    for body in (created, patched, deactivated):
        assert list(body) == EVENT_KEYS
    assert created["start_time"] == "2031-01-01T08:00:00Z"
    assert created["utilization_pct"] == 0.0 and type(created["utilization_pct"]) is float
    assert patched["capacity"] == 5 and deactivated["status"] == "inactive"


def test_seat_bodies(api_client, user) -> None:
    from bookings import services

    event = EventFactory(capacity=4)
    seat_map_generate(event_id=event.id, rows=2, cols=2)
    services.booking_create(
        user=user, event_id=event.id, request=services.BookingRequest(qty=1, seat_refs=("A-2",)),
        idempotency_key=None,
    )

    bodies = raw(api_client.get(f"/events/{event.id}/seats"))

    assert [list(b) for b in bodies] == [SEAT_KEYS] * 4
    assert [(b["label"], b["row_label"], b["col_number"], b["reserved"]) for b in bodies] == [
        ("A-1", "A", 1, False), ("A-2", "A", 2, True), ("B-1", "B", 1, False), ("B-2", "B", 2, False),
    ]
    assert all(type(b["id"]) is int and b["event_id"] == event.id for b in bodies)
