from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rest_framework.exceptions import ValidationError

from accounts.selectors import user_get_by_email
from accounts.services import user_promote_admin
from accounts.validators import validate_account_email
from evently.api.fields import EmailTextField
from evently.errors import DomainError
from evently.text import strip_invisible


class Command(BaseCommand):
    help = "Make an existing user an admin (and staff-console user); --create makes the user first."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--create", action="store_true", help="create the user if missing")
        parser.add_argument("--name", default="", help="name for --create")
        parser.add_argument("--password", default="", help="password for --create")

    def handle(
        self, *args: Any, email: str, create: bool, name: str, password: str, **options: Any
    ) -> None:
        if create and user_get_by_email(email=email) is None:
            try:  # the API's own rules for a new address (signup, POST /admin/users)
                email = EmailTextField(max_length=254, validators=[validate_account_email]).run_validation(email)
            except ValidationError:
                raise CommandError(f"Invalid email: {email!r}") from None
            # As the API: an invisible-only name is no name; a real one is kept, trimmed.
            name = name.strip() if strip_invisible(name) else email.split("@", 1)[0]
        try:
            user, created = user_promote_admin(
                email=email, create=create, name=name, password=password
            )
        except DomainError as exc:
            hint = "" if create else " (add --create --name N --password P to create it)"
            raise CommandError(f"{exc.detail}{hint}") from None
        verb = "Created admin" if created else "Promoted to admin"
        self.stdout.write(self.style.SUCCESS(f"{verb}: {user.email} (id {user.id})"))
