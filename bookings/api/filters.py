"""django-filter FilterSet of GET /admin/bookings: event_id, user_id, status (422 per bad
parameter); the query itself is the selector's."""

from __future__ import annotations

import django_filters as filters
from django.db.models import QuerySet

from bookings import selectors
from bookings.models import Booking
from evently.api.fields import QueryIntegerFormField
from evently.api.schema import documented_filter

MAX_DB_ID = 2**63 - 1


class IdFilter(filters.Filter):
    """A positive integer id the database can hold."""

    field_class = QueryIntegerFormField

    def __init__(self, **kwargs: object) -> None:
        super().__init__(min_value=1, max_value=MAX_DB_ID, **kwargs)


class AdminBookingFilter(filters.FilterSet):
    event_id = documented_filter(IdFilter(help_text="only this event's bookings"), type="integer", minimum=1)
    user_id = documented_filter(IdFilter(help_text="only this user's bookings"), type="integer", minimum=1)
    status = filters.ChoiceFilter(choices=Booking.Status.choices)

    class Meta:
        model = Booking
        fields: list[str] = []

    def filter_queryset(self, queryset: QuerySet[Booking]) -> QuerySet[Booking]:
        query = self.form.cleaned_data
        return selectors.booking_list(
            event_id=query.get("event_id"),
            user_id=query.get("user_id"),
            status=query.get("status") or None,
        )
