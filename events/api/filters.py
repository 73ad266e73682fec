"""django-filter FilterSets: the query parameters of the event list, declared once (their
validation, their 422s and their OpenAPI parameters); the query itself is the selector's."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone as dt_timezone
from typing import Any

import django_filters as filters
from django import forms
from django.db.models import QuerySet
from django.utils.dateparse import parse_date, parse_datetime

from events import selectors
from events.models import Event
from evently.api.schema import documented_filter

# `q` and `venue` up to this many characters are valid filters (API.md); longer is a 422.
SEARCH_MAX_LENGTH = 1000


class DateBoundField(forms.Field):
    """`2030-01-01` (a whole UTC day) or an ISO 8601 datetime (`Z`, offset or none = UTC).

    Cleans to (moment, exclusive): for an upper bound a date becomes the next midnight, an
    exclusive bound (the selector compares with `<`), so the whole day is included;
    9999-12-31, which has no next midnight, becomes its last microsecond, inclusive (`<=`),
    as a datetime is. A lower bound's `exclusive` is never read.
    """

    default_error_messages = {
        "invalid": "Must be an ISO 8601 date or datetime.",
        "range": "Out of range: must fall within years 1 to 9999 in UTC.",
    }

    def __init__(self, *, upper: bool = False, **kwargs: Any) -> None:
        self.upper = upper
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> tuple[datetime, bool] | None:
        if value in self.empty_values:
            return None
        text = str(value).strip()
        if not text.isascii():  # ISO 8601 digits are ASCII; Django's parser reads any script's
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            day: date | None = parse_date(text)
            moment = None if day is not None else parse_datetime(text)
        except (ValueError, OverflowError):
            day = moment = None
        if day is None and moment is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            if day is not None:
                midnight = datetime.combine(day, time.min, tzinfo=dt_timezone.utc)
                if not self.upper:
                    return midnight, True
                if day == date.max:  # no next midnight: the day's last instant, inclusive
                    return datetime.max.replace(tzinfo=dt_timezone.utc), False
                return midnight + timedelta(days=1), True
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=dt_timezone.utc)
            # The database compares in UTC: 0001-01-01T00:00+14:00 is before year 1.
            return moment.astimezone(dt_timezone.utc), False
        except OverflowError:
            raise forms.ValidationError(self.error_messages["range"], code="range") from None


class DateBoundFilter(filters.Filter):
    field_class = DateBoundField


def search_filter(help_text: str) -> filters.Filter:
    """A text filter of at most SEARCH_MAX_LENGTH characters (longer is a 422), the limit
    declared in /openapi.json too."""
    return documented_filter(
        filters.CharFilter(max_length=SEARCH_MAX_LENGTH, help_text=help_text),
        type="string", maxLength=SEARCH_MAX_LENGTH,
    )


class EventFilter(filters.FilterSet):
    """GET /events: q, venue, status, date_from, date_to, sort, order, when (API.md)."""

    q = search_filter("case-insensitive substring of name or venue")
    venue = search_filter("exact venue")
    status = filters.ChoiceFilter(choices=Event.Status.choices)
    date_from = documented_filter(DateBoundFilter(help_text="ISO 8601 date or datetime; inclusive"), type="string")
    date_to = documented_filter(
        DateBoundFilter(upper=True, help_text="ISO 8601 date (whole day) or datetime; inclusive"), type="string"
    )
    sort = filters.ChoiceFilter(
        choices=[(s, s) for s in selectors.SORT_FIELDS], empty_label=None,
        help_text="default start_time",
    )
    order = filters.ChoiceFilter(choices=[("asc", "asc"), ("desc", "desc")], help_text="default asc")
    when = filters.ChoiceFilter(
        choices=[(w, w) for w in selectors.WHEN_CHOICES],
        help_text="upcoming (not ended), past (ended) or all (default)",
    )

    class Meta:
        model = Event
        fields: list[str] = []

    def filter_queryset(self, queryset: QuerySet[Event]) -> QuerySet[Event]:
        query = self.form.cleaned_data
        date_from, date_to = query.get("date_from"), query.get("date_to")
        return selectors.event_list(
            q=query.get("q") or None,
            venue=query.get("venue") or None,
            status=query.get("status") or None,
            date_from=date_from[0] if date_from else None,
            date_to=date_to[0] if date_to else None,
            date_to_exclusive=bool(date_to and date_to[1]),
            sort=query.get("sort") or "start_time",
            order=query.get("order") or "asc",
            when=query.get("when") or "all",
        )
