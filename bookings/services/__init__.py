"""Booking, cancellation and waitlist promotion: every inventory write of the bookings app.

Split by sub-topic (HackSoft styleguide, "Modules": a services package, its public names
re-exported here, so callers keep `from bookings import services`):

    booking.py   booking_create, booking_cancel, and their shapes (BookingRequest,
                 BookingOutcome, WaitReason)
    waitlist.py  waitlist_promote, promote_on_event_change, waitlist_withdraw_user
    _seats.py    private: the seat choice, the reservation and the one cancellation that
                 both share, written once

Imports point one way: booking -> waitlist -> _seats (a cancellation promotes the waitlist;
the waitlist reserves seats and cancels). Every write runs under the event lock
(events/locking.py); in-transaction signals (bookings/signals.py) are sent right after each.
"""

from bookings.services.booking import (
    BookingOutcome,
    BookingRequest,
    SeatRef,
    WaitReason,
    booking_cancel,
    booking_create,
)
from bookings.services.waitlist import (
    promote_on_event_change,
    waitlist_promote,
    waitlist_withdraw_user,
)

__all__ = [
    "BookingOutcome",
    "BookingRequest",
    "SeatRef",
    "WaitReason",
    "booking_cancel",
    "booking_create",
    "promote_on_event_change",
    "waitlist_promote",
    "waitlist_withdraw_user",
]
