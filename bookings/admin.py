"""Staff console for bookings: read-only rows; the only change is "cancel selected", which
goes through booking_cancel (seats freed, waitlist promoted)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest

from bookings.attendees import export_attendees_csv
from bookings.models import Booking, Ticket, live_tickets
from bookings.services import booking_cancel
from events.admin import EventAdmin
from evently.admin import ServiceBackedAdmin
from evently.errors import DomainError


@admin.register(Booking)
class BookingAdmin(ServiceBackedAdmin):
    list_display = ["id", "user_email", "event", "qty", "status", "seats", "created_at", "cancelled_at"]
    list_filter = ["status", ("event", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["user__email"]
    list_select_related = ["user", "event"]
    ordering = ["-created_at", "-id"]
    actions = ["cancel_selected"]
    list_per_page = 100
    readonly_fields = [
        "user", "event", "qty", "status", "idempotency_key", "request_fingerprint",
        "created_at", "updated_at", "promoted_at", "cancelled_at", "seats",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Booking]:
        return super().get_queryset(request).prefetch_related(
            Prefetch(
                "tickets",
                queryset=live_tickets(Ticket.objects.all()).only("id", "booking_id", "seat_label"),
                to_attr="live_tickets",
            )
        )

    @admin.display(description="User", ordering="user__email")
    def user_email(self, booking: Booking) -> str:
        return booking.user.email

    @admin.display(description="Seats")
    def seats(self, booking: Booking) -> str:
        return ", ".join(booking.seat_labels)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Viewing is allowed (has_view_permission); every field is read-only.
        return False

    @admin.action(description="Cancel selected bookings (frees seats, promotes the waitlist)")
    def cancel_selected(self, request: HttpRequest, queryset: QuerySet[Booking]) -> None:
        cancelled, failed = 0, []
        for booking_id in queryset.exclude(status=Booking.Status.CANCELLED).values_list("id", flat=True):
            try:
                booking_cancel(booking_id=booking_id, actor=request.user)
                cancelled += 1
            except DomainError as exc:
                failed.append(f"#{booking_id}: {exc.detail}")
        messages.success(request, f"Cancelled {cancelled} booking(s).")
        for failure in failed:
            messages.error(request, failure)


# Organizer tools: the events console gets the attendee export (events cannot import bookings).
EventAdmin.actions = [*EventAdmin.actions, export_attendees_csv]
