"""Booking and cancellation: `booking_create`, and `booking_cancel`, which then promotes the
waitlist (bookings.services.waitlist).

One path on every database: `locked_event` / `inventory_transaction` (events/locking.py) open
`transaction.atomic()` and lock the event row with `select_for_update()`; the rules are
decided in Python on the locked row, and the writes are plain ORM statements. The lock is
taken late and held briefly: the request's own shape is checked before the transaction, and
a booking's row is INSERTed before the lock, so the unique index (user, event, key) decides a
replay without waiting on the hot row (a conflict is answered from the stored booking after
the rollback). A confirmation under the lock is: one read of the best available seats (or
the named ones; up to three reads when the first free seats would split the party), one
bulk INSERT of tickets, one UPDATE of the seats, one UPDATE of the event's counters, and the
notification outbox's INSERT.

In-transaction signals (bookings/signals.py) are sent right after each write.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import User
from bookings import selectors
from bookings.exceptions import (
    BookingNotFound,
    DuplicateSeats,
    IdempotencyKeyReused,
    InvalidBookingRequest,
    NotEnoughSeats,
    RefusalReason,
    SeatNotFound,
    SeatsTaken,
)
from bookings.models import Booking
from bookings.services._seats import _best_available, _cancel, _changed_on_commit, _reserve, _Seat
from bookings.services.waitlist import waitlist_promote
from bookings.signals import booking_confirmed, booking_waitlisted
from events.exceptions import EventEnded, EventNotActive, EventNotFound
from events.locking import inventory_transaction, locked_event
from events.models import Event, Seat
from events.seating import seat_map_ensure
from evently import metrics
from evently.errors import DomainError, ServiceBusy

SeatRef = int | str


class WaitReason(models.TextChoices):
    """Why a request joined the queue: the `reason` label of a `waitlisted` outcome."""

    QUEUE = "queue"  # people were already waiting (nobody jumps the queue)
    CAPACITY = "capacity"  # fewer than qty seats free
    SEATS_TAKEN = "seats_taken"  # named seats taken on an event that can't fit qty anyway


# Every label combination of evently_bookings_total exists from the start, at 0.
metrics.BOOKINGS.labels(outcome="confirmed", reason="")
for _reason in WaitReason:
    metrics.BOOKINGS.labels(outcome="waitlisted", reason=_reason.value)
for _reason in RefusalReason:
    metrics.BOOKINGS.labels(outcome="rejected", reason=_reason.value)


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
    """`booking` carries `seat_labels` and `waitlist_position`; `replayed` is True when it is
    the stored booking of an earlier request with the same Idempotency-Key."""

    booking: Booking
    replayed: bool = False

    @property
    def seat_labels(self) -> list[str]:
        return self.booking.seat_labels

    @property
    def waitlist_position(self) -> int | None:
        return self.booking.waitlist_position


def booking_create(
    *, user: User, event_id: int, request: BookingRequest, idempotency_key: str | None
) -> BookingOutcome:
    """Book `request.qty` seats (the named ones, or the best available), or join the
    waitlist when asked and the request can't be met now (API.md "Booking (user)").

    Returns a BookingOutcome: a CONFIRMED booking with `seat_labels` (natural order), a
    WAITLISTED one with `waitlist_position`, or (replayed=True) the booking stored earlier
    under the same key for the same request, untouched, whatever the event's state now.

    Raises InvalidBookingRequest / DuplicateSeats (422), IdempotencyKeyReused (422),
    EventNotFound / SeatNotFound (404), EventNotActive / EventEnded / NotEnoughSeats /
    SeatsTaken (409), EventBusy (503). Takes the event lock itself (`locked_event`); nestable.
    """
    try:
        _check_shape(request)
        fingerprint = request.fingerprint()
        try:
            return _book(user=user, event_id=event_id, request=request, key=idempotency_key, fingerprint=fingerprint)
        except IntegrityError:
            # A key used by a committed booking makes the INSERT fail on the unique index,
            # before the event lock: a retry of a stored request is answered from it (even
            # if the event could no longer take it). A refusal after a successful INSERT
            # needs no look-up: the key was not taken.
            replay = _replay(user=user, event_id=event_id, key=idempotency_key, fingerprint=fingerprint)
            if replay is not None:
                return replay
            raise
    except DomainError as exc:
        metrics.BOOKINGS.labels(outcome="rejected", reason=_refusal_reason(exc)).inc()
        raise


_REFUSALS: tuple[tuple[type[DomainError], RefusalReason], ...] = (
    (EventNotFound, RefusalReason.NOT_FOUND),
    (EventNotActive, RefusalReason.NOT_ACTIVE),
    (EventEnded, RefusalReason.ENDED),
    (NotEnoughSeats, RefusalReason.NOT_ENOUGH_SEATS),
    (SeatsTaken, RefusalReason.SEATS_TAKEN),
    (SeatNotFound, RefusalReason.SEAT_NOT_FOUND),
    (InvalidBookingRequest, RefusalReason.INVALID_REQUEST),
    (DuplicateSeats, RefusalReason.INVALID_REQUEST),
    (IdempotencyKeyReused, RefusalReason.KEY_REUSED),
    (ServiceBusy, RefusalReason.BUSY),
)


def _refusal_reason(exc: DomainError) -> RefusalReason:
    """The metric label of a refused booking request."""
    for kind, reason in _REFUSALS:
        if isinstance(exc, kind):
            return reason
    return RefusalReason.OTHER


def _check_shape(request: BookingRequest) -> None:
    """The request's own rules, before any lock: 1 ≤ qty ≤ BOOKING_MAX_QTY, qty = number of
    named seats, no seat named twice in the same form. Raises InvalidBookingRequest (422)."""
    max_qty = settings.BOOKING_MAX_QTY
    qty, refs = request.qty, request.seat_refs
    if isinstance(qty, bool) or not isinstance(qty, int) or qty < 1:
        raise InvalidBookingRequest("qty", "Ensure this value is greater than or equal to 1.")
    if refs and qty != len(refs):
        raise InvalidBookingRequest("qty", f"qty ({qty}) must equal the number of seat_ids ({len(refs)}).")
    if qty > max_qty:
        raise InvalidBookingRequest("seat_ids" if refs else "qty", f"At most {max_qty} tickets per booking.")
    duplicates = sorted({str(ref) for ref in refs if refs.count(ref) > 1})
    if duplicates:
        raise InvalidBookingRequest("seat_ids", f"duplicate seats: {', '.join(duplicates)}")


def _book(
    *, user: User, event_id: int, request: BookingRequest, key: str | None, fingerprint: str
) -> BookingOutcome:
    event_id = int(event_id)  # the router hands over the path's digits
    if not 0 < event_id < 2**63:
        raise EventNotFound()
    with inventory_transaction() as tx:
        # The booking row goes in BEFORE the event lock: the unique (user, event, key) index
        # decides a replay here, and the locked section is one statement shorter. Its status
        # is provisional (the transaction commits only once it is decided under the lock);
        # the event FK is checked at COMMIT (deferred), under the lock.
        booking = Booking.objects.create(
            user=user, event_id=event_id, qty=request.qty, idempotency_key=key,
            request_fingerprint=fingerprint, status=Booking.Status.CONFIRMED,
        )
        event = tx.lock(event_id)
        booking.event = event
        now = timezone.now()
        if not event.is_active:
            raise EventNotActive()
        if event.has_ended(now):
            raise EventEnded()
        seats = _resolve_seats(event=event, refs=request.seat_refs) if request.seat_refs else []
        wait_reason = _wait_reason(event=event, request=request, seats=seats)
        if wait_reason:
            # The queue's FIFO order (created_at, id) is the order requests got the lock.
            booking.status, booking.created_at, booking.updated_at = Booking.Status.WAITLISTED, now, now
            Booking.objects.filter(pk=booking.pk).update(status=booking.status, created_at=now, updated_at=now)
            _join_queue(event=event, booking=booking, reason=wait_reason)
        else:
            _confirm(event=event, booking=booking, seats=seats, now=now)
    return BookingOutcome(booking=booking)


def _wait_reason(*, event: Event, request: BookingRequest, seats: list[_Seat]) -> WaitReason | None:
    """None when the request can be confirmed now; else why it has to wait. Raises the
    refusals instead when it can't wait: SeatsTaken (named seats taken while the event can
    still fit qty elsewhere, `waitlist` or not), NotEnoughSeats (no room, taken seats on an
    event that can't fit qty anyway, or a queue; without `waitlist`)."""
    taken = [seat.label for seat in seats if seat.reserved]
    if event.waitlisted_count > 0:
        reason = WaitReason.QUEUE  # nobody jumps the queue
    elif taken:
        if request.qty <= event.available:
            raise SeatsTaken(taken)  # the caller chooses again; never swap seats in
        reason = WaitReason.SEATS_TAKEN  # choosing again can't help: no room for qty
    elif request.qty > event.available:
        reason = WaitReason.CAPACITY
    else:
        return None
    if not request.waitlist:
        raise NotEnoughSeats(available=event.available, waiting=event.waitlisted_count)
    return reason


def _replay(*, user: User, event_id: int, key: str | None, fingerprint: str) -> BookingOutcome | None:
    """The booking stored under this key (with its body's details), if any. Raises
    IdempotencyKeyReused (422) when the key was used for another request."""
    if key is None:
        return None
    stored = selectors.with_details(
        Booking.objects.filter(user=user, event_id=event_id, idempotency_key=key)
    ).first()
    if stored is None:
        return None
    if stored.request_fingerprint != fingerprint:
        raise IdempotencyKeyReused()
    transaction.on_commit(metrics.IDEMPOTENT_REPLAYS.inc)
    return BookingOutcome(booking=stored, replayed=True)


def _confirm(*, event: Event, booking: Booking, seats: list[_Seat], now: datetime) -> None:
    """Give a new CONFIRMED booking its seats (the named ones, or the first free) and count it."""
    if not seats:
        seat_map_ensure(event=event)  # an event's first booking gives it its default grid
        seats = _best_available(event=event, count=booking.qty)
    if len(seats) != booking.qty:  # impossible under the lock; never commit a short booking
        raise RuntimeError(f"booking #{booking.id}: {len(seats)} free seats for qty {booking.qty}")
    _reserve(event=event, holdings=[(booking, seats)], now=now)
    Event.objects.filter(pk=event.pk).update(booked_count=F("booked_count") + booking.qty)
    event.booked_count += booking.qty
    booking_confirmed.send(sender=Booking, booking=booking, promoted=False)
    _after_commit(event_id=event.pk, outcome="confirmed", reason="")


def _join_queue(*, event: Event, booking: Booking, reason: WaitReason) -> None:
    """Count a new WAITLISTED booking at the end of the queue. No promotion is due: the new
    request waits only behind others or when it can't fit, so the head still doesn't fit."""
    Event.objects.filter(pk=event.pk).update(waitlisted_count=F("waitlisted_count") + 1)
    event.waitlisted_count += 1
    booking.waitlist_position = event.waitlisted_count
    booking_waitlisted.send(sender=Booking, booking=booking)
    _after_commit(event_id=event.pk, outcome="waitlisted", reason=reason.value)


def _resolve_seats(*, event: Event, refs: tuple[SeatRef, ...]) -> list[_Seat]:
    """The requested seats (ids or labels) in natural order. Unknown refs → SeatNotFound
    (404) naming them; the same seat named twice (by id and by label) → DuplicateSeats (422)."""
    seat_map_ensure(event=event)
    ids = [ref for ref in refs if isinstance(ref, int)]
    labels = [ref for ref in refs if isinstance(ref, str)]
    seats = [
        _Seat(*row)
        for row in Seat.objects.filter(event=event)
        .filter(Q(id__in=ids) | Q(label__in=labels))
        .natural_order()
        .values_list("id", "label", "reserved")
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


def _after_commit(*, event_id: int, outcome: str, reason: str) -> None:
    transaction.on_commit(lambda: metrics.BOOKINGS.labels(outcome=outcome, reason=reason).inc())
    _changed_on_commit(event_id)


def booking_cancel(*, booking_id: int, actor: User) -> Booking:
    """Cancel a booking of the actor (or any booking, for an admin). Idempotent: a CANCELLED
    booking is returned unchanged. Returns the Booking (`seat_labels` [] once cancelled).

    Under the event lock: a CONFIRMED booking's tickets are voided and its seats freed; a
    WAITLISTED one leaves the queue; then the waitlist is promoted (active, not-ended events).
    Sends `booking_cancelled` in the transaction. Raises BookingNotFound (404: unknown, or
    someone else's for a non-admin), EventBusy (503).
    """
    hint = Booking.objects.filter(pk=booking_id).values("event_id", "user_id").first()
    if hint is None or (not actor.is_admin and hint["user_id"] != actor.id):
        raise BookingNotFound()
    with locked_event(hint["event_id"]) as event:
        booking = Booking.objects.get(pk=booking_id)  # re-read under the lock
        booking.event = event
        if booking.status == Booking.Status.CANCELLED:
            return booking
        _cancel(event=event, booking=booking, by_admin=actor.id != booking.user_id)
        waitlist_promote(event=event)
    return booking
