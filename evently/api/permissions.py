from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request


class IsAdminRole(BasePermission):
    """Role `admin`, read from the user row loaded for this very request."""

    message = "Admin role required"

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and getattr(user, "is_admin", False))


class IsAdminOrCheckin(BasePermission):
    """Role `admin` or `checkin` (door staff): the check-in endpoints and the attendee list.
    Read from the user row loaded for this very request."""

    message = "Admin or check-in role required"

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and getattr(user, "may_check_in", False))
