"""The access token: simplejwt's AccessToken with the contract's claims only, and strict
types for every claim that simplejwt or PyJWT reads."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import AccessToken as SimpleJWTAccessToken

# Times as seconds since the epoch that datetime can represent (year 1..9999): anything else
# is a forged or broken token, never a server error.
_MAX_EPOCH = 253402300799
_TIME_CLAIMS = ("exp", "iat", "nbf")
ISSUED_AT_MS_CLAIM = "iat_ms"


def issued_at_ms(payload: Any) -> int | None:
    """When a validated token was issued, in milliseconds since the epoch: `iat_ms`, or the
    start of its `iat` second for tokens without it (the old service's); None without either."""
    issued_ms = payload.get(ISSUED_AT_MS_CLAIM)
    if isinstance(issued_ms, int) and not isinstance(issued_ms, bool):
        return issued_ms
    iat = payload.get("iat")
    if isinstance(iat, (int, float)) and not isinstance(iat, bool):
        return int(iat) * 1000
    return None


def _is_epoch(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return math.isfinite(value) and 0 <= value <= _MAX_EPOCH


class AccessToken(SimpleJWTAccessToken):
    """Minted claims: `sub` (user id as a string), `exp`, `iat`, and `iat_ms` (the issue time
    in milliseconds: a password reset ends the tokens issued before it, and a login in the
    same second as the reset must not count as one of those).

    simplejwt seeds every new token with `{TOKEN_TYPE_CLAIM: token_type}`; with
    TOKEN_TYPE_CLAIM = None (legacy tokens carry no type) that was a stray claim named
    "null". It is dropped here.
    """

    def __init__(self, token: Any = None, verify: bool = True) -> None:
        super().__init__(token, verify=verify)
        if token is None:
            self.payload.pop(None, None)  # type: ignore[call-overload]
            self.payload[ISSUED_AT_MS_CLAIM] = int(self.current_time.timestamp() * 1000)

    @classmethod
    def for_user_checked_at(cls, user: Any, checked_at: datetime) -> "AccessToken":
        """A token for `user` issued (`iat`, `iat_ms`, and `exp` counted from) at `checked_at`,
        the moment its credentials began to be checked: a password change, reset or
        deactivation that ends tokens after that moment ends this one too, even when it
        commits while the check is still running."""
        token = cls.for_user(user)
        token.current_time = checked_at
        token.set_iat(at_time=checked_at)
        token.set_exp(from_time=checked_at)
        token.payload[ISSUED_AT_MS_CLAIM] = int(checked_at.timestamp() * 1000)
        return token

    def verify(self) -> None:
        """Refuse (TokenError → 401) a validly signed token whose claims have the wrong type."""
        for claim in _TIME_CLAIMS:
            if claim in self.payload and not _is_epoch(self.payload[claim]):
                raise TokenError(f"Token claim {claim!r} is not a time")
        issued_ms = self.payload.get(ISSUED_AT_MS_CLAIM)
        if issued_ms is not None and (isinstance(issued_ms, bool) or not isinstance(issued_ms, int)):
            raise TokenError(f"Token claim {ISSUED_AT_MS_CLAIM!r} is not a time")
        sub = self.payload.get(api_settings.USER_ID_CLAIM)
        if sub is not None and not isinstance(sub, str):
            raise TokenError("Token subject is not a string")
        super().verify()
