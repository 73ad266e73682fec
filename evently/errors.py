"""The one base class for domain errors; each app subclasses it in its `exceptions.py`."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A business rule refused the request. Rendered as `{"detail": ..., **extra}`."""

    status_code: int = 400
    default_detail: str = "Request could not be completed"

    def __init__(
        self,
        detail: str | None = None,
        *,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        self.detail = detail or self.default_detail
        self.headers = headers or {}
        self.extra = extra
        super().__init__(self.detail)


class ServiceBusy(DomainError):
    """A lock was not granted in time: nothing changed, the same request can be retried."""

    status_code = 503
    default_detail = "Service is busy, retry"

    def __init__(self, detail: str | None = None, *, retry_after: int = 1, **extra: Any) -> None:
        super().__init__(detail, headers={"Retry-After": str(retry_after)}, **extra)
