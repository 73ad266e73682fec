from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Booking(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "CONFIRMED", "Confirmed"
        WAITLISTED = "WAITLISTED", "Waitlisted"
        CANCELLED = "CANCELLED", "Cancelled"

    # No single-column indexes on the two foreign keys: the composite indexes below lead
    # with them, and every extra index is one more write per booking.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings", db_index=False
    )
    event = models.ForeignKey(
        "events.Event", on_delete=models.PROTECT, related_name="bookings", db_index=False
    )
    qty = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices)
    idempotency_key = models.CharField(max_length=255, null=True, blank=True)
    # sha256 of the normalized request, to tell a replay from a reuse of the key.
    request_fingerprint = models.CharField(max_length=64, blank=True, default="")
    # Set inside the event lock, so FIFO by (created_at, id) is the order requests got the lock.
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "event", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="booking_unique_idempotency_key",
            ),
            models.CheckConstraint(condition=Q(qty__gte=1), name="booking_qty_positive"),
            models.CheckConstraint(
                condition=Q(status__in=["CONFIRMED", "WAITLISTED", "CANCELLED"]),
                name="booking_status_valid",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="CANCELLED", cancelled_at__isnull=False)
                    | (~Q(status="CANCELLED") & Q(cancelled_at__isnull=True))
                ),
                name="booking_cancelled_at_iff_cancelled",
            ),
        ]
        indexes = [
            # The waitlist queue of an event, FIFO.
            models.Index(
                fields=["event", "created_at", "id"],
                condition=Q(status="WAITLISTED"),
                name="booking_waitlist_queue_idx",
            ),
            models.Index(fields=["user", "-created_at", "-id"], name="booking_user_recent_idx"),
            models.Index(fields=["-created_at", "-id"], name="booking_recent_idx"),
            models.Index(fields=["event", "status"], name="booking_event_status_idx"),
            models.Index(
                fields=["cancelled_at"],
                condition=Q(cancelled_at__isnull=False),
                name="booking_cancelled_at_idx",
            ),
            # Distinct customers (homepage stats) as an index-only scan.
            models.Index(
                fields=["user"],
                condition=Q(status="CONFIRMED"),
                name="booking_confirmed_user_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Booking #{self.pk} ({self.status}, {self.qty})"
