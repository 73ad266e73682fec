from __future__ import annotations

from typing import Any

from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken


class BearerTokenAuthentication(JWTAuthentication):
    """simplejwt's authentication with the contract's messages and challenge.

    The user row is loaded on every request, so a role change or a deletion takes effect at
    once; a token whose user is gone or inactive is a 401.
    """

    def authenticate_header(self, request: Request) -> str:
        return "Bearer"

    def authenticate(self, request: Request) -> Any:
        try:
            return super().authenticate(request)
        except (InvalidToken, AuthenticationFailed):
            raise AuthenticationFailed("Invalid or expired token") from None
