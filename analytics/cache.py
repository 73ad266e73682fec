"""The analytics caches (and the catalogue's pages, GET /events), keyed by a generation
number that every change of events, bookings or users bumps after commit.

Invalidation bumps the generation instead of deleting keys: a computation that started
before a change and finishes after it stores its (stale) result under the old generation,
where nobody looks, so a stale body can never outlive an invalidation.

An invalidation that cannot reach the cache (Redis away) is remembered by the process: until
it has been delivered, this process neither reads nor writes the cached bodies (they may
predate the change), and it retries every second in the background (and at the start of each
request), so a cache that comes back with its old contents (a partition, a paused server)
serves them to no process for more than about a second.
"""

from __future__ import annotations

import logging
import threading
from typing import Any, Callable

from django.conf import settings
from django.core.cache import cache

from evently import metrics

logger = logging.getLogger(__name__)

GENERATION_KEY = "analytics:generation"
RETRY_SECONDS = 1.0
_undelivered_invalidation = False
_retry_lock = threading.Lock()
_retry_timer: threading.Timer | None = None


def current_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # First use, or the cache was flushed/unreachable: start a generation. `add` keeps
        # a concurrent starter's value.
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY) or 0
    return int(generation)


def bump_generation() -> None:
    global _undelivered_invalidation
    try:
        # django-redis answers None instead of raising when Redis is unreachable.
        delivered = cache.incr(GENERATION_KEY) is not None
    except ValueError:  # no generation yet: start one (readers then compute afresh)
        delivered = cache.add(GENERATION_KEY, 1, timeout=None) is not None
    if not delivered and not _undelivered_invalidation:
        logger.warning("analytics invalidation could not reach the cache; will retry")
    _undelivered_invalidation = not delivered
    if not delivered:
        _schedule_retry()


def _schedule_retry() -> None:
    global _retry_timer
    with _retry_lock:
        if _retry_timer is not None and _retry_timer.is_alive():
            return
        _retry_timer = threading.Timer(RETRY_SECONDS, retry_undelivered_invalidation)
        _retry_timer.daemon = True
        _retry_timer.start()


def retry_undelivered_invalidation(**_: Any) -> None:
    """Connected to request_started: a no-op unless an invalidation is still owed."""
    if _undelivered_invalidation:
        bump_generation()


def cached(
    name: str, compute: Callable[[], dict[str, Any]], *, refresh: bool = False, variant: str = ""
) -> tuple[dict[str, Any], bool]:
    """Return (body, hit). A cache outage degrades to computing every time.

    `variant` tells apart bodies of one kind (the catalogue's pages: one per query); `name`
    alone labels the metric."""
    retry_undelivered_invalidation()
    if _undelivered_invalidation:
        metrics.ANALYTICS_CACHE.labels(name=name, result="bypass").inc()
        return compute(), False
    generation = current_generation()
    key = f"analytics:{name}:{generation}" + (f":{variant}" if variant else "")
    if not refresh:
        body = cache.get(key)
        if body is not None:
            metrics.ANALYTICS_CACHE.labels(name=name, result="hit").inc()
            return body, True
    body = compute()
    cache.set(key, body, timeout=settings.ANALYTICS_CACHE_TTL)
    metrics.ANALYTICS_CACHE.labels(name=name, result="refresh" if refresh else "miss").inc()
    return body, False
