from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Min, QuerySet
from django.utils import timezone

from accounts.models import User
from notifications.models import EventChange, Notification


def notification_list(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    """`user`'s notifications, newest first (created_at, then id)."""
    notifications = Notification.objects.filter(user=user).order_by("-created_at", "-id")
    return notifications.unread() if unread_only else notifications


def notification_counts() -> dict[tuple[str, str], int]:
    """{(kind, delivery): rows} over all notifications."""
    rows = Notification.objects.order_by().values_list("kind", "delivery").annotate(n=Count("id"))
    return {(kind, delivery): n for kind, delivery, n in rows}


def oldest_pending_age_seconds() -> float:
    """Seconds since the oldest pending notification was written; 0 when none is pending."""
    return _age_seconds(Notification.objects.pending().aggregate(oldest=Min("created_at"))["oldest"])


def oldest_unfanned_change_age_seconds() -> float:
    """Seconds since the oldest event change whose fan-out has not finished was recorded; 0
    when every change is fanned out. A fan-out that keeps failing (the sweep retries it every
    minute and logs each failure) makes this grow: the figure to alert on."""
    return _age_seconds(
        EventChange.objects.filter(fanned_out_at__isnull=True).aggregate(oldest=Min("created_at"))["oldest"]
    )


def _age_seconds(oldest: datetime | None) -> float:
    return max(0.0, (timezone.now() - oldest).total_seconds()) if oldest else 0.0
