"""The notification outbox.

A `Notification` is one thing to tell one person; it is written in the same transaction as
the change it tells about and delivered by email afterwards (notifications/delivery.py).
An `EventChange` is one row written in an event's transaction when its time or venue
changes; the worker fans it out to the event's holders and waiters (thousands of rows would
not fit in the event's transaction).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class NotificationQuerySet(models.QuerySet["Notification"]):
    def pending(self) -> "NotificationQuerySet":
        return self.filter(delivery=Notification.Delivery.PENDING)

    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class EventChange(models.Model):
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")
    # field name -> [old, new] (ISO strings for times), among start_time, end_time, venue.
    changes = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    # Set once every holder and waiter has a Notification for this change.
    fanned_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(fanned_out_at__isnull=True),
                name="eventchange_pending_idx",
            )
        ]

    def __str__(self) -> str:
        return f"EventChange #{self.pk} of event {self.event_id}"


class Notification(models.Model):
    class Kind(models.TextChoices):
        BOOKING_CONFIRMED = "booking_confirmed", "Booking confirmed"
        WAITLIST_JOINED = "waitlist_joined", "Waitlist joined"
        WAITLIST_PROMOTED = "waitlist_promoted", "Promoted from the waitlist"
        BOOKING_CANCELLED = "booking_cancelled", "Booking cancelled"
        EVENT_CHANGED = "event_changed", "Event changed"
        PASSWORD_RESET = "password_reset", "Password reset"

    class Delivery(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
        db_index=False,
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    booking = models.ForeignKey(
        "bookings.Booking", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    event = models.ForeignKey(
        "events.Event", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The fan-out this row came from (event_changed); unique per person, so a fan-out that
    # runs twice writes nothing twice.
    change = models.ForeignKey(
        EventChange, on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications",
        db_index=False,
    )
    title = models.CharField(max_length=300)
    body = models.TextField()
    # What the email needs beyond the row (seat labels, the change's old and new values).
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")
    sent_at = models.DateTimeField(null=True, blank=True)
    # Not due before this time: a delivery in progress claims the row until then, a failed
    # attempt sets it to the next retry. Null: due now.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # Stable across retries and resends: the email's Message-ID is built from it.
    message_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["change", "user"], condition=Q(change__isnull=False),
                name="notification_one_per_change_and_user",
            ),
            models.CheckConstraint(
                condition=Q(delivery__in=["pending", "sent", "failed"]),
                name="notification_delivery_valid",
            ),
            models.CheckConstraint(
                condition=Q(delivery="sent", sent_at__isnull=False) | ~Q(delivery="sent"),
                name="notification_sent_has_sent_at",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="notification_user_recent_idx"),
            models.Index(
                fields=["created_at"], condition=Q(delivery="pending"),
                name="notification_pending_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Notification #{self.pk} ({self.kind} to {self.user_id}, {self.delivery})"

    @property
    def message_id(self) -> str:
        """The email's Message-ID, the same on every attempt."""
        return f"<notification-{self.pk}.{self.message_key.hex[:12]}@evently>"
