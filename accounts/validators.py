"""Account input rules shared by the API serializers and the management command."""

from __future__ import annotations

from django.conf import settings


def password_policy_error(password: str) -> str | None:
    if len(password) < settings.PASSWORD_MIN_LENGTH:
        return f"Password must be at least {settings.PASSWORD_MIN_LENGTH} characters long."
    if len(password) > settings.PASSWORD_MAX_LENGTH:
        return f"Password must be at most {settings.PASSWORD_MAX_LENGTH} characters long."
    return None
