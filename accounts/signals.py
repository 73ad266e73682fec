"""Signals of the accounts app, sent after commit (evently.signals.send_on_commit)."""

from django.dispatch import Signal

# A user's role or activity changed. kwargs: user_id (int).
user_changed = Signal()

# An account was deactivated (is_active went from True to False; sent after user_changed).
# kwargs: user_id (int). Bookings withdraws the account's waitlist places.
user_deactivated = Signal()

# INSIDE the transaction of a password-reset request for a known, active account, so the
# notification outbox adds its row to it. kwargs: user (User). Receivers must not do I/O.
password_reset_requested = Signal()
