"""Tickets and door check-in (API.md "Tickets and check-in").

Tickets are written by the booking engine (bookings/services/: created with a confirmation,
voided with a cancellation, under the event lock). This module reads them for their holders
and is the one writer of the check-in state: `status` valid <-> checked_in, `checked_in_at`,
`checked_in_by`, `checkin_key`. A check-in locks only the ticket's row (select_for_update in
`transaction.atomic()`), never the event: doors and bookings do not wait on each other. A
cancellation racing a scan waits for the ticket row, then voids the ticket either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from bookings.exceptions import (
    AlreadyCheckedIn,
    BookingNotFound,
    TicketForAnotherEvent,
    TicketNotFound,
    TicketVoid,
)
from bookings.models import Booking, Ticket
from bookings.signals import tickets_changed
from events.calendar import event_ics
from events.exceptions import EventNotFound
from events.models import Event
from evently.api.fields import utc_iso
from evently.signals import send_on_commit

CODE_MAX_LENGTH = 64  # codes are 24 characters; anything much longer is not one of ours


# --- Reading tickets (holders) ------------------------------------------------------------


def booking_for_holder(*, booking_id: int, actor: User, admins: bool = True) -> Booking:
    """The booking `booking_id` if `actor` holds it or (with `admins`) is an admin, with
    `event` loaded. Raises BookingNotFound (404) otherwise: someone else's booking is not
    found, never 403. No lock."""
    booking = Booking.objects.select_related("event").filter(pk=booking_id).first()
    if booking is None or (booking.user_id != actor.id and not (admins and actor.is_admin)):
        raise BookingNotFound()
    return booking


_CALENDAR_STATUS = {
    Booking.Status.CONFIRMED: "CONFIRMED",
    Booking.Status.WAITLISTED: "TENTATIVE",
    Booking.Status.CANCELLED: "CANCELLED",
}


def booking_ics(booking: Booking, *, seat_labels: Sequence[str] | None = None) -> bytes:
    """The booking's own calendar file (`events.calendar.event_ics` with its seats, or
    `seat_labels` when given), UID `event-{event}-booking-{booking}@evently`, whose STATUS is
    the booking's: CONFIRMED, TENTATIVE while it waits, CANCELLED once cancelled (or, by
    `event_ics`'s own rule, while the event is inactive), and whose SEQUENCE grows with the
    booking's and the event's changes. `booking.event` loaded (`booking_for_holder`). The same
    file is attached to the booking's emails. No lock."""
    return event_ics(
        booking.event, seat_labels=booking.seat_labels if seat_labels is None else seat_labels,
        uid_suffix=f"-booking-{booking.pk}", status=_CALENDAR_STATUS[booking.status],
        modified_at=booking.updated_at,
    )


def ticket_list_for_booking(*, booking_id: int, actor: User) -> list[Ticket]:
    """Every ticket of the booking (void ones included, so a cancelled booking shows what it
    held) in seat order (row, then seat number; a void ticket whose seat was since removed
    last). Raises BookingNotFound (404) unless `actor` holds the booking or is an admin. No lock."""
    booking_for_holder(booking_id=booking_id, actor=actor)
    return list(
        Ticket.objects.filter(booking_id=booking_id).order_by(
            F("seat__row_index").asc(nulls_last=True), F("seat__col_number").asc(nulls_last=True), "id"
        )
    )


def ticket_for_holder(*, code: str, actor: User) -> Ticket:
    """The ticket with this code if `actor` holds its booking or is an admin. Raises
    TicketNotFound (404) for an unknown code or someone else's ticket. No lock."""
    if not code or len(code) > CODE_MAX_LENGTH:
        raise TicketNotFound()
    ticket = Ticket.objects.select_related("booking").filter(code=code).first()
    if ticket is None or (ticket.booking.user_id != actor.id and not actor.is_admin):
        raise TicketNotFound()
    return ticket


# --- Check-in (door staff) ----------------------------------------------------------------


@dataclass(frozen=True)
class CheckInOutcome:
    """`ticket` (checked_in, `booking` loaded with its `user`), `holder_name` (the booking
    holder's name), `replayed` True when this is a retry of the same scan (same user, same
    Idempotency-Key) answered from the stored check-in."""

    ticket: Ticket
    holder_name: str
    replayed: bool = False


