"""Helpers for booking tests: book through the real API, look at the real rows."""

from __future__ import annotations

import itertools
from typing import Any

from rest_framework.test import APIClient

from bookings.inventory import inventory_violations
from events.models import Event, Seat

_keys = itertools.count()


def book(client: APIClient, event: Event | int, key: str | None = None, **body: Any):
    event_id = event if isinstance(event, int) else event.id
    return client.post(
        f"/events/{event_id}/book", body, format="json",
        HTTP_IDEMPOTENCY_KEY=key if key is not None else f"key-{next(_keys)}",
    )


def reserved_labels(event: Event) -> list[str]:
    return list(
        Seat.objects.filter(event=event, reserved=True)
        .order_by("row_index", "col_number")
        .values_list("label", flat=True)
    )


def assert_inventory_ok(event: Event | None = None) -> None:
    assert inventory_violations(event_id=event.id if event else None) == []
