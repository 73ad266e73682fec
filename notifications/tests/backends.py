"""Email backends for tests: a mail server that refuses the first N messages, and one that
refuses some recipients."""

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


class RefusingBackend(LocMemBackend):
    """Raises `errors[address]` for a message to one of those addresses (a mail server that
    refuses a recipient, say); delivers every other message to django.core.mail.outbox like
    locmem."""

    errors: dict[str, Exception] = {}

    def send_messages(self, messages: Any) -> int:
        for message in messages:
            for address in message.recipients():
                if address in RefusingBackend.errors:
                    raise RefusingBackend.errors[address]
        return super().send_messages(messages)
