"""Staff console for events. Every change to inventory goes through events.services; the
counters and seat reservations are read-only here."""

from __future__ import annotations

from typing import Any

from datetime import datetime, timezone as dt_timezone

from django import forms
from django.contrib import admin, messages
from django.db.models import CASCADE, PROTECT, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst

from events import services
from events.exceptions import EventChangedMeanwhile, InvalidEventField, InvalidEventTimes
from events.models import DEFAULT_TIMEZONE, Event, Seat, timezone_choices, zone_or_none
from events.seating import DEFAULT_SEATS_PER_ROW
from evently.admin import ConsoleModelAdmin, ReadOnlyConsoleMixin, ServiceBackedAdmin
from evently.text import strip_invisible

INVENTORY_FIELDS = ("booked_count", "waitlisted_count", "seat_cols")


ZONED_FIELDS = ("start_time", "end_time")
FORM_FIELDS = ["name", "venue", "timezone", "start_time", "end_time", "capacity", "status"]


class EventForm(forms.ModelForm):
    """The console edits an event in its own time zone: the date/time widgets show its local
    wall-clock times, and what staff type is read in the zone chosen on the form (changing
    the zone keeps the typed wall-clock times: docs/DECISIONS.md). Stored values stay UTC."""

    # Not required: a post without it keeps the event's zone (UTC for a new event).
    timezone = forms.ChoiceField(
        choices=timezone_choices, initial=DEFAULT_TIMEZONE, required=False,
        help_text="IANA zone the event happens in; start and end below are local times there.",
    )

    # The event's `updated_at` when the page was shown (every edit of its fields moves it;
    # bookings do not). The form posts back every field, edited or not: saved over a change
    # someone made since (a capacity, a deactivation through the API), it silently undid it.
    shown_version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Event
        fields = FORM_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = self.instance
        # Values before this form's changes (the ModelForm writes cleaned data onto the instance).
        self.original = {f: getattr(instance, f) for f in FORM_FIELDS} if instance.pk else {}
        self.updated_at = instance.updated_at if instance.pk else None
        self.version = self.updated_at.isoformat() if self.updated_at else ""
        self.initial["shown_version"] = self.version
        if instance.pk:
            zone = instance.zone
            for name in ZONED_FIELDS:
                # Naive wall-clock time in the event's zone: Django shows a naive initial as is.
                self.initial[name] = getattr(instance, name).astimezone(zone).replace(tzinfo=None)
                self.fields[name].help_text = (
                    f"Local time in {instance.timezone} "
                    f"(now {getattr(instance, name).astimezone(zone):%H:%M %Z}, "
                    f"{getattr(instance, name):%Y-%m-%d %H:%M} UTC); read in the zone chosen above."
                )
        else:
            for name in ZONED_FIELDS:
                self.fields[name].help_text = "Local time in the time zone chosen above."

    def clean(self) -> dict[str, Any]:
        """Typed times read in the chosen zone, then the service's rules as form errors, so
        the console shows them on the fields."""
        data = super().clean()
        # Early, on the form, for the usual case; `event_update(shown_updated_at=...)` checks
        # again under the event lock, for a change committed after this check.
        if self.instance.pk and data.get("shown_version") and data["shown_version"] != self.version:
            raise forms.ValidationError(EventChangedMeanwhile.default_detail)
        for name in ("name", "venue"):  # blank as in the API: nothing visible is no name
            if isinstance(data.get(name), str) and not strip_invisible(data[name]):
                self.add_error(name, "This field may not be blank.")
        if not data.get("timezone") and "timezone" not in self.errors:
            data["timezone"] = self.instance.timezone if self.instance.pk else DEFAULT_TIMEZONE
        zone = zone_or_none(data.get("timezone"))
        if zone is not None:
            for name in ZONED_FIELDS:
                if not isinstance(data.get(name), datetime):
                    continue
                if self._as_shown(name, data[name], data["timezone"]):
                    # Untouched: keep the stored instant as it is. Read back from the widget
                    # it would lose its sub-second part, and a repeated autumn time its
                    # second occurrence: a plain Save would move the event and tell every
                    # holder of a change nobody made.
                    data[name] = self.original[name]
                    continue
                try:
                    data[name] = local_to_aware(data[name], zone)
                except NonexistentLocalTime as exc:
                    self.add_error(name, str(exc))
        if all(data.get(f) is not None for f in ("start_time", "end_time", "capacity", "timezone")):
            try:
                services.event_check(
                    start_time=data["start_time"], end_time=data["end_time"],
                    capacity=data["capacity"], timezone=data["timezone"],
                )
            except (InvalidEventTimes, InvalidEventField) as exc:  # each on its own field
                for field, messages in exc.extra["errors"].items():
                    self.add_error(field, messages)
        return data

    def _as_shown(self, name: str, value: datetime, zone_name: str) -> bool:
        """True when a time field was posted back as the change form showed it: same zone,
        same wall-clock time to the second (what the widget shows)."""
        if not self.original or zone_name != self.original["timezone"]:
            return False
        wall = timezone.make_naive(value) if timezone.is_aware(value) else value
        return wall == self.initial[name].replace(microsecond=0)

    @property
    def changed_data(self) -> list[str]:
        """Fields whose cleaned value differs from the stored one (Django's comparison of a
        local initial with a UTC value would mark the times changed on every save)."""
        if not self.original or not hasattr(self, "cleaned_data"):
            return super().changed_data
        return [
            f for f in FORM_FIELDS
            if f in self.cleaned_data and self.cleaned_data[f] != self.original[f]
        ]


