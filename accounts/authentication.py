from __future__ import annotations

from typing import Any

from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import Token

from accounts.models import User
from accounts.tokens import issued_at_ms


class BearerTokenAuthentication(JWTAuthentication):
    """simplejwt's authentication with the contract's messages and challenge.

    The scheme name is case-insensitive (`bearer`, `BEARER` ...), as HTTP says it is. The
    user row is loaded on every request, so a role change or a deletion takes effect at once;
    a token whose user is gone or inactive is a 401.
    """

    def authenticate_header(self, request: Request) -> str:
        return "Bearer"

    def authenticate(self, request: Request) -> Any:
        try:
            return super().authenticate(request)
        except (InvalidToken, AuthenticationFailed):
            raise AuthenticationFailed("Invalid or expired token") from None

    def get_raw_token(self, header: bytes) -> bytes | None:
        """The token after a `Bearer` scheme in any case; None for another scheme."""
        parts = header.split()
        if not parts:
            return None
        schemes = {h.lower().encode() for h in api_settings.AUTH_HEADER_TYPES}
        if parts[0].lower() not in schemes:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed()
        return parts[1]

    def get_validated_token(self, raw_token: bytes) -> Token:
        """simplejwt's validation; a claim PyJWT cannot even convert (an `exp` of 1e400)
        is an invalid token too, never a 500."""
        try:
            return super().get_validated_token(raw_token)
        except (TypeError, ValueError, OverflowError):
            raise InvalidToken() from None

    def get_user(self, validated_token: Token) -> User:
        """The active user named by the `sub` claim (a string of digits)."""
        sub = validated_token.get(api_settings.USER_ID_CLAIM)
        if not (isinstance(sub, str) and sub.isascii() and sub.isdigit() and 1 <= int(sub) < 2**63):
            raise InvalidToken()
        try:
            user = User.objects.get(pk=int(sub))
        except User.DoesNotExist:
            raise AuthenticationFailed() from None
        if not user.is_active:
            raise AuthenticationFailed()
        if user.tokens_valid_after is not None:  # a password reset or a deactivation ended older tokens
            issued_ms = issued_at_ms(validated_token)
            if issued_ms is None or issued_ms <= int(user.tokens_valid_after.timestamp() * 1000):
                raise AuthenticationFailed()
        return user
