from __future__ import annotations

from typing import Any

from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import Token

from accounts.models import User
from evently.db import fetch_by_pk


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

    def get_user(self, validated_token: Token) -> User:
        """simplejwt's lookup (the `sub` claim's user, active), without the ORM's query
        compiler: this runs on every authenticated request (docs/PERFORMANCE.md)."""
        sub = validated_token.get(api_settings.USER_ID_CLAIM)
        # A string of digits (PyJWT already refuses a `sub` that is not a string).
        if not (isinstance(sub, str) and sub.isascii() and sub.isdigit() and 1 <= int(sub) < 2**63):
            raise InvalidToken()
        user = fetch_by_pk(User, int(sub))
        if user is None or not user.is_active:
            raise AuthenticationFailed()
        if user.tokens_valid_after is not None:  # a password reset ended older tokens
            iat = validated_token.get("iat")
            if not isinstance(iat, (int, float)) or iat < user.tokens_valid_after.timestamp():
                raise AuthenticationFailed()
        return user
