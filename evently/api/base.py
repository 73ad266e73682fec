"""Base views shared by the apps."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from evently.api.permissions import IsAdminRole
from evently.api.ratelimit import RateLimitMixin


def validated(serializer_class: type[serializers.Serializer], data: Any, **kwargs: Any) -> dict[str, Any]:
    """Validate `data` (a body or query dict); a failure is raised as the contract's 422."""
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class PublicAPIView(APIView):
    """Open to anyone. The Authorization header is not even read, so a stale token in a
    browser never turns a public page into a 401."""

    authentication_classes = []  # type: ignore[var-annotated]
    permission_classes = []  # type: ignore[var-annotated]


class UserAPIView(APIView):
    permission_classes = [IsAuthenticated]


class AdminAPIView(RateLimitMixin, APIView):
    """Admin routes: role `admin` (403 otherwise); every mutation counts against
    RATELIMIT_ADMIN per user."""

    permission_classes = [IsAuthenticated, IsAdminRole]
    ratelimit_group = "admin"
    ratelimit_rate_setting = "RATELIMIT_ADMIN"
    ratelimit_key = "user"
