from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User


def user_list(*, role: str | None = None) -> QuerySet[User]:
    users = User.objects.order_by("id")
    if role:
        users = users.filter(role=role)
    return users


def user_get_by_email(*, email: str) -> User | None:
    return User.objects.with_email(email).first()
