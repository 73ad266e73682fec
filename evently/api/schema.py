"""OpenAPI helpers: the contract's error bodies, declared once."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
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
    411: "A body sent without Content-Length (chunked) is not accepted",
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


class EventlyAutoSchema(AutoSchema):
    """Documents, on every operation that takes a body, the errors any body can meet before
    the view runs: 400 malformed JSON, 411 chunked body without a length, 413 too large,
    415 not JSON."""

    _BODY_ERRORS = (400, 411, 413, 415)

    def _get_response_bodies(self, direction: str = "response") -> dict:
        responses = super()._get_response_bodies(direction)
        if direction == "response" and self.method in ("POST", "PUT", "PATCH"):
            for code in self._BODY_ERRORS:
                if str(code) not in responses:
                    responses[str(code)] = self._get_response_for_code(
                        error_responses(code)[code], str(code), direction=direction
                    )
        return responses
