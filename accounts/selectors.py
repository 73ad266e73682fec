from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User


def user_list(*, role: str | None = None) -> QuerySet[User]:
    """Users by id, optionally only those with `role`."""
    users = User.objects.order_by("id")
    if role:
        users = users.filter(role=role)
    return users


def user_get_by_email(*, email: str) -> User | None:
    """The account of this address in any case (full Unicode case folding), or None."""
    return User.objects.with_email(email).first()
