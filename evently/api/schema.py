"""OpenAPI helpers: the contract's error bodies, declared once."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

ErrorSerializer = inline_serializer("Error", {"detail": serializers.CharField()})
ValidationErrorSerializer = inline_serializer(
    "ValidationError",
    {
        "detail": serializers.CharField(),
        "errors": serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
    },
)

_DESCRIPTIONS = {
    400: "Bad request (malformed JSON, or a rule the contract answers with 400)",
    401: "Missing, invalid or expired token",
    403: "Authenticated but not allowed",
    404: "Not found",
    409: "Conflict with the current state",
    413: "Request body too large",
    415: "Unsupported media type",
    422: "Validation error",
    429: "Rate limit exceeded",
    503: "Busy or unavailable; retry after `Retry-After` seconds",
}


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    return {
        code: OpenApiResponse(
            response=ValidationErrorSerializer if code == 422 else ErrorSerializer,
            description=_DESCRIPTIONS.get(code, "Error"),
        )
        for code in codes
    }
