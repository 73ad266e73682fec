"""Django's `changepassword`, through `accounts.services.user_change_password`: the account
found by its address in any case (as a login finds it), the password policy, and every
access token issued before the change ended, as the console's "Change password" and a reset
do (Django's own command only re-hashed the password: a stolen token kept working)."""

from __future__ import annotations

import getpass
from typing import Any

from django.contrib.auth.management.commands.changepassword import Command as DjangoChangePassword
from django.core.management.base import CommandError

from accounts.exceptions import PasswordChangedMeanwhile, WeakPassword
from accounts.management.commands.promote_admin import _check_utf8
from accounts.selectors import user_get_by_email
from accounts.services import user_change_password

MAX_TRIES = 3


class Command(DjangoChangePassword):
    help = (
        "Change an account's password (asked twice); access tokens issued before the change "
        "stop working."
    )

    def handle(self, *args: Any, **options: Any) -> str:
        email = options["username"] or getpass.getuser()
        _check_utf8(EMAIL=email)
        user = user_get_by_email(email=email)
        if user is None:
            raise CommandError(f"No user with email {email}: nothing changed")
        self.stdout.write(f"Changing password for {user.email}")
        for _attempt in range(MAX_TRIES):
            try:
                password, again = self._get_pass(), self._get_pass("Password (again): ")
            except (EOFError, KeyboardInterrupt):  # stdin at its end, or Ctrl-C at the prompt
                raise CommandError("No password entered: nothing changed") from None
            if password != again:
                self.stdout.write("Passwords do not match. Please try again.")
                continue
            _check_utf8(password=password)
            try:
                user_change_password(user=user, password=password)
            except WeakPassword as exc:
                self.stderr.write("\n".join(exc.extra["errors"]["password"]))
                continue
            except PasswordChangedMeanwhile:  # a reset, another change or a deactivation meanwhile
                raise CommandError(
                    f"The password of {user.email} was changed, or the account deactivated, while "
                    "you typed: nothing changed. Run the command again to replace it."
                ) from None
            return f"Password changed for {user.email}; access tokens issued before now no longer work"
        raise CommandError(f"Aborting password change for {user.email} after {MAX_TRIES} attempts: nothing changed")
