from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from bookings.models import Booking
from evently.admin import ConsoleModelAdmin, ServiceBackedAdmin
from notifications import services
from notifications.models import EventChange, Notification


@admin.register(Notification)
class NotificationAdmin(ServiceBackedAdmin):
    """The outbox: listed and resent, never added, edited or deleted here (a notification is
    never lost)."""

    list_display = ["id", "kind", "user", "booking", "event", "delivery", "attempts", "created_at", "sent_at", "read_at"]
    list_filter = ["kind", "delivery"]
    search_fields = ["user__email__folded_contains", "title__folded_contains", "=booking__id", "=event__id"]
    list_select_related = ["user", "booking", "event"]
    raw_id_fields = ["user", "booking", "event", "change"]
    readonly_fields = [
        "user", "kind", "booking", "event", "change", "title", "body", "data", "created_at",
        "read_at", "delivery", "attempts", "last_error", "sent_at", "next_attempt_at", "message_key",
    ]
    actions = ["resend"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        return False

    @admin.action(description="Resend the selected notifications")
    def resend(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        """Each its own service call; one whose account is deactivated is refused and named."""
        self.run_each(
            request, queryset, lambda n: services.notification_resend(notification_id=n.pk), "Resent"
        )


@admin.register(EventChange)
class EventChangeAdmin(ConsoleModelAdmin):
    """The event-change outbox: listed and shown, never added, saved or deleted here (deleting
    one before its fan-out would leave its people untold)."""

    list_display = ["id", "event", "created_at", "fanned_out_at"]
    raw_id_fields = ["event"]
    readonly_fields = ["event", "changes", "created_at", "fanned_out_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: EventChange | None = None) -> bool:
        return False  # nothing on it is editable; a Save would write the row back as loaded

    def has_delete_permission(self, request: HttpRequest, obj: EventChange | None = None) -> bool:
        return False


class BookingNotificationInline(admin.TabularInline):
    """A booking's notifications and their delivery state, on the booking's console page."""

    model = Notification
    fk_name = "booking"
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["kind", "title", "delivery", "attempts", "last_error", "created_at", "sent_at"]
    readonly_fields = fields
    ordering = ["created_at", "id"]

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


# Bookings cannot know about notifications (dependencies point up), so the inline is added
# to the bookings app's console page from here.
_booking_admin = admin.site.get_model_admin(Booking)
_booking_admin.inlines = [*_booking_admin.inlines, BookingNotificationInline]
