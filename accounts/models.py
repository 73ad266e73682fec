from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib.auth import hashers
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac


def fold_email(email: str) -> str:
    """The form two addresses are compared in: full Unicode case folding (`ß` = `ss`,
    `Ü` = `ü`) of the NFKC-normalized, trimmed address, its domain's ASCII-encoded labels
    (`xn--mnchen-3ya`) decoded to the Unicode they stand for (`münchen`), so both spellings
    of one mailbox are one address. Done once, in Python, so PostgreSQL and SQLite (whose
    LOWER() disagree on non-ASCII letters) compare identically."""
    local, at, domain = unicodedata.normalize("NFKC", email.strip()).rpartition("@")
    if at:
        domain = ".".join(_decoded_label(label) for label in domain.split("."))
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", f"{local}{at}{domain}").casefold())


def _decoded_label(label: str) -> str:
    """An IDNA A-label (`xn--` + punycode) as its Unicode; any other label as it is."""
    if label[:4].lower() != "xn--" or not label.isascii():
        return label
    try:
        decoded = label[4:].encode("ascii").decode("punycode")
    except (UnicodeError, ValueError):
        return label
    return decoded if decoded and not decoded.isascii() else label  # an A-label stands for non-ASCII


class FoldedEmailField(models.CharField):
    """`fold_email(instance.email)`, computed by every save() and bulk_create() (through
    pre_save), so no writer can store an account without it. (A queryset `.update(email=...)`
    bypasses it: change emails through accounts.services.user_update.)"""

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = fold_email(model_instance.email)  # type: ignore[attr-defined]
        setattr(model_instance, self.attname, value)
        return value


class UserQuerySet(models.QuerySet["User"]):
    def with_email(self, email: str) -> "UserQuerySet":
        """The account of this address in any case (served by the unique index on email_folded)."""
        return self.filter(email_folded=fold_email(email))

    def admins(self) -> "UserQuerySet":
        return self.filter(role=User.Role.ADMIN)

    def active_admins(self) -> "UserQuerySet":
        return self.filter(role=User.Role.ADMIN, is_active=True)


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.with_email(username or "").get()

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "User":
        user = self.model(email=self.normalize_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields["role"] = User.Role.ADMIN
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser):
    """An Evently account. `role` is the single source of truth for admin rights,
    including the staff console: `is_staff`/`is_superuser` are derived from it."""

    class Role(models.TextChoices):
        USER = "user", "User"
        ADMIN = "admin", "Admin"
        CHECKIN = "checkin", "Check-in (door staff)"

    email = models.EmailField(max_length=254)  # as typed, for display and mail
    # fold_email(email), kept by save(): the value every lookup and the unique rule use.
    email_folded = FoldedEmailField(max_length=762, unique=True, editable=False)  # folding can grow a text 3x
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.USER)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Access tokens issued (`iat`, whole seconds) before this are refused: a password reset
    # sets it, ending every older session.
    tokens_valid_after = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=["user", "admin", "checkin"]), name="accounts_user_role_valid"
            ),
        ]
        indexes = [models.Index(fields=["role", "id"], name="accounts_user_role_idx")]

    def __str__(self) -> str:
        return self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "email" in update_fields:
            kwargs["update_fields"] = {*update_fields, "email_folded"}
        super().save(*args, **kwargs)

    def check_password(self, raw_password: str) -> bool:
        """Django's check, whose upgrade of a hash made by an older hasher or weaker settings
        (re-hashed at a successful login) writes only over the hash that was checked: a
        password reset or change that committed while the login checked the old password
        stays (Django's own upgrade saved over it, undoing the reset; the login is then
        refused by `accounts.services.auth_login`, which sees the reset's
        `tokens_valid_after`). When another login re-hashed the same password first, nothing
        is written and that login's hash stays."""
        checked = self.password

        def upgrade(raw: str) -> None:
            self.set_password(raw)
            self._password = None  # an upgrade is not a password change
            type(self)._default_manager.filter(pk=self.pk, password=checked).update(password=self.password)

        return hashers.check_password(raw_password, checked, upgrade)

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN

    @property
    def may_check_in(self) -> bool:
        """Door staff rights (check-in endpoints, attendee list): role `admin` or `checkin`."""
        return self.role in (self.Role.ADMIN, self.Role.CHECKIN)

    # The staff console (django.contrib.admin) reads these two.
    @property
    def is_staff(self) -> bool:
        return self.is_active and self.is_admin

    @property
    def is_superuser(self) -> bool:
        return self.is_staff

    # Staff-console sessions end with the access tokens: Django keeps a session only while
    # this hash matches the one stored at login. It covers the password (Django's own rule)
    # and `tokens_valid_after`, which a reset, a password change and a deactivation move, so
    # a console session opened before a deactivation does not come back with a reactivation.
    _SESSION_HASH_SALT = "evently.accounts.User.session"

    def _session_material(self) -> str:
        ended = self.tokens_valid_after.isoformat() if self.tokens_valid_after else ""
        return f"{self.password}|{ended}"

    def get_session_auth_hash(self) -> str:
        return salted_hmac(self._SESSION_HASH_SALT, self._session_material(), algorithm="sha256").hexdigest()

    def get_session_auth_fallback_hash(self) -> Iterator[str]:
        for fallback_secret in settings.SECRET_KEY_FALLBACKS:
            yield salted_hmac(
                self._SESSION_HASH_SALT, self._session_material(), secret=fallback_secret, algorithm="sha256"
            ).hexdigest()

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return self.is_staff

    def has_module_perms(self, app_label: str) -> bool:
        return self.is_staff
