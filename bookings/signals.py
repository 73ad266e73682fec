"""Signals of the bookings app.

`bookings_changed` is news sent after commit (evently.signals.send_on_commit): caches and
counters above react to it.

The others are sent INSIDE the transaction that makes the change, right after the write, so a
receiver may add rows of its own to the same transaction (the notification outbox does): a
rolled-back change leaves nothing behind. Receivers must not do I/O or take other locks.
"""

from django.dispatch import Signal

# Bookings of an event changed (booked, waitlisted, promoted, cancelled). kwargs: event_id (int).
bookings_changed = Signal()

# In the transaction. kwargs: booking (Booking: CONFIRMED, `seat_labels` set),
# promoted (bool: True when it came off the waitlist).
booking_confirmed = Signal()
# In the transaction. kwargs: booking (Booking: WAITLISTED, `waitlist_position` set).
booking_waitlisted = Signal()
# In the transaction. kwargs: booking (Booking: CANCELLED), by_admin (bool: the actor was not the holder),
# previous_status (str), account_deactivated (bool: a waitlist place withdrawn because the holder's
# account was deactivated; by_admin is True then too).
booking_cancelled = Signal()

# Tickets of an event were checked in or their check-in undone; sent after commit
# (evently.signals.send_on_commit). kwargs: event_id (int).
tickets_changed = Signal()
