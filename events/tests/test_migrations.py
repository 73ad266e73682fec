"""events 0007 turns zones stored under the old, looser check into IANA names."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(target):  # noqa: ANN001, ANN201
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    # Other apps stay at their latest migration.
    targets = [target, *(node for node in executor.loader.graph.leaf_nodes() if node[0] != "events")]
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_stored_zones_become_iana_names() -> None:
    old = migrate(("events", "0006_event_timezone"))
    try:
        Event = old.get_model("events", "Event")
        now = timezone.now()
        stored = ["Europe/Berlin", "posix/Europe/Berlin", "right/America/New_York", "localtime", "posixrules", "posix/Nowhere"]
        ids = {
            zone: Event.objects.create(
                name=zone, venue="v", start_time=now, end_time=now + timezone.timedelta(hours=1), capacity=1, timezone=zone,
            ).pk
            for zone in stored
        }

        new = migrate(("events", "0007_event_timezone_iana_only"))

        zones = dict(new.get_model("events", "Event").objects.values_list("pk", "timezone"))
        assert {zone: zones[pk] for zone, pk in ids.items()} == {
            "Europe/Berlin": "Europe/Berlin", "posix/Europe/Berlin": "Europe/Berlin",
            "right/America/New_York": "America/New_York", "localtime": "UTC", "posixrules": "UTC",
            "posix/Nowhere": "UTC",
        }
    finally:  # back to the latest migration of events, whatever it is then
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
