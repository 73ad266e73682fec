"""Every write to accounts goes through here."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.db import IntegrityError, transaction
from django.http import HttpRequest

from accounts.exceptions import (
    EmailAlreadyRegistered,
    InvalidCredentials,
    LastAdmin,
    UserNotFound,
    WeakPassword,
)
from accounts.models import User, fold_email
from accounts.signals import user_changed
from accounts.tokens import AccessToken
from accounts.validators import password_errors
from evently.signals import send_on_commit


def user_create(*, name: str, email: str, password: str, role: str = User.Role.USER) -> User:
    """Create an account and return it.

    The caller has checked the input's types and shapes; the rules live here: the password
    must pass AUTH_PASSWORD_VALIDATORS (WeakPassword, 422), and the email must be new under
    full Unicode case folding (EmailAlreadyRegistered, 400; the unique index on
    `email_folded` decides races). No lock needed.
    """
    errors = password_errors(password)
    if errors:
        raise WeakPassword(errors)
    email = email.strip()
    if User.objects.with_email(email).exists():
        raise EmailAlreadyRegistered()
    user = User(name=name.strip(), email=email, role=role)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # lost a race with a concurrent signup for the same email
        raise EmailAlreadyRegistered() from None
    return user


def auth_login(*, email: str, password: str, request: HttpRequest | None = None) -> str:
    """Check the credentials (email in any case) and return a signed access token (JWT,
    `sub` = user id). Raises InvalidCredentials (401) for an unknown email, a wrong
    password or an inactive account alike."""
    user = authenticate(request, username=email.strip(), password=password)
    if user is None:
        raise InvalidCredentials()
    return str(AccessToken.for_user(user))


def _removes_admin_power(user: User, *, role: str, is_active: bool) -> bool:
    was_admin = user.role == User.Role.ADMIN and user.is_active
    return was_admin and not (role == User.Role.ADMIN and is_active)


def user_check_keeps_an_admin(*, user_id: int, role: str, is_active: bool) -> None:
    """The last-admin rule: raise LastAdmin (409) when giving user `user_id` this role and
    active flag would leave no active admin. Reads without a lock: a form's early answer;
    the writes below check again under the lock."""
    user = User.objects.filter(id=user_id).first()
    if user is None:
        raise UserNotFound()
    if _removes_admin_power(user, role=role, is_active=is_active):
        if not User.objects.active_admins().exclude(id=user.id).exists():
            raise LastAdmin()


def _locked_user_keeping_an_admin(*, user_id: int, role: str, is_active: bool) -> User:
    """Lock the active admins (in id order) and the user, then apply the last-admin rule.
    Needs an open transaction. Every change that can remove admin power takes this lock
    first, so two concurrent demotions or deactivations cannot both pass."""
    admin_ids = list(
        User.objects.active_admins().select_for_update().order_by("id").values_list("id", flat=True)
    )
    user = User.objects.select_for_update().filter(id=user_id).first()
    if user is None:
        raise UserNotFound()
    if _removes_admin_power(user, role=role, is_active=is_active):
        if not any(admin_id != user.id for admin_id in admin_ids):
            raise LastAdmin()
    return user


def user_set_role(*, user_id: int, role: str) -> User:
    """Change a user's role and return the user. Raises UserNotFound (404), LastAdmin (409)
    when no active admin would be left. Takes the admin lock itself; nestable."""
    return user_update(user_id=user_id, role=role)


_EDITABLE = {"name", "email", "role", "is_active"}


def user_update(*, user_id: int, **changes: Any) -> User:
    """Change any of name, email, role, is_active and return the user.

    Raises UserNotFound (404), LastAdmin (409) when the change would leave no active admin,
    EmailAlreadyRegistered (400) when the new email folds to another account's. All or
    nothing: a refusal changes nothing. Locks the active admins, then the user (nestable:
    the staff console wraps it in its own transaction).
    """
    unknown = set(changes) - _EDITABLE
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        current = User.objects.filter(id=user_id).values("role", "is_active").first()
        if current is None:
            raise UserNotFound()
        user = _locked_user_keeping_an_admin(
            user_id=user_id,
            role=changes.get("role", current["role"]),
            is_active=changes.get("is_active", current["is_active"]),
        )
        if "email" in changes:
            changes["email"] = changes["email"].strip()
            if User.objects.with_email(changes["email"]).exclude(id=user.id).exists():
                raise EmailAlreadyRegistered()
        changed = [field for field, value in changes.items() if getattr(user, field) != value]
        if not changed:
            return user
        for field in changed:
            setattr(user, field, changes[field])
        try:
            with transaction.atomic():
                user.save(update_fields=changed)
        except IntegrityError:  # a concurrent change took the email first
            raise EmailAlreadyRegistered() from None
        send_on_commit(user_changed, sender=User, user_id=user.id)
    return user


def user_promote_admin(
    *, email: str, create: bool = False, name: str = "", password: str = ""
) -> tuple[User, bool]:
    """Make the user with this email (in any case) an admin, creating it first when asked.
    Returns (user, created). Raises UserNotFound without `create`, and user_create's errors."""
    user = User.objects.with_email(email).first()
    created = False
    if user is None:
        if not create:
            raise UserNotFound(f"No user with email {email}")
        user = user_create(name=name, email=email, password=password, role=User.Role.ADMIN)
        created = True
    elif user.role != User.Role.ADMIN:
        user = user_set_role(user_id=user.id, role=User.Role.ADMIN)
    return user, created
