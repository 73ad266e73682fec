"""Signals of the events app.

`event_changed` is news sent after commit (evently.signals.send_on_commit).

`event_rescheduled` is sent INSIDE the transaction that changes an event's start/end time or
venue, so a receiver may add rows to the same transaction (the notification outbox does).
Receivers must not do I/O or take other locks.
"""

from django.dispatch import Signal

# An event was created, changed or deleted (its inventory included). kwargs: event_id (int).
event_changed = Signal()

# INSIDE the locked transaction, after every change an events service made to an event
# (fields, status, capacity, seat map). kwargs: event (Event: the locked instance, saved).
# The bookings app promotes its waitlist on it (events never imports bookings); receivers
# may write inventory through that locked instance and must not take other locks.
event_inventory_changed = Signal()

# In the transaction. kwargs: event (Event, already saved),
# changes (dict: field name -> (old, new), only among start_time, end_time, venue).
event_rescheduled = Signal()