class NonexistentLocalTime(ValueError):
    """A wall-clock time the zone skips (the hour clocks jump over in spring), or one whose
    instant is outside datetime's range (9999-12-31 23:30 in Anchorage is in year 10000 UTC)."""


def local_to_aware(value: datetime, zone: Any) -> datetime:
    """A datetime Django made aware in the console's current zone, re-read as the same
    wall-clock time in `zone`, as a UTC instant (so later comparisons compare instants, not
    wall-clock times). A repeated autumn time is its first occurrence. Raises
    NonexistentLocalTime for a time the zone skips, which would otherwise move silently,
    and for one whose instant no datetime can hold (the services' range message)."""
    wall = timezone.make_naive(value) if timezone.is_aware(value) else value
    local = wall.replace(tzinfo=zone)
    try:
        instant = local.astimezone(dt_timezone.utc)
        shown = instant.astimezone(zone).replace(tzinfo=None)
    except OverflowError:  # past year 9999 or before year 1 in UTC
        raise NonexistentLocalTime(services.TIME_RANGE_MESSAGE) from None
    if shown != wall:
        raise NonexistentLocalTime(
            f"{wall:%Y-%m-%d %H:%M} does not exist in {zone.key}: the clocks skip it. Choose another time."
        )
    return instant


@admin.register(Event)
class EventAdmin(ServiceBackedAdmin):
    form = EventForm
    list_display = [
        "id", "name", "venue", "local_start", "status", "capacity", "booked_count",
        "utilization", "waitlisted_count",
    ]
    list_filter = ["status", ("start_time", admin.DateFieldListFilter)]
    search_fields = ["name__folded_contains", "venue__folded_contains"]  # as GET /events?q= (API.md)
    date_hierarchy = "start_time"
    ordering = ["start_time", "id"]
    readonly_fields = [*INVENTORY_FIELDS, "created_at", "updated_at", "seats_link"]
    # bookings/admin.py adds "Export attendees (CSV)" (events cannot import bookings).
    actions = ["deactivate", "activate", "generate_default_grid"]
    list_per_page = 50

    @admin.display(description="Starts (local time)", ordering="start_time")
    def local_start(self, event: Event) -> str:
        """The start in the event's zone, named: `2031-05-01 20:30 CEST (Europe/Berlin)`."""
        local = event.start_time.astimezone(event.zone)
        return f"{local:%Y-%m-%d %H:%M} {local.tzname()} ({event.timezone})"

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
            data = {field: form.cleaned_data[field] for field in form.changed_data if field in FORM_FIELDS}
            # The event as the page showed it (the form checked the posted version against it).
            shown = getattr(form, "updated_at", None) if form.cleaned_data.get("shown_version") else None
            if data:
                services.event_update(event_id=obj.pk, shown_updated_at=shown, **data)
        else:
            data = {
                f: form.cleaned_data[f]
                for f in ("name", "venue", "start_time", "end_time", "capacity", "timezone")
            }
            obj.pk = services.event_create(**data).pk
            if form.cleaned_data.get("status") == Event.Status.INACTIVE:  # created as chosen
                services.event_deactivate(event_id=obj.pk)

    def delete_through_service(self, request: HttpRequest, obj: Event) -> None:
        services.event_delete(event_id=obj.pk)

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> tuple[Any, Any, set[str], Any]:
        """What goes with the events, counted per kind instead of Django's one line (and one
        URL) per related row: for a 100,000-seat event that was a 7 MB page built in ~15 s,
        and built again by the POST before deleting. Rows that would block the deletion
        (bookings, tickets: PROTECT) are "protected", as Django shows them; `event_delete`
        decides in the end. No per-model permission check: seats and outbox rows go through
        `event_delete` (seats are read-only here, which made such an event undeletable)."""
        events = list(objs)
        ids = [event.pk for event in events]
        to_delete: list[Any] = [
            format_html(
                '{}: <a href="{}">{}</a>', capfirst(Event._meta.verbose_name),
                reverse("admin:events_event_change", args=[event.pk]), event,
            )
            for event in events
        ]
        model_count = {Event._meta.verbose_name_plural: len(events)}
        protected: list[str] = []
        # Every row pointing at an event, hidden relations (related_name="+") included.
        for relation in Event._meta.get_fields(include_hidden=True):
            if not (relation.one_to_many and relation.auto_created and not relation.concrete):
                continue
            if relation.on_delete not in (PROTECT, CASCADE):
                continue  # SET_NULL: the row stays
            model = relation.related_model
            count = model._base_manager.filter(**{f"{relation.field.name}__in": ids}).count()
            if not count:
                continue
            meta = model._meta
            summary = f"{count} {meta.verbose_name if count == 1 else meta.verbose_name_plural}"
            if relation.on_delete is PROTECT:
                protected.append(summary)
            else:
                to_delete.append([summary])
                model_count[meta.verbose_name_plural] = count
        return to_delete, model_count, set(), protected

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        self.run_each(request, queryset, lambda e: services.event_delete(event_id=e.pk), "Deleted", deleting=True)

    @admin.action(description="Deactivate selected events")
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        self._set_status(request, queryset, Event.Status.INACTIVE, services.event_deactivate, "Deactivated")

    @admin.action(description="Activate selected events (promotes their waitlists)")
    def activate(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        self._set_status(request, queryset, Event.Status.ACTIVE, services.event_activate, "Activated")

    def _set_status(
        self, request: HttpRequest, queryset: QuerySet[Event], status: str, change: Any, verb: str
    ) -> None:
        """Run `change` on the selected events not in `status` yet (each its own service call,
        reported and logged as `verb`); the others are named as left alone, never counted or
        logged as changed."""
        already = [str(event) for event in queryset.filter(status=status)]
        self.run_each(request, queryset.exclude(status=status), lambda e: change(event_id=e.pk), verb)
        if already:
            messages.info(request, f"Already {status}, left as they were: {', '.join(already)}.")

    @admin.action(description=f"Generate a default seat grid ({DEFAULT_SEATS_PER_ROW} per row)")
    def generate_default_grid(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        self.run_each(
            request,
            queryset,
            lambda e: services.seat_map_generate_default(event_id=e.pk),
            "Generated seats for",
        )


@admin.register(Seat)
class SeatAdmin(ReadOnlyConsoleMixin, ConsoleModelAdmin):
    """Read-only, paginated (a 100,000-seat event is never loaded in one page)."""

    list_display = ["label", "event", "row_label", "col_number", "reserved"]
    list_filter = ["reserved"]
    search_fields = ["label", "event__name__folded_contains"]
    list_select_related = ["event"]
    list_per_page = 200
    show_full_result_count = False
    raw_id_fields = ["event"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Seat]:
        return super().get_queryset(request).order_by("event_id", "row_index", "col_number")
