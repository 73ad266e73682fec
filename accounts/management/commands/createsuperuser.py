"""Django's `createsuperuser`, replaced: it wrote an account straight into the table (no
email rules, no name limit, the password policy skipped with --noinput, an IntegrityError
traceback for an address another account has in another case) and its "superuser" is not a
role here. `promote_admin --create` makes the first admin with the API's rules."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.management.commands.createsuperuser import Command as DjangoCreateSuperuser
from django.core.management.base import CommandError


class Command(DjangoCreateSuperuser):
    help = "Not used here: make an admin with `manage.py promote_admin EMAIL --create --name N`."

    def handle(self, *args: Any, **options: Any) -> None:
        email = options.get("email") or "EMAIL"
        raise CommandError(
            "createsuperuser is not used by Evently: nothing changed. Make an admin with "
            f"`manage.py promote_admin {email} --create --name N` (the password from "
            "EVENTLY_ADMIN_PASSWORD or a prompt), or promote an existing account with "
            f"`manage.py promote_admin {email}`."
        )
