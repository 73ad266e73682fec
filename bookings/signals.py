"""Signals of the bookings app, sent after commit (evently.signals.send_on_commit)."""

from django.dispatch import Signal

# Bookings of an event changed (booked, waitlisted, promoted, cancelled). kwargs: event_id (int).
bookings_changed = Signal()
