"""Concurrent fan-outs of one event change (a retry, the sweep and the task at once), on the
real database: each row is written once and counted once, by the run that wrote it."""

from __future__ import annotations

import time

import pytest
from django.db import connection, transaction
from prometheus_client import REGISTRY

from bookings.tests.concurrency.threads import RowLockHeld, run_concurrently
from events.tests.factories import EventFactory
from notifications import delivery, services
from notifications.models import EventChange, Notification
from notifications.tests.factories import BookingFactory

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

WRITTEN = ("evently_notifications_written_total", {"kind": "event_changed", "outcome": "written"})


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's immediate transactions serialize every writer, so two fan-outs never "
    "interleave; this runs in CI's PostgreSQL pass",
)
@pytest.mark.parametrize("batch_size", [services.FAN_OUT_BATCH, 3])
def test_concurrent_fan_outs_of_one_change_count_each_notification_once(monkeypatch, batch_size: int) -> None:
    """Four runs at once over 20 holders: the counts they return (and the written metric)
    add up to 20. Counting rows after minus before, unserialized, reported [20, 18, 16, 16]:
    another run's rows committed between the two counts."""
    holders = 20
    event = EventFactory(capacity=holders)
    for _ in range(holders):
        BookingFactory(event=event, qty=1)
    monkeypatch.setattr(delivery, "publish_fan_out", lambda change_id: None)  # the runs below are the fan-out
    monkeypatch.setattr(delivery, "deliver_in_process", lambda notification_ids: 0)  # not under test
    manager, insert = Notification.objects, Notification.objects.bulk_create

    def slow_insert(*args, **kwargs):  # holds the batch's rows uncommitted a little longer
        rows = insert(*args, **kwargs)
        time.sleep(0.02)
        return rows

    monkeypatch.setattr(manager, "bulk_create", slow_insert)
    with transaction.atomic():
        change = services.event_change_record(event=event, changes={"venue": ("Old Hall", "New Hall")})
    before = REGISTRY.get_sample_value(*WRITTEN) or 0.0

    with RowLockHeld(EventChange._meta.db_table, change.pk) as lock:  # the runs meet at its lock
        counts = run_concurrently(
            [lambda: services.event_change_fan_out(change_id=change.pk, batch_size=batch_size)] * 4,
            meanwhile=lock.release_when_waited(2),
        )

    assert sum(counts) == holders, counts
    assert (REGISTRY.get_sample_value(*WRITTEN) or 0.0) - before == holders
    assert Notification.objects.filter(change=change).count() == holders
