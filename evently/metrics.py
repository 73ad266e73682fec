"""Business counters exported on /metrics next to django-prometheus' own metrics.

Apps increment these from `transaction.on_commit` callbacks or from the API layer, so a
rolled-back transaction never counts.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.registry import Collector

BOOKINGS = Counter(
    "evently_bookings_total",
    "Booking requests by outcome (confirmed, waitlisted, rejected) and reason",
    ["outcome", "reason"],
)
CANCELLATIONS = Counter(
    "evently_cancellations_total", "Cancelled bookings by the status they had", ["previous_status"]
)
WAITLIST_PROMOTIONS = Counter(
    "evently_waitlist_promotions_total", "Waitlisted bookings promoted to CONFIRMED"
)
IDEMPOTENT_REPLAYS = Counter(
    "evently_idempotent_replays_total", "Booking requests answered from a stored booking"
)
LOCK_TIMEOUTS = Counter(
    "evently_lock_timeouts_total", "Event lock not granted within BOOKING_LOCK_TIMEOUT"
)
EVENT_LOCK_HELD_SECONDS = Histogram(
    "evently_event_lock_held_seconds",
    "Time between taking an event row lock and committing",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
RATE_LIMIT_REJECTIONS = Counter(
    "evently_rate_limit_rejections_total", "Requests refused with 429", ["group"]
)
ANALYTICS_CACHE = Counter(
    "evently_analytics_cache_total", "Analytics/stats cache lookups", ["name", "result"]
)

# Every label combination exists from the start, at 0: a dashboard or an alert on
# rate(...) sees a series before the first event of its kind, not "no data".
RATE_LIMIT_GROUPS = ("login", "password_reset", "signup", "booking", "admin", "checkin")
CANCELLED_FROM = ("CONFIRMED", "WAITLISTED")  # bookings.models.Booking.Status, without importing it
CACHE_NAMES = ("summary", "homepage", "events_page")  # analytics bodies and the catalogue pages
CACHE_RESULTS = ("hit", "miss", "refresh", "bypass")


def _initialise_series() -> None:
    for group in RATE_LIMIT_GROUPS:
        RATE_LIMIT_REJECTIONS.labels(group=group)
    for status in CANCELLED_FROM:
        CANCELLATIONS.labels(previous_status=status)
    for name in CACHE_NAMES:
        for result in CACHE_RESULTS:
            ANALYTICS_CACHE.labels(name=name, result=result)


_initialise_series()


# Collectors that read their values when /metrics is scraped (from the database): they are
# this process's own, not counters the workers add up through PROMETHEUS_MULTIPROC_DIR.
_scrape_time_collectors: list[Collector] = []


def register_scrape_time_collector(collector: Collector) -> None:
    """Export `collector` (a prometheus_client Collector whose `collect()` reads its values at
    scrape time) on /metrics, in a single process and under gunicorn's shared multiprocess
    counters alike. Idempotent for the same instance."""
    if collector not in _scrape_time_collectors:
        REGISTRY.register(collector)
        _scrape_time_collectors.append(collector)


def exposition() -> tuple[bytes, str]:
    """The /metrics page and its content type. Under gunicorn (PROMETHEUS_MULTIPROC_DIR) the
    counters are every worker's, added up by prometheus_client's MultiProcessCollector,
    plus the scrape-time collectors (django-prometheus' own view builds a registry of the
    multiprocess counters alone, which left them out); otherwise this process's registry."""
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ or "prometheus_multiproc_dir" in os.environ:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        for collector in _scrape_time_collectors:
            registry.register(collector)
    else:
        registry = REGISTRY
    return generate_latest(registry), CONTENT_TYPE_LATEST