def _locked_ticket(*, event_id: int, code: str) -> Ticket:
    """The ticket row with this code, locked (select_for_update), with booking and holder.
    Needs an open transaction. Raises EventNotFound / TicketNotFound (404),
    TicketForAnotherEvent (409)."""
    if not code or len(code) > CODE_MAX_LENGTH:
        if not Event.objects.filter(pk=event_id).exists():
            raise EventNotFound()
        raise TicketNotFound()
    ticket = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("booking__user")
        .filter(code=code)
        .first()
    )
    if ticket is None:
        if not Event.objects.filter(pk=event_id).exists():
            raise EventNotFound()
        raise TicketNotFound()
    if ticket.event_id != event_id:
        if not Event.objects.filter(pk=event_id).exists():
            raise EventNotFound()
        raise TicketForAnotherEvent()
    return ticket


def ticket_check_in(
    *, event_id: int, code: str, actor: User, idempotency_key: str | None = None
) -> CheckInOutcome:
    """Admit the ticket with `code` at the doors of event `event_id`: valid -> checked_in,
    `checked_in_at` now (UTC). Exactly one of several concurrent scans of a code succeeds.

    Returns a CheckInOutcome. A retry of a successful scan by the same `actor` with the same
    `idempotency_key` returns the stored check-in with replayed=True (nothing changes).

    Raises EventNotFound (404, unknown event), TicketNotFound (404, unknown code),
    TicketForAnotherEvent (409), TicketVoid (409: its booking was cancelled), AlreadyCheckedIn
    (409, carries `checked_in_at`). Locks the ticket row (select_for_update) in its own
    atomic block; nestable. The caller checks the actor's role (admin or checkin).
    """
    with transaction.atomic():
        ticket = _locked_ticket(event_id=event_id, code=code)
        if ticket.status == Ticket.Status.VOID:
            raise TicketVoid()
        if ticket.status == Ticket.Status.CHECKED_IN:
            if (
                idempotency_key is not None
                and ticket.checkin_key == idempotency_key
                and ticket.checked_in_by_id == actor.id
            ):
                return CheckInOutcome(ticket=ticket, holder_name=ticket.booking.user.name, replayed=True)
            raise AlreadyCheckedIn(checked_in_at=utc_iso(ticket.checked_in_at))
        ticket.status = Ticket.Status.CHECKED_IN
        ticket.checked_in_at = timezone.now()
        ticket.checked_in_by = actor
        ticket.checkin_key = idempotency_key
        ticket.save(update_fields=["status", "checked_in_at", "checked_in_by", "checkin_key"])
        send_on_commit(tickets_changed, sender=Ticket, event_id=ticket.event_id)
    return CheckInOutcome(ticket=ticket, holder_name=ticket.booking.user.name)


def ticket_undo_check_in(*, event_id: int, code: str, actor: User) -> Ticket:
    """Undo a mistaken scan: checked_in -> valid, `checked_in_at` cleared. Idempotent: a
    valid ticket is returned unchanged. Returns the Ticket.

    Raises EventNotFound / TicketNotFound (404), TicketForAnotherEvent (409), TicketVoid
    (409: a void ticket stays void). Locks the ticket row in its own atomic block; nestable.
    The caller checks the actor's role (admin or checkin).
    """
    with transaction.atomic():
        ticket = _locked_ticket(event_id=event_id, code=code)
        if ticket.status == Ticket.Status.VOID:
            raise TicketVoid()
        if ticket.status == Ticket.Status.VALID:
            return ticket
        ticket.status = Ticket.Status.VALID
        ticket.checked_in_at = None
        ticket.checked_in_by = None
        ticket.checkin_key = None
        ticket.save(update_fields=["status", "checked_in_at", "checked_in_by", "checkin_key"])
        send_on_commit(tickets_changed, sender=Ticket, event_id=ticket.event_id)
    return ticket


def checked_in_count(*, event_id: int) -> int:
    """Tickets of the event admitted so far (an index-only count)."""
    return Ticket.objects.filter(event_id=event_id, status=Ticket.Status.CHECKED_IN).count()
