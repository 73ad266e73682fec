from __future__ import annotations

import getpass
import os
import sys
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rest_framework.exceptions import ValidationError

from accounts.api.serializers import SignupInputSerializer
from accounts.exceptions import AccountDeactivated, UserNotFound, WeakPassword
from accounts.models import User
from accounts.selectors import user_get_by_email
from accounts.services import user_promote_admin
from evently.errors import DomainError
from evently.text import strip_invisible

PASSWORD_ENV = "EVENTLY_ADMIN_PASSWORD"
# The API's own declarations of a new account's email and name (signup, POST /admin/users).
NEW_ACCOUNT_FIELDS = SignupInputSerializer().fields


def _check_utf8(**values: str | None) -> None:
    """Raise CommandError naming the first value that is not UTF-8 text (a shell passes other
    bytes through as lone surrogates, which no database can store)."""
    for label, value in values.items():
        if value is None:
            continue
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise CommandError(f"{label} must be UTF-8 text: nothing changed") from None


class Command(BaseCommand):
    help = (
        "Make an existing, active user an admin (and staff-console user); --create makes the user "
        f"first, with the password from --password, else {PASSWORD_ENV}, else a prompt."
    )
    # As Django's createsuperuser: call_command(..., stdin=...) stands in for the terminal.
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--create", action="store_true", help="create the user if missing")
        parser.add_argument("--name", help="name of the user --create makes (only when creating)")
        parser.add_argument(
            "--password",
            help=(
                "password of the user --create makes (only when creating); visible to other "
                f"local users (ps) and kept in shell history: prefer {PASSWORD_ENV} or the prompt"
            ),
        )

    def handle(
        self,
        *args: Any,
        email: str,
        create: bool,
        name: str | None,
        password: str | None,
        **options: Any,
    ) -> None:
        _check_utf8(EMAIL=email, **{"--name": name, "--password": password})
        user = user_get_by_email(email=email)
        was_admin, from_env = user is not None and user.role == User.Role.ADMIN, False
        if user is not None:
            self._check_no_new_account_options(user, name=name, password=password)
        elif create:
            try:  # the API's own rules for a new address (signup, POST /admin/users)
                email = NEW_ACCOUNT_FIELDS["email"].run_validation(email)
            except ValidationError:
                raise CommandError(f"Invalid email: {email!r}") from None
            # As the API: an invisible-only name is no name; a real one is kept, trimmed, and
            # held to the API's length.
            name = name.strip() if name and strip_invisible(name) else email.split("@", 1)[0]
            try:
                name = NEW_ACCOUNT_FIELDS["name"].run_validation(name)
            except ValidationError as exc:
                raise CommandError(f"--name: {' '.join(map(str, exc.detail))} Nothing changed.") from None
            if password is None:
                password, from_env = self._new_password(options.get("stdin", sys.stdin))
                _check_utf8(**{PASSWORD_ENV if from_env else "the password": password})
        try:
            user, created = user_promote_admin(
                email=email, create=create, name=name or "", password=password or ""
            )
        except WeakPassword as exc:
            source = f" (the password in {PASSWORD_ENV})" if from_env else ""
            raise CommandError(f"{exc.detail}{source}") from None
        except AccountDeactivated:
            name_it = user.email if user is not None else email
            raise CommandError(
                f"{name_it} is deactivated: nothing changed (reactivate the account in the staff console first)"
            ) from None
        except DomainError as exc:
            hint = " (add --create [--name N] to create it)" if isinstance(exc, UserNotFound) else ""
            raise CommandError(f"{exc.detail}{hint}") from None
        if not created and os.environ.get(PASSWORD_ENV) is not None:
            # Not an error (it may be left in the environment), but never silent: the
            # operator may think it set this account's password.
            self.stderr.write(f"{PASSWORD_ENV} is ignored: {user.email} exists, and its password is unchanged")
        if was_admin:
            self.stdout.write(f"Already an admin: {user.email} (id {user.id}); nothing changed")
            return
        verb = "Created admin" if created else "Promoted to admin"
        self.stdout.write(self.style.SUCCESS(f"{verb}: {user.email} (id {user.id})"))

    def _check_no_new_account_options(self, user: User, *, name: str | None, password: str | None) -> None:
        """Raise CommandError when --name or --password would be dropped silently: they
        apply only to the account --create makes."""
        if name is not None or password is not None:
            raise CommandError(
                f"--name and --password apply only when creating an account, and {user.email} "
                "exists: nothing changed (promote it without them; to change its password use "
                "the password reset or the staff console)"
            )

    def _new_password(self, stdin: TextIO) -> tuple[str, bool]:
        """The password for --create without --password: (password, taken from the
        environment). From PASSWORD_ENV when set (even empty: the policy then refuses it),
        else typed twice at a terminal; raises CommandError when neither is possible, the
        two entries differ, or the prompt is abandoned."""
        if (password := os.environ.get(PASSWORD_ENV)) is not None:
            return password, True
        if not (hasattr(stdin, "isatty") and stdin.isatty()):
            raise CommandError(
                f"No password for the new account: set {PASSWORD_ENV} or pass --password "
                "(stdin is not a terminal, so there is no prompt)"
            )
        try:
            password = getpass.getpass("Password: ")
            again = getpass.getpass("Password (again): ")
        except (EOFError, KeyboardInterrupt):
            raise CommandError("No password entered: nothing changed") from None
        if password != again:
            raise CommandError("The passwords do not match: nothing changed")
        return password, False
