"""Notification metrics on /metrics.

Rows by kind and delivery state and the age of the oldest pending row are read from the
database at scrape time (deliveries happen in worker processes, whose own counters the web's
/metrics cannot see); the counters below count what this process did.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from prometheus_client import Counter
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from evently import metrics as evently_metrics

logger = logging.getLogger(__name__)

KINDS = (
    "booking_confirmed", "waitlist_joined", "waitlist_promoted", "booking_cancelled",
    "event_changed", "password_reset",
)

NOTIFICATIONS = Counter(
    "evently_notifications_written_total",
    "Notifications written (committed), by kind; counted by the process that wrote them",
    ["kind", "outcome"],
)
DELIVERIES = Counter(
    "evently_notification_deliveries_total",
    "Delivery attempts by kind and outcome (sent, retried, failed); counted by the process "
    "that delivered (the web process without REDIS_URL, else the worker)",
    ["kind", "outcome"],
)
for _kind in KINDS:
    NOTIFICATIONS.labels(kind=_kind, outcome="written")
    for _outcome in ("sent", "retried", "failed"):
        DELIVERIES.labels(kind=_kind, outcome=_outcome)


class NotificationCollector(Collector):
    """`evently_notifications{kind, delivery}` (rows),
    `evently_notifications_oldest_pending_seconds` and
    `evently_event_changes_oldest_unfanned_seconds`, from the database at scrape time."""

    def describe(self) -> Iterator[GaugeMetricFamily]:
        yield GaugeMetricFamily("evently_notifications", "", labels=["kind", "delivery"])
        yield GaugeMetricFamily("evently_notifications_oldest_pending_seconds", "")
        yield GaugeMetricFamily("evently_event_changes_oldest_unfanned_seconds", "")

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from notifications.selectors import (
            notification_counts, oldest_pending_age_seconds, oldest_unfanned_change_age_seconds,
        )

        rows = GaugeMetricFamily(
            "evently_notifications", "Notifications by kind and delivery state",
            labels=["kind", "delivery"],
        )
        oldest = GaugeMetricFamily(
            "evently_notifications_oldest_pending_seconds",
            "Age in seconds of the oldest notification still pending (0 when none)",
        )
        unfanned = GaugeMetricFamily(
            "evently_event_changes_oldest_unfanned_seconds",
            "Age in seconds of the oldest event change not yet fanned out to its holders and "
            "waiters (0 when none)",
        )
        try:
            counts = notification_counts()
            age = oldest_pending_age_seconds()
            unfanned_age = oldest_unfanned_change_age_seconds()
        except Exception:  # the database is down: /metrics must still answer
            logger.warning("notification metrics unavailable", exc_info=True)
            counts, age, unfanned_age = {}, 0.0, 0.0
        for kind in KINDS:
            for delivery in ("pending", "sent", "failed"):
                rows.add_metric([kind, delivery], counts.get((kind, delivery), 0))
        oldest.add_metric([], age)
        unfanned.add_metric([], unfanned_age)
        yield rows
        yield oldest
        yield unfanned


_collector = NotificationCollector()


def register_collectors() -> None:
    """Export the notification gauges on /metrics (idempotent)."""
    evently_metrics.register_scrape_time_collector(_collector)
