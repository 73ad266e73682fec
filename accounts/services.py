"""Every write to accounts goes through here."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from accounts.exceptions import (
    AccountDeactivated,
    EmailAlreadyRegistered,
    InvalidCredentials,
    InvalidResetLink,
    LastAdmin,
    PasswordChangedMeanwhile,
    UserChangedMeanwhile,
    UserNotFound,
    WeakPassword,
)
from accounts.models import User, fold_email
from accounts.signals import password_reset_requested, user_changed, user_deactivated
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
    user_check_email_free(email=email)
    user = User(name=name.strip(), email=email, role=role)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # lost a race with a concurrent signup for the same email
        raise EmailAlreadyRegistered() from None
    return user


def user_check_email_free(*, email: str, user_id: int | None = None) -> None:
    """Raise EmailAlreadyRegistered (400) when `email` folds to the address of an account other
    than `user_id`. An early check for a clear answer (and the console's form error); the
    unique index on `email_folded` decides races at write time. No lock."""
    if User.objects.with_email(email).exclude(pk=user_id).exists():
        raise EmailAlreadyRegistered()


_ONE_MS = timedelta(milliseconds=1)


def auth_login(*, email: str, password: str, request: HttpRequest | None = None) -> str:
    """Check the credentials (email in any case) and return a signed access token (JWT,
    `sub` = user id). Raises InvalidCredentials (401) for an unknown email, a wrong
    password or an inactive account alike, and when the password was changed or the account
    deactivated while the password was being checked. Takes the user row lock
    (FOR NO KEY UPDATE) for a moment after the password check."""
    # The token counts from before the account is read, and the account is read again once the
    # password has been checked (an Argon2 check takes tens of milliseconds): a reset, password
    # change or deactivation that lands meanwhile ends this login too, instead of handing out a
    # token issued after its `tokens_valid_after` for a password that is no longer the account's.
    # The re-read takes the row lock the changes hold until they commit (FOR NO KEY UPDATE; on
    # SQLite the immediate transaction's write lock): a change that fixed its
    # `tokens_valid_after` before `checked_at` but had not committed yet is waited for and seen.
    # Every password change, reset and deactivation moves `tokens_valid_after` (_set_password,
    # user_update); the hash itself is not compared: another login's re-hash of an older hash
    # (User.check_password) changes it without changing the password.
    checked_at = timezone.now()
    user = authenticate(request, username=email.strip(), password=password)
    if user is None:
        raise InvalidCredentials()
    with transaction.atomic():
        unchanged = User.objects.select_for_update(no_key=True).filter(
            pk=user.pk, is_active=True, tokens_valid_after=user.tokens_valid_after
        )
        if not unchanged.values_list("pk", flat=True):
            raise InvalidCredentials()
    if user.tokens_valid_after is not None and checked_at < user.tokens_valid_after + _ONE_MS:
        # The account as read ended the tokens of its own millisecond (`_end_tokens`), and this
        # login began in that millisecond: but its password was checked against that account,
        # after the change, so its token counts from the next millisecond, not as one ended.
        checked_at = user.tokens_valid_after + _ONE_MS
    return str(AccessToken.for_user_checked_at(user, checked_at))


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


def _locked_user_keeping_an_admin(*, user_id: int, role: str | None, is_active: bool | None) -> User:
    """Lock the active admins (in id order) and the user, then apply the last-admin rule to
    giving the user this role and active flag (None: the value the locked row has, read under
    the lock: a value read before it may be outdated by then). Needs an open transaction.
    Every change that can remove admin power takes this lock first, so two concurrent
    demotions or deactivations cannot both pass.

    User rows are locked FOR NO KEY UPDATE (`no_key=True`), never FOR UPDATE: that is enough
    to serialize the accounts services, and it does not conflict with the FOR KEY SHARE that
    PostgreSQL's foreign-key checks take on the users a booking, ticket or notification names
    when an inventory transaction commits, still holding its event lock. With FOR UPDATE,
    those commits waited here, and a cancellation promoting an admin's waiting booking (KEY
    SHARE on the holder, then on the admin) deadlocked with this lock (the admin, then the
    holder)."""
    admin_ids = list(
        User.objects.active_admins().select_for_update(no_key=True).order_by("id").values_list("id", flat=True)
    )
    user = User.objects.select_for_update(no_key=True).filter(id=user_id).first()
    if user is None:
        raise UserNotFound()
    role = user.role if role is None else role
    is_active = user.is_active if is_active is None else is_active
    if _removes_admin_power(user, role=role, is_active=is_active):
        if not any(admin_id != user.id for admin_id in admin_ids):
            raise LastAdmin()
    return user


def user_set_role(*, user_id: int, role: str) -> User:
    """Change a user's role and return the user. Raises UserNotFound (404), LastAdmin (409)
    when no active admin would be left. Takes the admin lock itself; nestable."""
    return user_update(user_id=user_id, role=role)


_EDITABLE = {"name", "email", "role", "is_active"}


def user_update(*, user_id: int, shown: Mapping[str, Any] | None = None, **changes: Any) -> User:
    """Change any of name, email, role, is_active and return the user.

    `shown`: the values of (some of) those fields on the view the change was made on (the
    staff console's page, which posts back every field, edited or not); the change is refused
    when the stored row no longer has them, so it cannot silently undo a change made since.

    Raises UserNotFound (404), LastAdmin (409) when the change would leave no active admin,
    EmailAlreadyRegistered (400) when the new email folds to another account's,
    UserChangedMeanwhile (409) when the row differs from `shown`. All or nothing: a refusal
    changes nothing. Locks the active admins, then the user (nestable: the staff console
    wraps it in its own transaction).

    Sends `user_changed` after commit; a deactivation also sends `user_deactivated` after
    commit (bookings withdraws the account's waitlist places then; DECISIONS "Accounts").
    """
    unknown = (set(changes) | set(shown or ())) - _EDITABLE
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        user = _locked_user_keeping_an_admin(
            user_id=user_id, role=changes.get("role"), is_active=changes.get("is_active")
        )
        if shown is not None and any(getattr(user, field) != value for field, value in shown.items()):
            raise UserChangedMeanwhile()
        if "email" in changes:
            changes["email"] = changes["email"].strip()
            user_check_email_free(email=changes["email"], user_id=user.id)
        changed = [field for field, value in changes.items() if getattr(user, field) != value]
        if not changed:
            return user
        for field in changed:
            setattr(user, field, changes[field])
        deactivated = "is_active" in changed and not user.is_active
        if deactivated:
            _end_tokens(user)  # a later reactivation does not revive them
            changed.append("tokens_valid_after")
        try:
            with transaction.atomic():
                user.save(update_fields=changed)
        except IntegrityError:  # a concurrent change took the email first
            raise EmailAlreadyRegistered() from None
        send_on_commit(user_changed, sender=User, user_id=user.id)
        if deactivated:
            # After commit, never inside this transaction: bookings then takes event locks,
            # which must not wait while this one holds the admins' and the user's rows.
            send_on_commit(user_deactivated, sender=User, user_id=user.id)
    return user


def user_promote_admin(
    *, email: str, create: bool = False, name: str = "", password: str = ""
) -> tuple[User, bool]:
    """Make the user with this email (in any case) an admin, creating it first when asked.
    Returns (user, created); an admin already is returned unchanged. Raises UserNotFound
    without `create`, AccountDeactivated (409) for a deactivated account (an inactive admin
    cannot log in), and user_create's errors."""
    user = User.objects.with_email(email).first()
    created = False
    if user is None:
        if not create:
            raise UserNotFound(f"No user with email {email}")
        user = user_create(name=name, email=email, password=password, role=User.Role.ADMIN)
        created = True
    elif not user.is_active:
        raise AccountDeactivated(f"{user.email} is deactivated: reactivate the account first")
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
    user. Raises InvalidResetLink (400) for an unknown uid, an inactive account, or a token
    that is malformed, spent or expired; WeakPassword (422) when the password breaks
    AUTH_PASSWORD_VALIDATORS. Locks the user row, so one link cannot be spent twice
    concurrently."""
    try:
        user_id = int(force_str(urlsafe_base64_decode(uid)))
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        raise InvalidResetLink() from None
    if not 1 <= user_id < 2**63:
        raise InvalidResetLink()
    with transaction.atomic():
        # no_key: see _locked_user_keeping_an_admin (bookings' commits must not wait on it).
        user = User.objects.select_for_update(no_key=True).filter(pk=user_id, is_active=True).first()
        if user is None or not default_token_generator.check_token(user, token):
            raise InvalidResetLink()
        _set_password(user, password)
    return user


def user_change_password(*, user: User, password: str) -> User:
    """Give `user` a new password (the staff console's "Change password", after the form
    checked the old one against `user.password`) and end every access token issued before
    it, as a reset does: a token stolen before the change stops working. Returns the user.
    Raises WeakPassword (422) when the password breaks AUTH_PASSWORD_VALIDATORS, and
    PasswordChangedMeanwhile (409) when the password was changed, or the account deactivated,
    since `user` was read (a reset committed meanwhile: this change must not undo it). That is told by
    `tokens_valid_after`, which every password change, reset and deactivation moves, not by
    the hash: a login re-hashing an older hash (User.check_password) changes it, not the
    password. Locks the user row."""
    with transaction.atomic():
        locked = User.objects.select_for_update(no_key=True).get(pk=user.pk)  # see _locked_user_keeping_an_admin
        if locked.tokens_valid_after != user.tokens_valid_after:
            raise PasswordChangedMeanwhile()
        _set_password(locked, password)
    user.password, user.tokens_valid_after = locked.password, locked.tokens_valid_after
    return user


def _set_password(user: User, password: str) -> None:
    """The one way a password changes: the policy, the hash, the end of older tokens, saved."""
    errors = password_errors(password)
    if errors:
        raise WeakPassword(errors)
    user.set_password(password)
    _end_tokens(user)
    user.save(update_fields=["password", "tokens_valid_after"])


def _end_tokens(user: User) -> None:
    """Make every access token issued to `user` so far invalid (the caller saves
    `tokens_valid_after`). Tokens issued up to this millisecond are older (accounts.tokens:
    `iat_ms`), so a login right after works at once."""
    now = timezone.now()
    user.tokens_valid_after = now.replace(microsecond=now.microsecond // 1000 * 1000)
