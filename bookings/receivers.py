"""The lower apps' news that bookings acts on (connected in BookingsConfig.ready). Each
receiver calls one service; the rules live there."""

from __future__ import annotations

import logging
from typing import Any

from bookings import services
from evently.errors import DomainError

logger = logging.getLogger(__name__)


def withdraw_on_deactivation(sender: type, *, user_id: int, **kwargs: Any) -> None:
    """Receiver of accounts' `user_deactivated`, sent after the deactivation committed: the
    account's waitlist places go to the people behind it. A busy event (EventBusy after the
    lock timeout) is logged, not raised: the deactivation is saved, and a 500 would say it
    was not. The places left are found and cancelled from the staff console (DECISIONS)."""
    try:
        services.waitlist_withdraw_user(user_id=user_id)
    except DomainError as exc:
        logger.error(
            "deactivated user #%s keeps waitlist places: %s; cancel them in the staff console "
            "(Bookings: status WAITLISTED, account Deactivated)", user_id, exc.detail,
        )
