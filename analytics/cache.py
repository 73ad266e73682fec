"""The analytics caches, keyed by a generation number.

Invalidation bumps the generation instead of deleting keys: a computation that started
before a change and finishes after it stores its (stale) result under the old generation,
where nobody looks, so a stale body can never outlive an invalidation.
"""

from __future__ import annotations

from typing import Any, Callable

from django.conf import settings
from django.core.cache import cache

from evently import metrics

GENERATION_KEY = "analytics:generation"


def current_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # First use, or the cache was flushed/unreachable: start a generation. `add` keeps
        # a concurrent starter's value.
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY) or 0
    return int(generation)


def bump_generation() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet: start one (readers then compute afresh)
        cache.add(GENERATION_KEY, 1, timeout=None)


def cached(name: str, compute: Callable[[], dict[str, Any]], *, refresh: bool = False) -> tuple[dict[str, Any], bool]:
    """Return (body, hit). A cache outage degrades to computing every time."""
    generation = current_generation()
    key = f"analytics:{name}:{generation}"
    if not refresh:
        body = cache.get(key)
        if body is not None:
            metrics.ANALYTICS_CACHE.labels(name=name, result="hit").inc()
            return body, True
    body = compute()
    cache.set(key, body, timeout=settings.ANALYTICS_CACHE_TTL)
    metrics.ANALYTICS_CACHE.labels(name=name, result="refresh" if refresh else "miss").inc()
    return body, False
