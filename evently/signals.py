"""News travels upward by signals: a lower app announces a committed change, a higher app
(analytics) reacts. Nothing here carries a business rule."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import Signal


def send_on_commit(signal: Signal, sender: type, **kwargs: Any) -> None:
    """Send `signal` once the current transaction commits (at once outside one); a rolled-back
    change announces nothing. A signal nobody listens to costs nothing."""
    if not signal.has_listeners(sender):
        return
    transaction.on_commit(lambda: signal.send(sender=sender, **kwargs))
