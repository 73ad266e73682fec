"""django-filter FilterSet of GET /admin/users: `role` (422 for an unknown role)."""

from __future__ import annotations

import django_filters as filters
from django.db.models import QuerySet

from accounts import selectors
from accounts.models import User


class UserFilter(filters.FilterSet):
    role = filters.ChoiceFilter(choices=User.Role.choices)

    class Meta:
        model = User
        fields: list[str] = []

    def filter_queryset(self, queryset: QuerySet[User]) -> QuerySet[User]:
        return selectors.user_list(role=self.form.cleaned_data.get("role") or None)
