"""Analytics writes nothing of its own: it invalidates its cached bodies when the apps below
it announce a committed change (analytics/receivers.py)."""

from __future__ import annotations

from evently import cache


def analytics_invalidate() -> None:
    """Drop every cached analytics body now (the next read recomputes)."""
    cache.invalidate(cache.ANALYTICS)
