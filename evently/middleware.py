"""Project middleware."""

from __future__ import annotations

from typing import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse


class RequestBodyLimitMiddleware:
    """Refuse bodies larger than REQUEST_BODY_MAX_BYTES with 413 (and chunked bodies without
    a length with 411) before anything reads them.

    DRF parses JSON from the raw stream, so Django's DATA_UPLOAD_MAX_MEMORY_SIZE alone would
    not cap API bodies.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.REQUEST_BODY_MAX_BYTES
        if not request.META.get("CONTENT_LENGTH") and "chunked" in request.META.get(
            "HTTP_TRANSFER_ENCODING", ""
        ).lower():
            # Django reads CONTENT_LENGTH bytes: a chunked body would silently read as empty.
            return JsonResponse(
                {"detail": "Length Required: send the body with a Content-Length header"},
                status=411,
            )
        raw_length = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(raw_length)
        except ValueError:
            return JsonResponse({"detail": "Invalid Content-Length header"}, status=400)
        if length > limit:
            return JsonResponse(
                {"detail": f"Request body too large (limit {limit} bytes)"}, status=413
            )
        return self.get_response(request)
