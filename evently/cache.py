"""The shared cache of computed bodies, keyed by a generation number per *kind*.

Two kinds today:
- `CATALOGUE`: the public event pages (`GET /events`), bumped by changes to events and to
  their inventory counters (bookings, cancellations, promotions);
- `ANALYTICS`: the staff summary and homepage stats, computed from the same rows and more:
  its bodies are keyed by its own generation AND the catalogue's (`DEPENDS_ON`), so every
  catalogue bump makes them stale too, and its own generation is bumped only by what the
  catalogue never shows (a role change, a check-in). A booking therefore costs one bump,
  and a check-in rush doesn't empty the catalogue cache.

Invalidation bumps the kind's generation instead of deleting keys: a computation that started
before a change and finishes after it stores its (stale) result under the old generation,
where nobody looks, so a stale body can never outlive an invalidation.

An invalidation that cannot reach the cache (Redis away) is remembered by the process: until
it has been delivered, this process neither reads nor writes that kind's bodies (they may
predate the change), and it retries every second in the background (and at the start of each
request), so a cache that comes back with its old contents (a partition, a paused server)
serves them to no process for more than about a second. A process that exits owing one (a
`manage.py` command run while Redis was away) keeps trying for up to EXIT_RETRY_SECONDS
before it ends, then says plainly that other processes may serve stale pages until their
bodies expire (`deliver_before_exit`, registered with atexit).

Lowest layer: every app may import this module; it imports no app.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from evently import metrics

logger = logging.getLogger(__name__)

CATALOGUE = "catalogue"
ANALYTICS = "analytics"
KINDS = (CATALOGUE, ANALYTICS)
# The kinds whose changes also make a kind's bodies stale (part of its cache key).
DEPENDS_ON: dict[str, tuple[str, ...]] = {CATALOGUE: (), ANALYTICS: (CATALOGUE,)}

RETRY_SECONDS = 1.0
EXIT_RETRY_SECONDS = 3.0
_undelivered: set[str] = set()
_retry_lock = threading.Lock()
_retry_timer: threading.Timer | None = None


def generation_key(kind: str) -> str:
    return f"generation:{kind}"


def current_generation(kind: str) -> int:
    """The kind's generation (an int ≥ 1), started at 1 when the cache has none."""
    return _read_generations((kind,))[0]


def _generations(kind: str) -> str:
    """The generations a body of `kind` is keyed by (its own, then DEPENDS_ON's): "3.17"."""
    return ".".join(str(g) for g in _read_generations((kind, *DEPENDS_ON[kind])))


def _read_generations(kinds: tuple[str, ...]) -> list[int]:
    """The generations of `kinds`, read in one round trip. A missing one (first use, or the
    cache was flushed/unreachable) is started at 1; `add` keeps a concurrent starter's value."""
    keys = [generation_key(kind) for kind in kinds]
    found = cache.get_many(keys)
    missing = [key for key in keys if found.get(key) is None]
    if missing:
        for key in missing:
            cache.add(key, 1, timeout=None)
        found = cache.get_many(keys)
    return [int(found.get(key) or 0) for key in keys]


def invalidate(*kinds: str) -> None:
    """Bump each kind's generation now; an undeliverable bump is retried in the background."""
    for kind in kinds:
        _bump(kind)


def invalidate_on_commit(*kinds: str) -> None:
    """Invalidate `kinds` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: invalidate(*kinds))


def _bump(kind: str, *, schedule_retry: bool = True) -> None:
    key = generation_key(kind)
    try:
        # django-redis answers None instead of raising when Redis is unreachable.
        delivered = cache.incr(key) is not None
    except ValueError:  # no generation yet: start one (readers then compute afresh)
        delivered = cache.add(key, 1, timeout=None) is not None
    if delivered:
        _undelivered.discard(kind)
        return
    if kind not in _undelivered:
        logger.warning("%s cache invalidation could not reach the cache; will retry", kind)
    _undelivered.add(kind)
    if schedule_retry:
        _schedule_retry()


def _schedule_retry() -> None:
    global _retry_timer
    with _retry_lock:
        if _retry_timer is not None and _retry_timer.is_alive():
            return
        _retry_timer = threading.Timer(RETRY_SECONDS, retry_undelivered_invalidations)
        _retry_timer.daemon = True
        _retry_timer.start()


def retry_undelivered_invalidations(**_: Any) -> None:
    """Connected to request_started: a no-op unless an invalidation is still owed."""
    for kind in tuple(_undelivered):
        _bump(kind)


def has_undelivered_invalidation(kind: str) -> bool:
    return kind in _undelivered


def deliver_before_exit(timeout: float | None = None) -> bool:
    """At process exit (atexit): deliver owed invalidations, trying every RETRY_SECONDS for
    up to `timeout` seconds (EXIT_RETRY_SECONDS). A background retry dies with the process,
    so a command that changed data while the cache was away would otherwise leave every other
    process serving pages from before its change. Logs an error naming the kinds still owed.
    Returns True when nothing is owed."""
    deadline = time.monotonic() + (EXIT_RETRY_SECONDS if timeout is None else timeout)
    while _undelivered:
        for kind in tuple(_undelivered):
            _bump(kind, schedule_retry=False)  # no new thread at interpreter exit
        if not _undelivered or time.monotonic() >= deadline:
            break
        time.sleep(min(RETRY_SECONDS, max(0.0, deadline - time.monotonic())))
    if _undelivered:
        logger.error(
            "the shared cache could not be told of this process's changes (%s): other processes "
            "may serve pages from before them until those expire",
            ", ".join(sorted(_undelivered)),
        )
        return False
    return True


atexit.register(deliver_before_exit)


def cached(
    kind: str,
    name: str,
    compute: Callable[[], dict[str, Any]],
    *,
    refresh: bool = False,
    variant: str = "",
) -> tuple[dict[str, Any], bool]:
    """Return (body, hit): the body cached for `name` (and `variant`) under the current
    generations of the kind and of the kinds it depends on, or `compute()` stored for
    `ANALYTICS_CACHE_TTL` seconds. A cache outage degrades to computing every time.

    `variant` tells apart bodies of one name (the catalogue's pages: one per query); `name`
    alone labels the metric."""
    retry_undelivered_invalidations()
    if _undelivered.intersection((kind, *DEPENDS_ON[kind])):
        metrics.ANALYTICS_CACHE.labels(name=name, result="bypass").inc()
        return compute(), False
    key = f"{kind}:{name}:{_generations(kind)}" + (f":{variant}" if variant else "")
    if not refresh:
        body = cache.get(key)
        if body is not None:
            metrics.ANALYTICS_CACHE.labels(name=name, result="hit").inc()
            return body, True
    body = compute()
    cache.set(key, body, timeout=settings.ANALYTICS_CACHE_TTL)
    metrics.ANALYTICS_CACHE.labels(name=name, result="refresh" if refresh else "miss").inc()
    return body, False
