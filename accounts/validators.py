"""Password rules, as Django password validators (AUTH_PASSWORD_VALIDATORS), and the rule for
an address an account is given.

The contract refuses only passwords shorter than PASSWORD_MIN_LENGTH; the upper bound
(PASSWORD_MAX_LENGTH, 1,024) keeps a hash request from becoming a denial of service.
Both read their setting on every call, so a changed setting applies at once.
"""

from __future__ import annotations

import stringprep
import unicodedata
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.password_validation import MinimumLengthValidator
from django.core.exceptions import ValidationError

from evently.text import invisible

INVALID_EMAIL = "Enter a valid email address."
# What Python's idna codec (and so Django, encoding a domain to send mail) splits labels on
# besides ".": the ideographic, fullwidth and halfwidth ideographic full stops.
_IDNA_DOTS = frozenset("\u3002\uff0e\uff61")
# RFC 5322's quoted-string local part: its quotes and a quoted pair's backslash are
# semantically invisible, so `"victim"@example.com` is `victim@example.com`.
_QUOTING = frozenset('"\\')
# Top-level names reserved for a host's or a network's own use, so no public mailbox: every
# name under .localhost is the loopback (RFC 6761), .local is link-local mDNS (RFC 6762),
# .internal is for private networks (ICANN, 2024), .arpa holds reverse lookups and home.arpa.
# (.test and .invalid resolve nowhere; the reliability suite signs up at .test.)
_LOCAL_USE_DOMAINS = frozenset({"localhost", "local", "internal", "arpa"})


def validate_account_email(value: str) -> None:
    """The rule for an address an account is given (signup, POST /admin/users, the staff
    console, `promote_admin --create`), on top of Django's email validator (which the email
    field runs first): no invisible character anywhere (its IDNA check drops a zero-width
    space from the domain, so `a@b.com` + U+200B passed as a second account that looks like
    `a@b.com`) and an ASCII local part (its case-insensitive match let `İ`, `ı` and the
    Kelvin sign through, where it refuses `ö`). Nor any character IDNA's nameprep maps to
    nothing (RFC 3454 table B.1: U+1806 MONGOLIAN TODO SOFT HYPHEN is not invisible to
    Unicode, yet `victim@exam\u1806ple.com` is mailed to `victim@example.com`), nor a full
    stop other than `.` that IDNA reads as one (`example\u3002com` is mailed to
    `example.com`), nor a quoted local part (`"victim"@example.com` is the address
    `victim@example.com`: RFC 5322's quotes are semantically invisible), nor a domain that
    is no public name: an address literal (`u@[10.0.0.5]`), a name without a dot
    (`u@localhost`, `u@mailhost`) or one under a top-level name kept for local use
    (`u@mail.localhost`, `u@printer.local`, `.internal`, `.arpa`), which would point the
    service's outgoing mail at hosts of its own network (as the old service's
    email-validator refused them).
    Addresses that only look an account up (login, password reset) keep the plain check, so
    an existing account is never shut out. Raises ValidationError."""
    local_part, _at, domain = value.rpartition("@")
    if domain.startswith("[") or "." not in domain.strip("."):
        raise ValidationError(INVALID_EMAIL, code="invalid")
    top_level = unicodedata.normalize("NFKC", domain.rstrip(".").rpartition(".")[2]).casefold()
    if top_level in _LOCAL_USE_DOMAINS:
        raise ValidationError(INVALID_EMAIL, code="invalid")
    if not local_part.isascii() or any(char in _QUOTING for char in local_part) or any(
        invisible(char) or stringprep.in_table_b1(char) or char in _IDNA_DOTS for char in value
    ):
        raise ValidationError(INVALID_EMAIL, code="invalid")


class SettingMinimumLengthValidator(MinimumLengthValidator):
    """Django's minimum-length rule with PASSWORD_MIN_LENGTH as the minimum."""

    def __init__(self) -> None:
        pass

    @property
    def min_length(self) -> int:  # type: ignore[override]
        return settings.PASSWORD_MIN_LENGTH

    @min_length.setter
    def min_length(self, value: int) -> None:
        pass


class MaximumLengthValidator:
    """At most PASSWORD_MAX_LENGTH characters."""

    def validate(self, password: str, user: Any = None) -> None:
        limit = settings.PASSWORD_MAX_LENGTH
        if len(password) > limit:
            raise ValidationError(
                f"This password is too long. It must contain at most {limit} characters.",
                code="password_too_long",
            )

    def get_help_text(self) -> str:
        return f"Your password must contain at most {settings.PASSWORD_MAX_LENGTH} characters."


def password_errors(password: str) -> list[str]:
    """Every message of AUTH_PASSWORD_VALIDATORS for this password (empty when it passes)."""
    try:
        password_validation.validate_password(password)
    except ValidationError as exc:
        return list(exc.messages)
    return []
