"""Signals of the events app, sent after commit (evently.signals.send_on_commit)."""

from django.dispatch import Signal

# An event was created, changed or deleted (its inventory included). kwargs: event_id (int).
event_changed = Signal()
