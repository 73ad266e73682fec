"""Staff console for bookings: read-only rows; the only change is "cancel selected", which
goes through booking_cancel (seats freed, waitlist promoted). Tickets show inline on their
booking (read-only) and in their own list, whose "check in" and "undo check-in" actions go
through bookings.tickets (the same services as the door scanner)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest

from bookings.attendees import export_attendees_csv
from bookings.models import Booking, Ticket, live_tickets
from bookings.services import booking_cancel
from bookings.tickets import ticket_check_in, ticket_undo_check_in
from events.admin import EventAdmin
from evently.admin import ConsoleModelAdmin, ReadOnlyConsoleMixin, ServiceBackedAdmin
from evently.errors import DomainError


TICKET_FIELDS = ["seat_label", "code", "status", "checked_in_at", "checked_in_by", "voided_at", "created_at"]


class TicketInline(admin.TabularInline):
    """A booking's tickets, read-only, in seat order."""

    model = Ticket
    fields = TICKET_FIELDS
    readonly_fields = TICKET_FIELDS
    extra = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[Ticket]:
        return (
            super().get_queryset(request)
            .select_related("checked_in_by")
            .order_by("seat__row_index", "seat__col_number", "id")
        )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AccountActiveFilter(admin.SimpleListFilter):
    """Bookings by whether their user's account is active: a deactivation withdraws the
    account's waitlist places after it commits; one that did not finish (a busy event, a
    process that died) leaves WAITLISTED bookings of a deactivated account, found here."""

    title = "account"
    parameter_name = "account"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("active", "Active"), ("deactivated", "Deactivated")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Booking]) -> QuerySet[Booking]:
        if self.value() in ("active", "deactivated"):
            return queryset.filter(user__is_active=self.value() == "active")
        return queryset


@admin.register(Booking)
class BookingAdmin(ReadOnlyConsoleMixin, ServiceBackedAdmin):
    list_display = ["id", "user_email", "event", "qty", "status", "seats", "created_at", "cancelled_at"]
    list_filter = ["status", AccountActiveFilter, ("event", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["user__email__folded_contains"]  # as the API folds case
    list_select_related = ["user", "event"]
    ordering = ["-created_at", "-id"]
    actions = ["cancel_selected"]
    inlines = [TicketInline]
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

    @admin.action(description="Cancel selected bookings (frees seats, promotes the waitlist)")
    def cancel_selected(self, request: HttpRequest, queryset: QuerySet[Booking]) -> None:
        cancelled, failed = 0, []
        for booking_id in queryset.exclude(status=Booking.Status.CANCELLED).values_list("id", flat=True):
            try:
                booking = booking_cancel(booking_id=booking_id, actor=request.user)
                cancelled += 1
            except DomainError as exc:
                failed.append(f"#{booking_id}: {exc.detail}")
                continue
            self.log_console_action(request, booking, "Cancelled")
        if cancelled:
            messages.success(request, f"Cancelled {cancelled} booking(s).")
        elif not failed:  # no success claimed for "Cancelled 0 booking(s)"
            messages.warning(request, "Nothing to cancel: the selected bookings were cancelled already.")
        for failure in failed:
            messages.error(request, failure)


@admin.register(Ticket)
class TicketAdmin(ReadOnlyConsoleMixin, ConsoleModelAdmin):
    """Tickets, read-only; check-in and its undo are actions that call the services."""

    list_display = ["id", "code", "seat_label", "event", "booking", "status", "checked_in_at"]
    list_filter = ["status", ("event", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["=code", "booking__user__email__folded_contains"]
    list_select_related = ["event", "booking"]
    ordering = ["-id"]
    list_per_page = 100
    actions = ["check_in_selected", "undo_check_in_selected"]
    fields = ["booking", "event", *TICKET_FIELDS, "checkin_key"]
    readonly_fields = fields

    def _apply(
        self, request: HttpRequest, queryset: QuerySet[Ticket], service: Any, verb: str, logged: str,
        unchanged_text: str = "",
    ) -> None:
        done, unchanged, failed = 0, 0, []
        for ticket in queryset:
            before = ticket.status
            try:
                service(event_id=ticket.event_id, code=ticket.code, actor=request.user)
            except DomainError as exc:
                failed.append(f"{ticket.seat_label} ({ticket.code[:6]}…): {exc.detail}")
                continue
            ticket.refresh_from_db(fields=["status"])  # its history names it as it is now
            if ticket.status == before:  # the service's idempotent no-op (undo of a valid ticket)
                unchanged += 1
                continue
            done += 1
            self.log_console_action(request, ticket, logged)
        if done:
            messages.success(request, f"{verb} {done} ticket(s).")
        if unchanged:
            messages.info(request, f"{unchanged} ticket(s) unchanged{unchanged_text}.")
        for failure in failed:
            messages.error(request, failure)

    @admin.action(description="Check in selected tickets")
    def check_in_selected(self, request: HttpRequest, queryset: QuerySet[Ticket]) -> None:
        self._apply(request, queryset, ticket_check_in, "Checked in", "Checked in")

    @admin.action(description="Undo check-in of selected tickets")
    def undo_check_in_selected(self, request: HttpRequest, queryset: QuerySet[Ticket]) -> None:
        self._apply(
            request, queryset, ticket_undo_check_in, "Check-in undone for", "Check-in undone",
            unchanged_text=": not checked in",
        )


# Organizer tools: the events console gets the attendee export (events cannot import bookings).
EventAdmin.actions = [*EventAdmin.actions, export_attendees_csv]
