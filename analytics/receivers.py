"""Analytics hears about committed changes from the apps below it and invalidates its cache."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from accounts.signals import user_changed
from bookings.signals import bookings_changed, tickets_changed
from events.signals import event_changed
from evently import cache


@receiver(user_changed, dispatch_uid="analytics-user-changed")
@receiver(event_changed, dispatch_uid="analytics-event-changed")
@receiver(bookings_changed, dispatch_uid="analytics-bookings-changed")
@receiver(tickets_changed, dispatch_uid="analytics-tickets-changed")
def invalidate_analytics(**_: Any) -> None:
    cache.invalidate(cache.ANALYTICS)
