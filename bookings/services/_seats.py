"""What booking (bookings.services.booking) and the waitlist (bookings.services.waitlist)
share, written once: the seat choice (`_best_available`), the reservation of seats as tickets
(`_reserve`), the one cancellation (`_cancel`) and the after-commit news of a change
(`_changed_on_commit`). Private to the services package, which re-exports none of it.
`_reserve` and `_cancel` need the event lock (`locked_event` / `inventory_transaction`,
events/locking.py) and check it.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import NamedTuple

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from bookings.models import Booking, Ticket
from bookings.signals import booking_cancelled, bookings_changed
from events.locking import assert_locked
from events.models import Event, Seat
from evently import cache, metrics
from evently.signals import send_on_commit

# Every label combination of evently_cancellations_total exists from the start, at 0.
for _status in (Booking.Status.CONFIRMED, Booking.Status.WAITLISTED):
    metrics.CANCELLATIONS.labels(previous_status=_status.value)


class _Seat(NamedTuple):
    id: int
    label: str
    reserved: bool = False


def _reserve(*, event: Event, holdings: list[tuple[Booking, list[_Seat]]], now: datetime) -> None:
    """Write one ticket per seat of each booking (one bulk INSERT) and mark the seats
    reserved (one UPDATE). Sets each booking's `seat_labels`. Caller holds the event lock."""
    assert_locked(event)
    tickets = []
    for booking, seats in holdings:
        booking.seat_labels = [seat.label for seat in seats]
        tickets += [
            Ticket(booking=booking, event=event, seat_id=seat.id, seat_label=seat.label, created_at=now)
            for seat in seats
        ]
    Ticket.objects.bulk_create(tickets)
    Seat.objects.filter(id__in=[ticket.seat_id for ticket in tickets]).update(reserved=True)


def _best_available(*, event: Event, count: int, exclude_ids: Collection[int] = ()) -> list[_Seat]:
    """`Seat.objects.best_available`: the party-together rule, the only seat choice."""
    return [
        _Seat(seat_id, label)
        for seat_id, label in Seat.objects.best_available(
            event_id=event.pk, count=count, exclude_ids=exclude_ids
        )
    ]


def _cancel(*, event: Event, booking: Booking, by_admin: bool, account_deactivated: bool = False) -> None:
    """The one cancellation of a CONFIRMED or WAITLISTED booking: tickets voided and seats
    freed, or the queue left; counters, `booking_cancelled`, and the after-commit metrics
    and invalidation. `account_deactivated`: the holder's account was deactivated (its
    waitlist place is withdrawn), said in the signal. The caller re-read `booking` under the
    lock of `event` (checked) and promotes the waitlist once it has cancelled all it cancels."""
    assert_locked(event)
    previous = booking.status
    now = timezone.now()
    if previous == Booking.Status.CONFIRMED:
        live = Ticket.objects.filter(booking=booking).exclude(status=Ticket.Status.VOID)
        Seat.objects.filter(id__in=live.values("seat_id")).update(reserved=False)
        live.update(status=Ticket.Status.VOID, voided_at=now)
        Event.objects.filter(pk=event.pk).update(booked_count=F("booked_count") - booking.qty)
        event.booked_count -= booking.qty
    else:
        Event.objects.filter(pk=event.pk).update(waitlisted_count=F("waitlisted_count") - 1)
        event.waitlisted_count -= 1
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_at = now
    booking.save(update_fields=["status", "cancelled_at", "updated_at"])
    booking_cancelled.send(
        sender=Booking, booking=booking, by_admin=by_admin, previous_status=previous,
        account_deactivated=account_deactivated,
    )
    transaction.on_commit(lambda: metrics.CANCELLATIONS.labels(previous_status=previous).inc())
    _changed_on_commit(event.pk)


def _changed_on_commit(event_id: int) -> None:
    """After commit: the catalogue's pages are stale, and apps above hear of the change."""
    cache.invalidate_on_commit(cache.CATALOGUE)
    send_on_commit(bookings_changed, sender=Booking, event_id=event_id)
