from __future__ import annotations

from django.db.models import Case, Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from bookings.exceptions import BookingNotFound
from bookings.models import Booking, Ticket, live_tickets
from events.exceptions import EventNotFound
from events.models import Event


def _waitlist_position() -> Case:
    """1-based place in the event's FIFO queue, for WAITLISTED bookings (served by the
    partial queue index)."""
    ahead = (
        Booking.objects.filter(event=OuterRef("event"), status=Booking.Status.WAITLISTED)
        .filter(
            Q(created_at__lt=OuterRef("created_at"))
            | Q(created_at=OuterRef("created_at"), id__lte=OuterRef("id"))
        )
        .order_by()
        .values("event")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Case(
        When(status=Booking.Status.WAITLISTED, then=Subquery(ahead, output_field=IntegerField())),
        default=None,
        output_field=IntegerField(),
    )


def _live_seat_labels() -> Prefetch:
    """The live tickets of each booking in seat order, as `live_tickets` (what
    `Booking.seat_labels` reads): one query per list (or per iterator chunk)."""
    return Prefetch(
        "tickets",
        queryset=live_tickets(Ticket.objects.all()).only("id", "booking_id", "seat_label"),
        to_attr="live_tickets",
    )


def with_details(bookings: QuerySet[Booking]) -> QuerySet[Booking]:
    """Everything the Booking body needs, in a fixed number of queries for any list size:
    the event summary (join), `waitlist_position` (subquery), `seat_labels` (one prefetch of
    the live tickets in seat order)."""
    return (
        bookings.select_related("event")
        .annotate(waitlist_position=_waitlist_position())
        .prefetch_related(_live_seat_labels())
    )


def booking_list_for_user(*, user_id: int) -> QuerySet[Booking]:
    return with_details(Booking.objects.filter(user_id=user_id).order_by("-created_at", "-id"))


def booking_list(
    *,
    event_id: int | None = None,
    user_id: int | None = None,
    status: str | None = None,
) -> QuerySet[Booking]:
    bookings = Booking.objects.all()
    if event_id is not None:
        bookings = bookings.filter(event_id=event_id)
    if user_id is not None:
        bookings = bookings.filter(user_id=user_id)
    if status:
        bookings = bookings.filter(status=status)
    return bookings.order_by("-created_at", "-id")


def booking_get_detailed(*, booking_id: int) -> Booking:
    booking = with_details(Booking.objects.filter(pk=booking_id)).first()
    if booking is None:
        raise BookingNotFound()
    return booking


def attendee_list(*, event_id: int) -> QuerySet[Booking]:
    """The attendees of an event: its CONFIRMED bookings, oldest first (created_at, id), each
    with `user` loaded (join), `seat_labels` (one prefetch of the live tickets in seat order)
    and `checked_in_count` (tickets of the booking checked in, a subquery). Three queries for
    any size (existence, bookings, tickets); iterate it with `.iterator(chunk_size=...)` for
    a stream (the prefetch then runs once per chunk).

    Raises EventNotFound (404) for an unknown event. Needs no lock: a read."""
    if not Event.objects.filter(pk=event_id).exists():
        raise EventNotFound()
    checked_in = (
        Ticket.objects.filter(booking=OuterRef("pk"), status=Ticket.Status.CHECKED_IN)
        .order_by()
        .values("booking")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        Booking.objects.filter(event_id=event_id, status=Booking.Status.CONFIRMED)
        .select_related("user")
        .only("id", "event_id", "qty", "status", "created_at", "user__id", "user__name", "user__email")
        .annotate(checked_in_count=Coalesce(Subquery(checked_in, output_field=IntegerField()), Value(0)))
        .prefetch_related(_live_seat_labels())
        .order_by("created_at", "id")
    )
