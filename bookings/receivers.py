"""The lower apps' news that bookings acts on (connected in BookingsConfig.ready). Each
receiver calls one service; the rules live there."""

from __future__ import annotations

import logging
from typing import Any

from bookings import services

logger = logging.getLogger(__name__)


def withdraw_on_deactivation(sender: type, *, user_id: int, **kwargs: Any) -> None:
    """Receiver of accounts' `user_deactivated`, sent after the deactivation committed: the
    account's waitlist places go to the people behind it. Any failure (EventBusy after the
    lock timeout, a database error) is logged, not raised: the deactivation is saved, and a
    503 or 500 would say it was not. A place left behind is withdrawn by its event's next
    promotion (`waitlist_promote`), never promoted; staff can cancel it sooner (DECISIONS)."""
    try:
        services.waitlist_withdraw_user(user_id=user_id)
    except Exception:  # noqa: BLE001 - after commit: log it, the promotion guard covers the rest
        logger.exception(
            "deactivated user #%s keeps waitlist places until their events next promote; "
            "staff can cancel them in the console (Bookings: status WAITLISTED, account "
            "Deactivated)", user_id,
        )
