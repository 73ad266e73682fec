"""The inventory invariants of API.md ("Concurrency", "Tickets"), checked against the database:
counters vs bookings, seats vs capacity, reserved seats = seats on live tickets, each seat on
at most one live ticket, live tickets of a booking = qty if CONFIRMED else 0, check-ins only
on live tickets of CONFIRMED bookings (and no check-in trace on a valid ticket), and on an
active, not-ended event the head of the queue never fits.

Used by `manage.py check_inventory`, the test suite and the benchmarks. A fixed number of
aggregate queries, whatever the number of events.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from bookings.models import Booking, Ticket
from events.models import Event, Seat


def inventory_violations(*, event_id: int | None = None) -> list[str]:
    events = Event.objects.all()
    bookings = Booking.objects.all()
    seats = Seat.objects.all()
    tickets = Ticket.objects.all()
    if event_id is not None:
        events, bookings, seats, tickets = (
            events.filter(pk=event_id),
            bookings.filter(event_id=event_id),
            seats.filter(event_id=event_id),
            tickets.filter(event_id=event_id),
        )

    confirmed = {
        row["event_id"]: row
        for row in bookings.filter(status=Booking.Status.CONFIRMED)
        .values("event_id")
        .annotate(qty=Sum("qty"), n=Count("id"))
    }
    waiting = dict(
        bookings.filter(status=Booking.Status.WAITLISTED)
        .values("event_id")
        .annotate(n=Count("id"))
        .values_list("event_id", "n")
    )
    seat_counts = {
        row["event_id"]: row
        for row in seats.values("event_id").annotate(
            total=Count("id"), reserved=Count("id", filter=Q(reserved=True))
        )
    }
    live = tickets.exclude(status=Ticket.Status.VOID)
    problems: dict[int, list[str]] = defaultdict(list)

    # Each seat on at most one live ticket (also a unique constraint), of its own event.
    for seat_id, ev, n in (
        live.filter(seat__isnull=False).values("seat_id", "event_id").annotate(n=Count("id"))
        .filter(n__gt=1).values_list("seat_id", "event_id", "n")
    ):
        problems[ev].append(f"seat #{seat_id} is on {n} live tickets")
    for ticket_id, ev, seat_event in live.exclude(seat__event_id=F("event_id")).values_list(
        "id", "event_id", "seat__event_id"
    ):
        problems[ev].append(f"live ticket #{ticket_id} holds no seat of its event (seat event {seat_event})")
    for ticket_id, ev, booking_event in live.exclude(booking__event_id=F("event_id")).values_list(
        "id", "event_id", "booking__event_id"
    ):
        problems[ev].append(f"ticket #{ticket_id} belongs to a booking of event {booking_event}")
    # Reserved seats = seats on live tickets.
    for seat_id, label, ev in seats.filter(reserved=True).exclude(
        tickets__in=live.values("id")
    ).values_list("id", "label", "event_id"):
        problems[ev].append(f"seat {label} (#{seat_id}) is reserved but on no live ticket")
    for seat_id, label, ev in seats.filter(reserved=False, tickets__in=live.values("id")).values_list(
        "id", "label", "event_id"
    ):
        problems[ev].append(f"seat {label} (#{seat_id}) is on a live ticket but not reserved")
    # Live tickets of a booking = qty if CONFIRMED, else 0.
    for booking_id, ev, status, qty, held in (
        bookings.annotate(held=Count("tickets", filter=~Q(tickets__status=Ticket.Status.VOID)))
        .filter(
            (Q(status=Booking.Status.CONFIRMED) & ~Q(held=F("qty")))
            | (~Q(status=Booking.Status.CONFIRMED) & ~Q(held=0))
        )
        .values_list("id", "event_id", "status", "qty", "held")
    ):
        problems[ev].append(f"{status.lower()} booking #{booking_id} (qty {qty}) has {held} live tickets")
    # Checked in only on live tickets (a void one is never admitted); a check-in says when and
    # by whom, and a valid ticket carries no trace of one (an undo clears them all).
    for ticket_id, ev, status in tickets.filter(
        Q(status=Ticket.Status.CHECKED_IN, checked_in_at__isnull=True)
        | Q(status=Ticket.Status.VALID)
        & (Q(checked_in_at__isnull=False) | Q(checked_in_by__isnull=False) | Q(checkin_key__isnull=False))
    ).values_list("id", "event_id", "status"):
        problems[ev].append(f"{status} ticket #{ticket_id} has inconsistent check-in fields")
    for ticket_id, ev, booking_status in live.filter(status=Ticket.Status.CHECKED_IN).exclude(
        booking__status=Booking.Status.CONFIRMED
    ).values_list("id", "event_id", "booking__status"):
        problems[ev].append(f"ticket #{ticket_id} is checked in on a {booking_status.lower()} booking")

    now = timezone.now()
    heads = _queue_heads(bookings)
    for event in events.only(
        "id", "capacity", "booked_count", "waitlisted_count", "seat_cols", "status", "end_time"
    ):
        found = problems[event.id]
        if not 0 <= event.booked_count <= event.capacity:
            found.append(f"booked_count {event.booked_count} outside 0..{event.capacity}")
        confirmed_qty = (confirmed.get(event.id) or {}).get("qty") or 0
        if event.booked_count != confirmed_qty:
            found.append(
                f"booked_count {event.booked_count} != {confirmed_qty} seats in confirmed bookings"
            )
        if event.waitlisted_count != waiting.get(event.id, 0):
            found.append(
                f"waitlisted_count {event.waitlisted_count} != "
                f"{waiting.get(event.id, 0)} waitlisted bookings"
            )
        counts = seat_counts.get(event.id)
        if event.seat_cols is not None or counts:
            total = counts["total"] if counts else 0
            reserved = counts["reserved"] if counts else 0
            if total != event.capacity:
                found.append(f"{total} seats for capacity {event.capacity}")
            if reserved != event.booked_count:
                found.append(f"{reserved} reserved seats for booked_count {event.booked_count}")
        elif confirmed_qty:
            found.append("confirmed bookings but no seat map")
        head_qty = heads.get(event.id)
        if (
            head_qty is not None
            and event.status == Event.Status.ACTIVE
            and event.end_time > now
            and head_qty <= event.capacity - event.booked_count
        ):
            found.append(f"waitlist head (qty {head_qty}) fits in the free seats but waits")
    return [f"event {ev}: {message}" for ev, messages in sorted(problems.items()) for message in messages]


def _queue_heads(bookings) -> dict[int, int]:  # noqa: ANN001 - a Booking queryset
    """qty of the first WAITLISTED booking of each event (FIFO by created_at, id)."""
    heads: dict[int, int] = {}
    for ev, qty in (
        bookings.filter(status=Booking.Status.WAITLISTED)
        .order_by("event_id", "created_at", "id")
        .values_list("event_id", "qty")
    ):
        heads.setdefault(ev, qty)
    return heads
