"""Email backends for tests: a mail server that refuses the first N messages."""

from __future__ import annotations

import smtplib
from typing import Any

from django.core.mail.backends.locmem import EmailBackend as LocMemBackend


class FlakyBackend(LocMemBackend):
    """Refuses (SMTPServerDisconnected) while `failures_left` > 0, then delivers to
    django.core.mail.outbox like locmem."""

    failures_left = 0

    def send_messages(self, messages: Any) -> int:
        if FlakyBackend.failures_left > 0:
            FlakyBackend.failures_left -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)
