"""Signals of the accounts app, sent after commit (evently.signals.send_on_commit)."""

from django.dispatch import Signal

# A user's role or activity changed. kwargs: user_id (int).
user_changed = Signal()
