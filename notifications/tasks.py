"""Celery tasks: thin wrappers around notifications.services."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from notifications import services


@shared_task(bind=True, acks_late=True, ignore_result=True)
def deliver_notification(self: Any, notification_id: int) -> str:
    """Deliver one notification; on a mail error, retry after the service's backoff (the
    row counts the attempts and turns `failed` after NOTIFICATION_MAX_ATTEMPTS). Eager runs
    (no REDIS_URL) leave the retry to the sweep."""
    outcome = services.notification_deliver(notification_id=notification_id)
    if outcome.retry_in is not None and not self.request.is_eager:
        raise self.retry(countdown=outcome.retry_in, max_retries=None)
    return outcome.status


@shared_task(acks_late=True, ignore_result=True)
def fan_out_event_change(change_id: int) -> int:
    return services.event_change_fan_out(change_id=change_id)


@shared_task(ignore_result=True)
def sweep_notifications() -> dict[str, int]:
    """Celery beat runs this every minute (CELERY_BEAT_SCHEDULE)."""
    return services.notifications_sweep()
