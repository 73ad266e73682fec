"""Every write to accounts goes through here."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from rest_framework_simplejwt.tokens import AccessToken

from accounts.exceptions import (
    EmailAlreadyRegistered,
    InvalidCredentials,
    InvalidResetLink,
    LastAdmin,
    UserNotFound,
)
from accounts.models import User
from accounts.signals import password_reset_requested, user_changed
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


# --- Password reset (stream "notify") -----------------------------------------------------


def password_reset_request(*, email: str) -> None:
    """Ask for a password-reset email; returns None whether or not the address is known (no
    account enumeration). For a known, active account the `password_reset_requested` signal
    is sent inside this transaction: the notification outbox writes its row, and the email
    (with a link from `password_reset_link`) goes out after commit. Raises nothing; no lock."""
    with transaction.atomic():
        user = User.objects.with_email(email).filter(is_active=True).first()
        if user is not None:
            password_reset_requested.send(sender=User, user=user)


def password_reset_link(*, user: User) -> str:
    """The single-use link for the reset email:
    `<WEB_APP_URL>/app/reset-password?uid=<uid>&token=<token>`. The token (Django's
    PasswordResetTokenGenerator) is derived from the password hash and the time, never
    stored: it dies when the password changes or after PASSWORD_RESET_TIMEOUT seconds."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return f"{settings.WEB_APP_URL}/app/reset-password?{urlencode({'uid': uid, 'token': token})}"


def password_reset_confirm(*, uid: str, token: str, password: str) -> User:
    """Set a new password from a reset link and end every older access token. Returns the
    user. The caller has checked the password policy. Raises InvalidResetLink (400) for an
    unknown uid, an inactive account, or a token that is malformed, spent or expired. Locks
    the user row, so one link cannot be spent twice concurrently."""
    try:
        user_id = int(force_str(urlsafe_base64_decode(uid)))
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        raise InvalidResetLink() from None
    if not 1 <= user_id < 2**63:
        raise InvalidResetLink()
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_id, is_active=True).first()
        if user is None or not default_token_generator.check_token(user, token):
            raise InvalidResetLink()
        user.set_password(password)
        # Tokens carry `iat` in whole seconds: everything issued up to this second is older.
        user.tokens_valid_after = timezone.now().replace(microsecond=0) + timedelta(seconds=1)
        user.save(update_fields=["password", "tokens_valid_after"])
    return user
