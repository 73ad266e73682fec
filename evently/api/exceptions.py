"""One exception handler for the whole API: every error becomes `{"detail": str, ...}`."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django_ratelimit.exceptions import Ratelimited
from rest_framework import exceptions, status
from rest_framework.response import Response

from evently import metrics
from evently.api.ratelimit import retry_after
from evently.errors import DomainError

logger = logging.getLogger(__name__)

BEARER_CHALLENGE = "Bearer"


def flatten_errors(errors: Any, prefix: str = "") -> dict[str, list[str]]:
    """Turn DRF's nested error structure into `{"field.sub": ["message", ...]}`."""
    flat: dict[str, list[str]] = {}
    if isinstance(errors, dict):
        for key, value in errors.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            for field, messages in flatten_errors(value, name).items():
                flat.setdefault(field, []).extend(messages)
    elif isinstance(errors, list):
        if all(not isinstance(item, (dict, list)) for item in errors):
            flat[prefix or "non_field_errors"] = [str(item) for item in errors]
        else:
            for index, item in enumerate(errors):
                if item:
                    name = f"{prefix}.{index}" if prefix else str(index)
                    flat.update(flatten_errors(item, name))
    else:
        flat[prefix or "non_field_errors"] = [str(errors)]
    return flat


def validation_response(errors: Any) -> Response:
    flat = flatten_errors(errors)
    if flat:
        field, messages = next(iter(flat.items()))
        summary = messages[0] if field == "non_field_errors" else f"{field}: {messages[0]}"
        if len(flat) > 1:
            summary += f" (and {len(flat) - 1} more)"
    else:
        summary = "Invalid request"
    # The contract's summary is one line; a message may quote a value sent with line breaks
    # (DRF's `"a\nb" is not a valid choice.`). `errors` keeps the messages as they are.
    summary = " ".join(summary.splitlines())
    return Response(
        {"detail": summary, "errors": flat}, status=status.HTTP_422_UNPROCESSABLE_ENTITY
    )


def _detail_text(detail: Any) -> str:
    if isinstance(detail, dict):
        if "detail" in detail:
            return _detail_text(detail["detail"])
        return "; ".join(f"{k}: {_detail_text(v)}" for k, v in detail.items())
    if isinstance(detail, list):
        return "; ".join(_detail_text(item) for item in detail)
    return str(detail)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """The contract's error bodies: `{"detail": str}` plus, for a domain error, its extra
    fields as top-level keys (a 422 domain error carries `errors` per field this way)."""
    # django-ratelimit's rejection is a PermissionDenied subclass: before the 403 below.
    if isinstance(exc, Ratelimited):
        group, seconds = retry_after(context.get("request"))
        metrics.RATE_LIMIT_REJECTIONS.labels(group=group).inc()
        return Response(
            {"detail": "Rate limit exceeded"},
            status=status.HTTP_429_TOO_MANY_REQUESTS,
            headers={"Retry-After": str(seconds)},
        )
    if isinstance(exc, DomainError):
        return Response(
            {"detail": exc.detail, **exc.extra}, status=exc.status_code, headers=exc.headers
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    if isinstance(exc, exceptions.ValidationError):
        return validation_response(exc.detail)
    if isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
        detail = "Not authenticated" if isinstance(exc, exceptions.NotAuthenticated) else (
            _detail_text(exc.detail)
        )
        return Response(
            {"detail": detail},
            status=status.HTTP_401_UNAUTHORIZED,
            headers={"WWW-Authenticate": BEARER_CHALLENGE},
        )
    if isinstance(exc, exceptions.Throttled):
        return Response(
            {"detail": "Rate limit exceeded"},
            status=status.HTTP_429_TOO_MANY_REQUESTS,
            headers={"Retry-After": str(int(exc.wait or 1))},
        )
    if isinstance(exc, exceptions.APIException):
        headers = {}
        if isinstance(exc, exceptions.MethodNotAllowed):
            view = context.get("view")
            if view is not None:
                headers["Allow"] = ", ".join(view.allowed_methods)
        return Response({"detail": _detail_text(exc.detail)}, status=exc.status_code, headers=headers)
    return None  # unexpected: Django logs it and handler500 answers with a JSON 500
