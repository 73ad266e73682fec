"""Rate limits: django-ratelimit's own decorator, with the rate read from settings.

`rate_limited(...)` decorates a view method (a ViewSet action): it runs after DRF's
authentication and permission checks, so an anonymous caller of an admin route gets 401 and
a plain user 403, never 429, and `key="user"` always has a user to count. Over the rate,
django-ratelimit raises `Ratelimited` (block=True); the exception handler answers 429 with
`Retry-After` (`retry_after`). Counters live in the shared cache; `RATELIMIT_ENABLE=false`
switches every limit off (django-ratelimit reads it). The client address behind a proxy is
django-ratelimit's own `ip` key (RATELIMIT_IP_META_KEY).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils.decorators import method_decorator
from django_ratelimit import UNSAFE
from django_ratelimit.core import get_usage
from django_ratelimit.decorators import ratelimit

_SPEC = "_evently_ratelimit"


def rate_limited(*, group: str, key: str, rate_setting: str, method: Any = UNSAFE) -> Callable:
    """A method decorator: count the call against `group` (per `key`: "user" or "ip") at
    the rate in `settings.<rate_setting>` (e.g. "5/m", read per request so tests and
    deployments can change it)."""

    def rate(group_name: str, request: Any) -> str | None:
        value = getattr(settings, rate_setting) or None
        # Remembered for the 429's Retry-After (the exception carries nothing).
        setattr(request, _SPEC, (group_name, key, value))
        return value

    return method_decorator(ratelimit(group=group, key=key, rate=rate, method=method, block=True))


def retry_after(request: Any) -> tuple[str, int]:
    """(group, seconds until the limited window resets, at least 1) for a request that
    `rate_limited` just refused; ("unknown", 60) when nothing is known."""
    spec = getattr(request, _SPEC, None)
    if spec is None:
        return "unknown", 60
    group, key, value = spec
    try:
        usage = get_usage(request, group=group, key=key, rate=value, increment=False)
    except Exception:  # noqa: BLE001 - the 429 stands even if the cache hiccups now
        usage = None
    return group, max(1, int(usage["time_left"])) if usage else 60
