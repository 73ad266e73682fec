"""Booking, cancellation and waitlist promotion: every inventory write, under the event lock.

Hot path (`booking_create` by quantity, PostgreSQL): one statement locks the event row and,
when the booking can plainly be confirmed, writes it (FAST_PATH below); the lock is held only
while PostgreSQL works. General path (everything else, and SQLite): lock the event row, check
the rules in Python, then write; on PostgreSQL one statement inserts the booking (the
idempotency key decided by its unique index), reserves the seats and bumps the counter.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import User
from bookings.signals import bookings_changed
from evently import cache
from evently.signals import send_on_commit
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
from events.locking import lock_timeout_as_busy, locked_event, require_event_lock
from events.models import Event, Seat
from events.seating import seat_map_ensure
from evently import metrics
from evently.errors import DomainError
from evently.db import fetch_by_pk

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
    if FAST_PATH and not request.seat_refs and connection.vendor == "postgresql":
        outcome = _confirm_best_available_in_one_statement(
            user=user, event_id=event_id, qty=request.qty, key=idempotency_key, fingerprint=fingerprint
        )
        if outcome is not None:
            return outcome
    # The general path: every rule decided in Python on the locked row.
    with locked_event(event_id) as event:
        now = timezone.now()
        try:
            seats, wait_reason = _check_request(event=event, request=request)
        except DomainError:
            # A replay is answered from the stored booking even when the event could no
            # longer take the request (sold out, deactivated, ended since).
            replay = _replay(user=user, event=event, key=idempotency_key, fingerprint=fingerprint)
            if replay is not None:
                return replay
            raise
        if wait_reason:
            replay = _replay(user=user, event=event, key=idempotency_key, fingerprint=fingerprint)
            if replay is not None:
                return replay
            if not request.waitlist:
                raise NotEnoughSeats(available=event.available, waiting=event.waitlisted_count)
            return _waitlist(
                event=event, user=user, request=request, key=idempotency_key,
                fingerprint=fingerprint, now=now, reason=wait_reason,
            )
        outcome = _confirm(
            event=event, user=user, request=request, key=idempotency_key,
            fingerprint=fingerprint, now=now, seats=seats,
        )
        if outcome is None:  # the key was already used: nothing was written
            replay = _replay(user=user, event=event, key=idempotency_key, fingerprint=fingerprint)
            if replay is None:  # impossible under the lock: the conflicting row is committed
                raise RuntimeError(f"Idempotency-Key conflict without a stored booking (event {event_id})")
            return replay
    return outcome


# PostgreSQL: a quantity booking that can plainly be confirmed is written by one statement,
# evently_confirm_best_available (bookings/migrations/0004), which locks the event row and
# holds it only while PostgreSQL works. It confirms only when the rules below would (active,
# not ended, nobody waiting, room, a seat map: tested against _check_request) and otherwise
# writes nothing, so refusals, the queue, replays and first seat maps all take the general
# path. Switched off by the test that shows an oversell without the lock.
FAST_PATH = True


def _confirm_best_available_in_one_statement(
    *, user: User, event_id: int, qty: int, key: str | None, fingerprint: str
) -> BookingOutcome | None:
    now = timezone.now()
    with lock_timeout_as_busy(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT confirmed_booking_id, seat_label FROM evently_confirm_best_available"
            "(%s, %s, %s, %s, %s, %s)",
            [user.id, event_id, qty, key, fingerprint, now],
        )
        rows = cursor.fetchall()
    if not rows:
        return None
    event = fetch_by_pk(Event, event_id)  # for the body; the booking is already committed
    booking = Booking(
        id=rows[0][0], user=user, event=event, qty=qty, status=Booking.Status.CONFIRMED,
        idempotency_key=key, request_fingerprint=fingerprint, created_at=now, updated_at=now,
    )
    booking._state.adding = False
    booking._state.db = connection.alias
    _after_commit(event_id=event_id, outcome="confirmed", reason="")
    return BookingOutcome(booking=booking, seat_labels=[label for _, label in rows])


def _check_request(*, event: Event, request: BookingRequest) -> tuple[list[_Seat], str]:
    """The booking rules, on the locked event row. Raises the refusals that waiting cannot
    help (inactive, ended, unknown or duplicate seats, taken seats without `waitlist`);
    returns (named seats, "") when the request can be confirmed now, or ([], reason) when it
    can only wait: people are queued, the named seats are taken, or there is not enough room."""
    require_event_lock()
    if not event.is_active:
        raise EventNotActive()
    if event.has_ended():
        raise EventEnded()
    seats: list[_Seat] = []
    if request.seat_refs:
        seat_map_ensure(event=event)
        seats = _resolve_seats(event=event, refs=request.seat_refs)
    if event.waitlisted_count > 0:
        return [], "queue"
    if request.seat_refs:
        taken = [seat.label for seat in seats if seat.reserved]
        if taken:
            if not request.waitlist:
                raise SeatsTaken(taken)
            return [], "seats_taken"
    elif request.qty > event.available:
        return [], "capacity"
    return seats, ""


def _replay(*, user: User, event: Event, key: str | None, fingerprint: str) -> BookingOutcome | None:
    """The booking stored under this key, if any; the same key with another request is 422."""
    if key is None:
        return None
    stored = Booking.objects.filter(user=user, event=event, idempotency_key=key).first()
    if stored is None:
        return None
    if stored.request_fingerprint != fingerprint:
        raise IdempotencyKeyReused()
    transaction.on_commit(metrics.IDEMPOTENT_REPLAYS.inc)
    return BookingOutcome(booking=stored, replayed=True)


# PostgreSQL: the three writes of a confirmation in one statement, so the event lock is held
# across one round trip instead of four. It runs after the lock is granted, so its snapshot
# sees every earlier holder's writes. A key already used makes the INSERT a no-op and then
# nothing else happens either (EXISTS guards), so no row comes back.
_CONFIRM_SQL = """
WITH b AS (
    INSERT INTO bookings_booking
        (user_id, event_id, qty, status, idempotency_key, request_fingerprint, created_at, updated_at)
    VALUES (%(user)s, %(event)s, %(qty)s, 'CONFIRMED', %(key)s, %(fingerprint)s, %(now)s, %(now)s)
    ON CONFLICT (user_id, event_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
    RETURNING id
), s AS (
    UPDATE events_seat SET reserved_booking_id = (SELECT id FROM b)
    WHERE id IN (
        SELECT id FROM events_seat
        WHERE event_id = %(event)s AND reserved_booking_id IS NULL {seat_filter}
        ORDER BY row_index, col_number LIMIT %(qty)s
    ) AND EXISTS (SELECT 1 FROM b)
    RETURNING label, row_index, col_number
), e AS (
    UPDATE events_event SET booked_count = booked_count + %(qty)s
    WHERE id = %(event)s AND EXISTS (SELECT 1 FROM b)
)
SELECT b.id, s.label FROM b LEFT JOIN s ON true ORDER BY s.row_index, s.col_number
"""


def _confirm(
    *, event: Event, user: User, request: BookingRequest, key: str | None, fingerprint: str,
    now: datetime, seats: list[_Seat],
) -> BookingOutcome | None:
    """Write a CONFIRMED booking holding the named seats (or the best available), and count
    it. Caller holds the event lock and has checked the rules. None when `key` was already
    used by this user for this event (nothing written)."""
    require_event_lock()
    seat_map_ensure(event=event)
    if connection.vendor == "postgresql":
        seat_filter = "AND id = ANY(%(seat_ids)s)" if seats else ""
        with connection.cursor() as cursor:
            cursor.execute(
                _CONFIRM_SQL.format(seat_filter=seat_filter),
                {
                    "user": user.id, "event": event.id, "qty": request.qty, "key": key,
                    "fingerprint": fingerprint, "now": now, "seat_ids": [s.id for s in seats],
                },
            )
            rows = cursor.fetchall()
        if not rows:
            return None
        booking = Booking(
            id=rows[0][0], user=user, event=event, qty=request.qty,
            status=Booking.Status.CONFIRMED, idempotency_key=key,
            request_fingerprint=fingerprint, created_at=now, updated_at=now,
        )
        booking._state.adding = False
        booking._state.db = connection.alias
        labels = [label for _, label in rows]
    else:
        if key is not None and Booking.objects.filter(user=user, event=event, idempotency_key=key).exists():
            return None
        if not seats:
            seats = _first_free_seats(event=event, count=request.qty)
        booking = Booking.objects.create(
            user=user, event=event, qty=request.qty, status=Booking.Status.CONFIRMED,
            idempotency_key=key, request_fingerprint=fingerprint, created_at=now,
        )
        Seat.objects.filter(id__in=[seat.id for seat in seats]).update(reserved_booking=booking)
        Event.objects.filter(pk=event.pk).update(booked_count=F("booked_count") + request.qty)
        labels = [seat.label for seat in seats]
    if len(labels) != request.qty:  # impossible under the lock; never commit a short booking
        raise RuntimeError(f"booking #{booking.id}: {len(labels)} seats reserved for qty {request.qty}")
    event.booked_count += request.qty
    _after_commit(event_id=event.pk, outcome="confirmed", reason="")
    return BookingOutcome(booking=booking, seat_labels=labels)


def _waitlist(
    *, event: Event, user: User, request: BookingRequest, key: str | None, fingerprint: str,
    now: datetime, reason: str,
) -> BookingOutcome:
    """Put the request at the end of the event's queue.

    Joining is a promotion trigger too: a request for named seats that are taken can join an
    empty queue while other seats are free, and left waiting it would hold every later buyer
    behind it. The promotion rule then confirms it at once with the best available seats."""
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
    if event.waitlisted_count == 1 and waitlist_promote(event=event):
        labels = list(
            Seat.objects.filter(reserved_booking=booking)
            .order_by("row_index", "col_number")
            .values_list("label", flat=True)
        )
        booking.status = Booking.Status.CONFIRMED
        _after_commit(event_id=event.pk, outcome="confirmed", reason=f"{reason}_promoted")
        return BookingOutcome(booking=booking, seat_labels=labels)
    _after_commit(event_id=event.pk, outcome="waitlisted", reason=reason)
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


def _after_commit(*, event_id: int, outcome: str, reason: str) -> None:
    transaction.on_commit(lambda: metrics.BOOKINGS.labels(outcome=outcome, reason=reason).inc())
    _changed_on_commit(event_id)


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
        _changed_on_commit(event.pk)
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
    _changed_on_commit(event.pk)
    return promoted


def _changed_on_commit(event_id: int) -> None:
    """After commit: the catalogue's pages are stale, and apps above hear of the change."""
    cache.invalidate_on_commit(cache.CATALOGUE)
    send_on_commit(bookings_changed, sender=Booking, event_id=event_id)
