"""Analytics writes: only invalidation. Every app calls this one function after a change
that affects the numbers, so nobody else needs to know cache keys."""

from __future__ import annotations

from django.db import transaction

from analytics.cache import bump_generation


def analytics_invalidate() -> None:
    bump_generation()


def analytics_invalidate_on_commit() -> None:
    """Schedule invalidation for after the current transaction commits (or now, outside one)."""
    transaction.on_commit(analytics_invalidate)
