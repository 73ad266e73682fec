from __future__ import annotations

import secrets

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

    # Two plain attributes of every Booking the services and selectors hand out, read by the
    # Booking body. Set by the services when they know the value (a confirmation knows its
    # seats, a waiting request its place) and by the selectors' annotation/prefetch.
    _seat_labels: list[str] | None = None
    _waitlist_position: int | None = None

    @property
    def seat_labels(self) -> list[str]:
        """Labels of the seats this booking holds, in natural order; [] unless CONFIRMED.
        From the live tickets (prefetched by `bookings.selectors.with_details`, else one query)."""
        if self.status != self.Status.CONFIRMED:
            return []
        if self._seat_labels is not None:
            return list(self._seat_labels)
        prefetched = self.__dict__.get("live_tickets")  # Prefetch(..., to_attr="live_tickets")
        if prefetched is not None:
            return [ticket.seat_label for ticket in prefetched]
        if self.pk is None:
            return []
        return list(live_tickets(Ticket.objects.filter(booking=self)).values_list("seat_label", flat=True))

    @seat_labels.setter
    def seat_labels(self, labels: list[str] | None) -> None:
        self._seat_labels = None if labels is None else list(labels)

    @property
    def waitlist_position(self) -> int | None:
        """1-based place in the event's queue when WAITLISTED, else None."""
        if self.status != self.Status.WAITLISTED:
            return None
        return self._waitlist_position

    @waitlist_position.setter
    def waitlist_position(self, position: int | None) -> None:
        self._waitlist_position = position


def new_ticket_code() -> str:
    """A ticket's code: 24 URL-safe characters, 144 random bits."""
    return secrets.token_urlsafe(18)


class Ticket(models.Model):
    """The reservation record: one per seat of a CONFIRMED booking, created in the transaction
    that confirms it (booking or promotion) and voided in the one that cancels it, always under
    the event row lock. `Seat.reserved` mirrors "a live ticket holds this seat"."""

    class Status(models.TextChoices):
        VALID = "valid", "Valid"
        CHECKED_IN = "checked_in", "Checked in"
        VOID = "void", "Void"

    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="tickets")
    # No index of its own: tickets are found by booking or by seat (check-in adds what it needs).
    event = models.ForeignKey(
        "events.Event", on_delete=models.PROTECT, related_name="tickets", db_index=False
    )
    # Null once the seat is gone: only free seats are ever removed (capacity cut), so only
    # void tickets can lose their seat.
    seat = models.ForeignKey(
        "events.Seat", on_delete=models.SET_NULL, null=True, blank=True, related_name="tickets"
    )
    seat_label = models.CharField(max_length=16)
    code = models.CharField(max_length=43, unique=True, default=new_ticket_code)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.VALID)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    # Who scanned it in and the scan's Idempotency-Key: a retry of that very scan (same
    # user, same key) replays the 200. Both cleared by an undo.
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", db_index=False,
    )
    checkin_key = models.CharField(max_length=255, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    voided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["booking_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["seat"], condition=~Q(status="void"), name="ticket_one_live_per_seat"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["valid", "checked_in", "void"]), name="ticket_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="void", voided_at__isnull=False)
                | (~Q(status="void") & Q(voided_at__isnull=True)),
                name="ticket_voided_at_iff_void",
            ),
            # A valid ticket was never admitted (or its admission was undone); a checked-in
            # one says when. A void one keeps the time it was admitted, if it was.
            models.CheckConstraint(
                condition=Q(status="void")
                | Q(status="checked_in", checked_in_at__isnull=False)
                | Q(status="valid", checked_in_at__isnull=True),
                name="ticket_checked_in_at_iff_checked_in",
            ),
        ]
        indexes = [
            # Admitted per event (analytics, the scanner's counter): index-only, and only
            # check-ins write to it.
            models.Index(
                fields=["event"], condition=Q(status="checked_in"), name="ticket_checked_in_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"Ticket {self.seat_label} of booking #{self.booking_id} ({self.status})"


def live_tickets(tickets: models.QuerySet[Ticket]) -> models.QuerySet[Ticket]:
    """Non-void tickets in the natural order of their seats (row, then seat number)."""
    return tickets.exclude(status=Ticket.Status.VOID).order_by(
        "seat__row_index", "seat__col_number", "id"
    )
