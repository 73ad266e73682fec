"""Rate limits through django-ratelimit, with counters in the shared cache."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django_ratelimit.core import get_usage
from rest_framework.request import Request

from evently.api.exceptions import RateLimited


def enforce_rate_limit(request: Request, *, group: str, rate_setting: str, key: str) -> None:
    """Count this request against `group`; raise RateLimited (429) once over the rate.

    The rate is read from settings at call time (`RATELIMIT_LOGIN`, ...), and the whole
    mechanism is off when `RATELIMIT_ENABLE` is false (django-ratelimit checks that).
    """
    usage = get_usage(
        request,
        group=group,
        key=key,
        rate=lambda _group, _request: getattr(settings, rate_setting) or None,
        increment=True,
    )
    if usage and usage["should_limit"]:
        raise RateLimited(group=group, retry_after=int(usage["time_left"]))


class RateLimitMixin:
    """For API views: limit the listed methods once the caller is authenticated.

    Runs after DRF's `initial()` so an anonymous or forbidden caller gets 401/403, not 429,
    and `key="user"` always has a user to count.
    """

    ratelimit_group: str | None = None
    ratelimit_rate_setting: str = ""
    ratelimit_key: str = "user"
    ratelimit_methods: tuple[str, ...] = ("POST", "PUT", "PATCH", "DELETE")

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        if self.ratelimit_group and request.method in self.ratelimit_methods:
            enforce_rate_limit(
                request,
                group=self.ratelimit_group,
                rate_setting=self.ratelimit_rate_setting,
                key=self.ratelimit_key,
            )
