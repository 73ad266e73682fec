"""Analytics computed with SQL aggregates: a fixed number of queries whatever the size of
the data (7 for the summary, 3 for the homepage)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone as dt_timezone
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.db.models.functions import TruncDate
from django.utils import timezone

from bookings.models import Booking, Ticket
from events.models import Event, utilization_pct
from evently.api.fields import utc_iso
from evently.text_search import Fold

EVENT_ROWS_LIMIT = 100
TOP_EVENTS = 5
SERIES_DAYS = 7


def _event_row(event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "name": event.name,
        "venue": event.venue,
        "start_time": utc_iso(event.start_time),
        "end_time": utc_iso(event.end_time),
        "capacity": event.capacity,
        "booked_count": event.booked_count,
        "utilization_pct": event.utilization_pct,
        "status": event.status,
        "waitlisted_count": event.waitlisted_count,
        "checked_in_count": event.checked_in_count,
    }


def _with_checked_in(events: QuerySet[Event]) -> QuerySet[Event]:
    """Annotate `checked_in_count`: the event's admitted tickets (a correlated count served
    by the partial index ticket_checked_in_idx), in the same query as the rows."""
    admitted = (
        Ticket.objects.filter(event_id=OuterRef("pk"), status=Ticket.Status.CHECKED_IN)
        .order_by()
        .values("event_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return events.annotate(
        checked_in_count=Coalesce(Subquery(admitted, output_field=IntegerField()), Value(0))
    )


def _daily_counts(field: str, days: list[date]) -> list[dict[str, Any]]:
    start = datetime.combine(days[0], datetime.min.time(), tzinfo=dt_timezone.utc)
    rows = (
        Booking.objects.filter(**{f"{field}__gte": start})
        .annotate(day=TruncDate(field, tzinfo=dt_timezone.utc))
        .order_by()
        .values("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    counts = dict(rows)
    return [{"date": day.isoformat(), "count": counts.get(day, 0)} for day in days]


def analytics_summary(*, now: datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    totals = Event.objects.aggregate(
        events=Count("id"),
        active_events=Count("id", filter=Q(status=Event.Status.ACTIVE)),
        capacity=Sum("capacity", default=0),
        booked=Sum("booked_count", default=0),
        waitlisted=Sum("waitlisted_count", default=0),
    )
    # cancelled_at is set exactly when a booking is CANCELLED (a CHECK constraint), and its
    # partial index makes this an index-only count.
    totals["cancelled"] = Booking.objects.filter(cancelled_at__isnull=False).count()
    totals["checked_in"] = Ticket.objects.filter(status=Ticket.Status.CHECKED_IN).count()
    today = now.astimezone(dt_timezone.utc).date()
    days = [today - timedelta(days=offset) for offset in range(SERIES_DAYS - 1, -1, -1)]
    return {
        "generated_at": utc_iso(now),
        "totals": {
            "events": totals["events"],
            "active_events": totals["active_events"],
            "capacity": totals["capacity"],
            "booked": totals["booked"],
            "utilization_pct": utilization_pct(totals["booked"], totals["capacity"]),
            "waitlisted": totals["waitlisted"],
            "cancelled": totals["cancelled"],
            "checked_in": totals["checked_in"],
        },
        "events": [
            _event_row(e)
            for e in _with_checked_in(Event.objects.order_by("start_time", "id")[:EVENT_ROWS_LIMIT])
        ],
        "top_events": [
            _event_row(e)
            for e in _with_checked_in(Event.objects.order_by("-booked_count", "id")[:TOP_EVENTS])
        ],
        "timeseries_7d": {
            "bookings": _daily_counts("created_at", days),
            "cancellations": _daily_counts("cancelled_at", days),
        },
    }


def homepage_stats() -> dict[str, int]:
    totals = Event.objects.aggregate(
        total_events=Count("id"),
        total_tickets_sold=Sum("booked_count", default=0),
        # Unicode case folding, the same on both databases (SQLite's LOWER folds ASCII only).
        cities_covered=Count(Fold("venue"), distinct=True),
    )
    customers = (
        Booking.objects.filter(status=Booking.Status.CONFIRMED).values("user_id").distinct().count()
    )
    return {
        "total_events": totals["total_events"],
        "total_tickets_sold": totals["total_tickets_sold"],
        "total_customers": customers,
        "cities_covered": totals["cities_covered"],
    }
