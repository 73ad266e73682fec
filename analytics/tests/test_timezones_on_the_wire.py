"""Issue 15: an event's time zone never leaks into the analytics bodies: times stay UTC `Z`."""

from __future__ import annotations

from datetime import datetime, timezone as dt_timezone

import pytest

from events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_a_berlin_event_s_times_in_the_summary_end_in_z(admin_client) -> None:
    event = EventFactory(
        timezone="Europe/Berlin",
        start_time=datetime(2031, 5, 1, 18, 30, tzinfo=dt_timezone.utc),
        end_time=datetime(2031, 5, 1, 21, 0, tzinfo=dt_timezone.utc),
    )

    body = admin_client.get("/admin/analytics/summary?refresh=1").json()

    [row] = [e for e in body["events"] if e["id"] == event.id]
    assert (row["start_time"], row["end_time"]) == ("2031-05-01T18:30:00Z", "2031-05-01T21:00:00Z")
    assert body["generated_at"].endswith("Z")
    assert "timezone" not in row
