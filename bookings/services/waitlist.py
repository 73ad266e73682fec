"""The waitlist: promotion in FIFO order whenever the head of an event's queue fits
(`waitlist_promote`, also run by `promote_on_event_change` after any change to an event), and
the withdrawal of a deactivated account's places (`waitlist_withdraw_user`).

Every write runs under the event lock (`locked_event`, events/locking.py). The seat choice,
the reservation and the cancellation come from bookings.services._seats, shared with booking.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from bookings.models import Booking
from bookings.services._seats import _best_available, _cancel, _changed_on_commit, _reserve, _Seat
from bookings.signals import booking_confirmed
from events.exceptions import EventBusy
from events.locking import assert_locked, locked_event
from events.models import Event
from events.seating import seat_map_ensure
from evently import metrics


def waitlist_withdraw_user(*, user_id: int) -> list[Booking]:
    """Withdraw every waitlist place of a deactivated account: each of its WAITLISTED
    bookings is cancelled as an admin's `booking_cancel` would (`booking_cancelled` with
    by_admin=True, counters, metrics, caches), then each event's waitlist is promoted for
    the others. CONFIRMED bookings are left alone. Called once the deactivation has
    committed (bookings.receivers), never inside its transaction, which holds user rows;
    withdraws nothing while the account is active (reactivated before this ran). A place
    this misses (a busy event, a crash) is withdrawn by the event's next promotion.

    One transaction per event, under that event's lock (`locked_event`, taken here), the
    bookings re-read under it: idempotent, and a booking promoted or cancelled meanwhile is
    left as it is. Returns the bookings cancelled (CANCELLED). Raises EventBusy (503) once
    every event was tried when one of them stayed busy: the others are done, a second call
    finishes.
    """
    event_ids = (
        Booking.objects.filter(user_id=user_id, status=Booking.Status.WAITLISTED)
        .order_by("event_id").values_list("event_id", flat=True).distinct()
    )
    withdrawn: list[Booking] = []
    busy: EventBusy | None = None
    for event_id in list(event_ids):
        try:
            with locked_event(event_id) as event:
                withdrawn += _withdraw_inactive(event=event, user_id=user_id)
                waitlist_promote(event=event)
        except EventBusy as exc:
            busy = busy or exc
    if busy is not None:
        raise busy
    return withdrawn


def _withdraw_inactive(*, event: Event, user_id: int | None = None) -> list[Booking]:
    """Cancel the waitlist places (WAITLISTED bookings) that deactivated accounts hold on
    `event` (only `user_id`'s when given), oldest first, each as an admin's cancellation
    (`_cancel`). Returns them (CANCELLED). One query when there are none. Caller holds the
    event lock (checked) and promotes the waitlist afterwards, once for all of them, so no
    place of such an account is ever promoted."""
    assert_locked(event)
    places = Booking.objects.filter(event=event, status=Booking.Status.WAITLISTED, user__is_active=False)
    if user_id is not None:
        places = places.filter(user_id=user_id)
    withdrawn = list(places.order_by("created_at", "id"))
    for booking in withdrawn:
        booking.event = event
        _cancel(event=event, booking=booking, by_admin=True, account_deactivated=True)
    return withdrawn


def waitlist_promote(*, event: Event) -> list[Booking]:
    """Confirm waiting bookings in strict FIFO order (created_at, id) while the head of the
    queue fits in the free seats, each with its own best available seats (`best_available`,
    chosen in queue order, so each party is kept together when a row allows), whatever
    seats it once named; a head that doesn't fit blocks those behind it. Inactive or ended
    events promote nobody. Cheap when nobody waits or no seat is free (no query). The places
    of deactivated accounts (`_withdraw_inactive`) are withdrawn first, never promoted:
    normally gone already, withdrawn when their account was deactivated, but a place that
    withdrawal missed (a busy event, a crash, a booking request authenticated before the
    deactivation) would otherwise take seats nobody can use.

    Returns the promoted bookings (CONFIRMED, `seat_labels` set); sends `booking_confirmed`
    (promoted=True) for each. Caller holds the event lock: `event` is the instance
    `locked_event` yielded (checked). Raises nothing of its own.
    """
    assert_locked(event)
    if not event.is_active or event.has_ended() or event.waitlisted_count == 0:
        return []
    free = event.capacity - event.booked_count
    if free <= 0:
        return []
    if _withdraw_inactive(event=event) and event.waitlisted_count == 0:
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
    holdings: list[tuple[Booking, list[_Seat]]] = []
    taken: set[int] = set()
    now = timezone.now()
    for booking in promoted:
        seats = _best_available(event=event, count=booking.qty, exclude_ids=taken)
        if len(seats) != booking.qty:  # impossible under the lock: `needed` seats are free
            raise RuntimeError(f"booking #{booking.id}: {len(seats)} free seats for qty {booking.qty}")
        taken.update(seat.id for seat in seats)
        holdings.append((booking, seats))
        booking.status, booking.promoted_at, booking.event = Booking.Status.CONFIRMED, now, event
    Booking.objects.filter(id__in=[b.id for b in promoted]).update(
        status=Booking.Status.CONFIRMED, promoted_at=now, updated_at=now
    )
    _reserve(event=event, holdings=holdings, now=now)
    Event.objects.filter(pk=event.pk).update(
        booked_count=F("booked_count") + needed,
        waitlisted_count=F("waitlisted_count") - len(promoted),
    )
    event.booked_count += needed
    event.waitlisted_count -= len(promoted)
    for booking in promoted:
        booking_confirmed.send(sender=Booking, booking=booking, promoted=True)
    count = len(promoted)
    transaction.on_commit(lambda: metrics.WAITLIST_PROMOTIONS.inc(count))
    _changed_on_commit(event.pk)
    return promoted


def promote_on_event_change(sender: type, *, event: Event, **kwargs: object) -> None:
    """Receiver of events' `event_inventory_changed` (connected in BookingsConfig.ready):
    after any change to an event under its lock, promote whoever now fits."""
    waitlist_promote(event=event)
