"""Staff console for events. Every change to inventory goes through events.services; the
counters and seat reservations are read-only here."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from events import services
from events.exceptions import CapacityTooLarge, InvalidEventTimes
from events.models import Event, Seat
from events.seating import DEFAULT_SEATS_PER_ROW
from evently.admin import ConsoleModelAdmin, ServiceBackedAdmin

INVENTORY_FIELDS = ("booked_count", "waitlisted_count", "seat_cols")


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = ["name", "venue", "start_time", "end_time", "capacity", "status"]

    def clean(self) -> dict[str, Any]:
        """The service's rules as form errors, so the console shows them on the fields."""
        data = super().clean()
        if all(data.get(f) is not None for f in ("start_time", "end_time", "capacity")):
            try:
                services.event_check(
                    start_time=data["start_time"], end_time=data["end_time"], capacity=data["capacity"]
                )
            except InvalidEventTimes:
                self.add_error("end_time", "end_time must be after start_time.")
            except CapacityTooLarge as exc:
                self.add_error("capacity", exc.detail)
        return data


@admin.register(Event)
class EventAdmin(ServiceBackedAdmin):
    form = EventForm
    list_display = [
        "id", "name", "venue", "start_time", "status", "capacity", "booked_count",
        "utilization", "waitlisted_count",
    ]
    list_filter = ["status", ("start_time", admin.DateFieldListFilter)]
    search_fields = ["name", "venue"]
    date_hierarchy = "start_time"
    ordering = ["start_time", "id"]
    readonly_fields = [*INVENTORY_FIELDS, "created_at", "updated_at", "seats_link"]
    actions = ["deactivate", "activate", "generate_default_grid"]
    list_per_page = 50

    @admin.display(description="Utilization %")
    def utilization(self, event: Event) -> float:
        return event.utilization_pct

    @admin.display(description="Seats")
    def seats_link(self, event: Event) -> str:
        from django.urls import reverse
        from django.utils.html import format_html

        if not event.has_seat_map:
            return "no seat map yet"
        url = reverse("admin:events_seat_changelist") + f"?event__id__exact={event.id}"
        return format_html('<a href="{}">View the {} seats</a>', url, event.capacity)

    def save_through_service(self, request: HttpRequest, obj: Event, form: forms.ModelForm, change: bool) -> None:
        """A refusal (DomainError) rolls the whole form back (ServiceBackedAdmin)."""
        if change:
            data = {field: form.cleaned_data[field] for field in form.changed_data}
            if data:
                services.event_update(event_id=obj.pk, **data)
        else:
            data = {f: form.cleaned_data[f] for f in ("name", "venue", "start_time", "end_time", "capacity")}
            obj.pk = services.event_create(**data).pk

    def delete_through_service(self, request: HttpRequest, obj: Event) -> None:
        services.event_delete(event_id=obj.pk)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        self.run_each(request, queryset, lambda e: services.event_delete(event_id=e.pk), "Deleted")

    @admin.action(description="Deactivate selected events")
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        self.run_each(request, queryset, lambda e: services.event_deactivate(event_id=e.pk), "Deactivated")

    @admin.action(description="Activate selected events (promotes their waitlists)")
    def activate(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        self.run_each(request, queryset, lambda e: services.event_activate(event_id=e.pk), "Activated")

    @admin.action(description=f"Generate a default seat grid ({DEFAULT_SEATS_PER_ROW} per row)")
    def generate_default_grid(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        self.run_each(
            request,
            queryset,
            lambda e: services.seat_map_generate_default(event_id=e.pk),
            "Generated seats for",
        )


@admin.register(Seat)
class SeatAdmin(ConsoleModelAdmin):
    """Read-only, paginated (a 100,000-seat event is never loaded in one page)."""

    list_display = ["label", "event", "row_label", "col_number", "reserved"]
    list_filter = ["reserved"]
    search_fields = ["label", "event__name"]
    list_select_related = ["event"]
    list_per_page = 200
    show_full_result_count = False
    raw_id_fields = ["event"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Seat]:
        return super().get_queryset(request).order_by("event_id", "row_index", "col_number")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
