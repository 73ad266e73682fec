"""Analytics hears about committed changes from the apps below it and invalidates its cache.

Changes to events and bookings (`event_changed`, `bookings_changed`) need no receiver here:
they bump the catalogue's generation, which analytics bodies are keyed by as well
(evently/cache.py DEPENDS_ON). Only what the catalogue never shows bumps analytics itself."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from accounts.signals import user_changed
from bookings.signals import tickets_changed
from evently import cache


@receiver(user_changed, dispatch_uid="analytics-user-changed")
@receiver(tickets_changed, dispatch_uid="analytics-tickets-changed")
def invalidate_analytics(**_: Any) -> None:
    cache.invalidate(cache.ANALYTICS)
