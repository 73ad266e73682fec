"""Booking, cancellation and waitlist promotion: every inventory write, under the event lock.

Hot path (`booking_create`, confirmed by quantity, seat map present): lock the event row,
look up the idempotency key, take the first free seats through the partial index, insert
the booking, reserve the seats, bump the counter: six statements inside the transaction.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import User
from analytics.services import analytics_invalidate_on_commit
from bookings.exceptions import (
    BookingNotFound,
    DuplicateSeats,
    IdempotencyKeyReused,
    NotEnoughSeats,
    SeatNotFound,
    SeatsTaken,
)
from bookings.models import Booking
from events.exceptions import EventEnded, EventNotActive
from events.locking import locked_event, require_event_lock
from events.models import Event, Seat
from events.seating import seat_map_ensure
from evently import metrics
from evently.api.errors import DomainError

SeatRef = int | str


@dataclass(frozen=True)
class BookingRequest:
    """What the client asked for, normalized. `seat_refs` are seat ids or labels."""

    qty: int
    seat_refs: tuple[SeatRef, ...] = ()
    waitlist: bool = False

    def fingerprint(self) -> str:
        seats = sorted(f"{type(ref).__name__}:{ref}" for ref in self.seat_refs)
        payload = json.dumps({"qty": self.qty, "seats": seats, "waitlist": self.waitlist})
        return hashlib.sha256(payload.encode()).hexdigest()


@dataclass
class BookingOutcome:
    booking: Booking
    replayed: bool = False
    seat_labels: list[str] = field(default_factory=list)
    waitlist_position: int | None = None


def booking_create(
    *, user: User, event_id: int, request: BookingRequest, idempotency_key: str | None
) -> BookingOutcome:
    """Book `request.qty` seats (the named ones, or the best available), or join the
    waitlist when asked and the request can't be met now. See API.md "Booking (user)".

    A replay (same user, event, key and request) returns the stored booking untouched.
    """
    try:
        return _booking_create(
            user=user, event_id=event_id, request=request, idempotency_key=idempotency_key
        )
    except DomainError as exc:
        metrics.BOOKINGS.labels(outcome="rejected", reason=_reason(exc)).inc()
        raise


def _reason(exc: DomainError) -> str:
    """`NotEnoughSeats` → `not_enough_seats`: the metric label of a refusal."""
    name = type(exc).__name__
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


def _booking_create(
    *, user: User, event_id: int, request: BookingRequest, idempotency_key: str | None
) -> BookingOutcome:
    fingerprint = request.fingerprint()
    with locked_event(event_id) as event:
        # Idempotency is decided under the lock: concurrent retries with one key serialize
        # here and all but the first find the stored booking.
        if idempotency_key is not None:
            stored = Booking.objects.filter(
                user=user, event=event, idempotency_key=idempotency_key
            ).first()
            if stored is not None:
                if stored.request_fingerprint != fingerprint:
                    raise IdempotencyKeyReused()
                transaction.on_commit(metrics.IDEMPOTENT_REPLAYS.inc)
                return BookingOutcome(booking=stored, replayed=True)
        now = timezone.now()
        if not event.is_active:
            raise EventNotActive()
        if event.has_ended(now):
            raise EventEnded()

        seats: list[_Seat] = []
        reason = ""
        if request.seat_refs:
            seat_map_ensure(event=event)
            seats = _resolve_seats(event=event, refs=request.seat_refs)
        if event.waitlisted_count > 0:
            reason = "queue"
        elif request.seat_refs:
            taken = [seat.label for seat in seats if seat.reserved]
            if taken:
                if not request.waitlist:
                    raise SeatsTaken(taken)
                reason = "seats_taken"
        elif request.qty > event.available:
            reason = "capacity"

        if reason:
            if not request.waitlist:
                raise NotEnoughSeats(available=event.available, waiting=event.waitlisted_count)
            return _waitlist(
                event=event, user=user, request=request, key=idempotency_key,
                fingerprint=fingerprint, now=now, reason=reason,
            )

        if not request.seat_refs:
            seat_map_ensure(event=event)
            seats = _first_free_seats(event=event, count=request.qty)
        booking = Booking.objects.create(
            user=user,
            event=event,
            qty=request.qty,
            status=Booking.Status.CONFIRMED,
            idempotency_key=idempotency_key,
            request_fingerprint=fingerprint,
            created_at=now,
        )
        Seat.objects.filter(id__in=[seat.id for seat in seats]).update(
            reserved_booking=booking
        )
        Event.objects.filter(pk=event.pk).update(booked_count=F("booked_count") + request.qty)
        event.booked_count += request.qty
        _after_commit(outcome="confirmed", reason="")
    return BookingOutcome(booking=booking, seat_labels=[seat.label for seat in seats])


def _waitlist(
    *, event: Event, user: User, request: BookingRequest, key: str | None, fingerprint: str,
    now: datetime, reason: str,
) -> BookingOutcome:
    require_event_lock()
    booking = Booking.objects.create(
        user=user,
        event=event,
        qty=request.qty,
        status=Booking.Status.WAITLISTED,
        idempotency_key=key,
        request_fingerprint=fingerprint,
        created_at=now,
    )
    Event.objects.filter(pk=event.pk).update(waitlisted_count=F("waitlisted_count") + 1)
    event.waitlisted_count += 1
    _after_commit(outcome="waitlisted", reason=reason)
    return BookingOutcome(booking=booking, waitlist_position=event.waitlisted_count)


class _Seat(NamedTuple):
    id: int
    label: str
    reserved: bool = False


def _resolve_seats(*, event: Event, refs: tuple[SeatRef, ...]) -> list[_Seat]:
    """The requested seats (ids or labels) in natural order. Unknown refs → 404 naming
    them; the same seat named twice (say by id and by label) → 422."""
    ids = [ref for ref in refs if isinstance(ref, int)]
    labels = [ref for ref in refs if isinstance(ref, str)]
    seats = [
        _Seat(seat_id, label, reserved_by is not None)
        for seat_id, label, reserved_by in Seat.objects.filter(event=event)
        .filter(Q(id__in=ids) | Q(label__in=labels))
        .order_by("row_index", "col_number")
        .values_list("id", "label", "reserved_booking_id")
    ]
    by_id = {seat.id: seat for seat in seats}
    by_label = {seat.label: seat for seat in seats}
    missing = [
        str(ref) for ref in refs if (by_id if isinstance(ref, int) else by_label).get(ref) is None
    ]
    if missing:
        raise SeatNotFound(missing)
    named = [(by_id[ref] if isinstance(ref, int) else by_label[ref]).label for ref in refs]
    duplicates = sorted({label for label in named if named.count(label) > 1})
    if duplicates:
        raise DuplicateSeats(duplicates)
    return seats


def _first_free_seats(*, event: Event, count: int) -> list[_Seat]:
    """Best available: lowest row, then lowest seat number, straight off the partial index."""
    return [
        _Seat(seat_id, label)
        for seat_id, label in Seat.objects.filter(event=event, reserved_booking__isnull=True)
        .order_by("row_index", "col_number")
        .values_list("id", "label")[:count]
    ]


def _after_commit(*, outcome: str, reason: str) -> None:
    transaction.on_commit(lambda: metrics.BOOKINGS.labels(outcome=outcome, reason=reason).inc())
    analytics_invalidate_on_commit()


def booking_cancel(*, booking_id: int, actor: User) -> Booking:
    """Cancel a booking of the actor (or any booking, for an admin). Idempotent.

    A confirmed booking frees its seats and the waitlist is promoted in the same transaction.
    """
    hint = Booking.objects.filter(pk=booking_id).values("event_id", "user_id").first()
    if hint is None or (not actor.is_admin and hint["user_id"] != actor.id):
        raise BookingNotFound()
    with locked_event(hint["event_id"]) as event:
        booking = Booking.objects.get(pk=booking_id)  # re-read under the lock
        if booking.status == Booking.Status.CANCELLED:
            return booking
        previous = booking.status
        if previous == Booking.Status.CONFIRMED:
            Seat.objects.filter(reserved_booking=booking).update(reserved_booking=None)
            Event.objects.filter(pk=event.pk).update(booked_count=F("booked_count") - booking.qty)
            event.booked_count -= booking.qty
        else:
            Event.objects.filter(pk=event.pk).update(waitlisted_count=F("waitlisted_count") - 1)
            event.waitlisted_count -= 1
        booking.status = Booking.Status.CANCELLED
        booking.cancelled_at = timezone.now()
        booking.save(update_fields=["status", "cancelled_at", "updated_at"])
        waitlist_promote(event=event)
        transaction.on_commit(
            lambda: metrics.CANCELLATIONS.labels(previous_status=previous).inc()
        )
        analytics_invalidate_on_commit()
    return booking


def waitlist_promote(*, event: Event) -> list[Booking]:
    """Confirm waiting bookings in strict FIFO order while the head of the queue fits;
    a head that doesn't fit blocks those behind it. Inactive or ended events promote nobody.

    Caller holds the event row lock (`locked_event`); `event` is the locked row.
    """
    require_event_lock()
    if not event.is_active or event.has_ended() or event.waitlisted_count == 0:
        return []
    free = event.capacity - event.booked_count
    if free <= 0:
        return []
    queue = Booking.objects.filter(event=event, status=Booking.Status.WAITLISTED).order_by(
        "created_at", "id"
    )[:free]  # every booking has qty >= 1, so no more than `free` can fit
    promoted: list[Booking] = []
    needed = 0
    for booking in queue:
        if needed + booking.qty > free:
            break
        needed += booking.qty
        promoted.append(booking)
    if not promoted:
        return []
    seat_map_ensure(event=event)
    seat_ids = [seat.id for seat in _first_free_seats(event=event, count=needed)]
    now = timezone.now()
    start = 0
    for booking in promoted:
        Seat.objects.filter(id__in=seat_ids[start : start + booking.qty]).update(
            reserved_booking=booking
        )
        start += booking.qty
        booking.status = Booking.Status.CONFIRMED
        booking.promoted_at = now
    Booking.objects.filter(id__in=[b.id for b in promoted]).update(
        status=Booking.Status.CONFIRMED, promoted_at=now, updated_at=now
    )
    Event.objects.filter(pk=event.pk).update(
        booked_count=F("booked_count") + needed,
        waitlisted_count=F("waitlisted_count") - len(promoted),
    )
    event.booked_count += needed
    event.waitlisted_count -= len(promoted)
    count = len(promoted)
    transaction.on_commit(lambda: metrics.WAITLIST_PROMOTIONS.inc(count))
    analytics_invalidate_on_commit()
    return promoted
