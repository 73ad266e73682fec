"""Every write to accounts goes through here."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from accounts.tokens import AccessToken

from accounts.exceptions import EmailAlreadyRegistered, InvalidCredentials, LastAdmin, UserNotFound
from accounts.models import User
from accounts.signals import user_changed
from evently.signals import send_on_commit


def user_create(*, name: str, email: str, password: str, role: str = User.Role.USER) -> User:
    """Create an account. The caller has validated the input; the email's uniqueness is
    decided here, by the database's case-insensitive unique index."""
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
    """Check the credentials and return a signed access token (JWT, `sub` = user id)."""
    user = authenticate(request, username=email.strip(), password=password)
    if user is None:
        raise InvalidCredentials()
    return str(AccessToken.for_user(user))


def user_set_role(*, user_id: int, role: str) -> User:
    """Change a user's role; never leaves the service without an admin.

    Admin rows are locked (in id order) so two concurrent demotions cannot both pass the
    last-admin check.
    """
    with transaction.atomic(durable=True):
        admin_ids = list(
            User.objects.admins().select_for_update().order_by("id").values_list("id", flat=True)
        )
        user = User.objects.filter(id=user_id).first()
        if user is None:
            raise UserNotFound()
        if user.role == role:
            return user
        if user.role == User.Role.ADMIN and role != User.Role.ADMIN:
            if not any(admin_id != user.id for admin_id in admin_ids):
                raise LastAdmin()
        user.role = role
        user.save(update_fields=["role"])
        send_on_commit(user_changed, sender=User, user_id=user.id)
    return user


def user_promote_admin(
    *, email: str, create: bool = False, name: str = "", password: str = ""
) -> tuple[User, bool]:
    """Make the user with this email an admin, creating it first when asked.
    Returns (user, created)."""
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
