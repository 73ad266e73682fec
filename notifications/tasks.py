"""Celery tasks: thin wrappers around notifications.services and notifications.delivery."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task

from notifications import delivery, services

logger = logging.getLogger(__name__)


# max_retries=None: no Celery limit (its default is 3, and `retry(max_retries=None)` means
# that default). The row counts the attempts and turns `failed` after
# NOTIFICATION_MAX_ATTEMPTS, after which the service returns no `retry_in`.
@shared_task(bind=True, acks_late=True, ignore_result=True, max_retries=None)
def deliver_notification(self: Any, notification_id: int) -> str:
    """Deliver one notification; on a mail error, retry after the service's backoff (the
    row counts the attempts and turns `failed` after NOTIFICATION_MAX_ATTEMPTS). Eager runs
    (no REDIS_URL) leave the retry to the sweep."""
    outcome = delivery.notification_deliver(notification_id=notification_id)
    if outcome.retry_in is not None and not self.request.is_eager:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.status


@shared_task(acks_late=True, ignore_result=True)
def deliver_notifications(notification_ids: list[int]) -> int:
    """Deliver several notifications committed at about the same time (one task per burst of
    the web process's publisher). Each id is claimed on its own (idempotent, as
    deliver_notification); one that needs a retry goes on as its own `deliver_notification`
    after the service's backoff. Returns how many were sent."""
    sent = 0
    for notification_id in notification_ids:
        outcome = delivery.notification_deliver(notification_id=notification_id)
        if outcome.retry_in is not None:
            try:
                deliver_notification.apply_async((notification_id,), countdown=outcome.retry_in)
            except Exception:  # broker gone: the row stays pending for the sweep
                logger.warning("could not queue the retry of notification %s", notification_id, exc_info=True)
        sent += outcome.status == "sent"
    return sent


@shared_task(acks_late=True, ignore_result=True)
def fan_out_event_change(change_id: int) -> int:
    return services.event_change_fan_out(change_id=change_id)


@shared_task(ignore_result=True)
def sweep_notifications() -> dict[str, int]:
    """Celery beat runs this every minute (CELERY_BEAT_SCHEDULE)."""
    return services.notifications_sweep()
