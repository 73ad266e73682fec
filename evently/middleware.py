"""Project middleware."""

from __future__ import annotations

import logging
from typing import Any, Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.gzip import GZipMiddleware
from django_prometheus.middleware import PrometheusAfterMiddleware

logger = logging.getLogger(__name__)


class HeadBodyRemovalMiddleware:
    """A HEAD request gets the GET's status and headers (its Content-Length included) and no
    body (RFC 9110 section 9.3.2).

    Django's views answer HEAD as GET; runserver and the test client drop the body, gunicorn
    drops it too but logs a warning for every such response. Outermost of ours, so every
    answer (middleware short-circuits included) is covered; a streamed body (the CSV export)
    is never generated.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method == "HEAD":
            if response.streaming:
                # The generator is never run; its close() stays registered for the server.
                response.streaming_content = []
            else:
                response.content = b""
        return response


class ProbeMiddleware:
    """`/healthz` and `/readyz` answer whatever `Host` the caller sends.

    Container health checks (`docker-compose.yml`, the Dockerfile's HEALTHCHECK) and load
    balancers probe by address (`127.0.0.1:8000`, a pod's IP), which a production
    ALLOWED_HOSTS of domain names refuses with 400: the API container would never turn
    healthy and Compose would never start the worker. These two answers build no URL and
    set no cookie, the things a forged Host could poison, so they are served here, before
    any middleware that validates the Host, by their own views (methods, 405s and bodies as
    routed)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        from evently.api.views import HealthView, ReadyView

        self.get_response = get_response
        self.probes = {"/healthz": HealthView.as_view(), "/readyz": ReadyView.as_view()}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = self.probes.get(request.path_info)
        if probe is None:
            return self.get_response(request)
        response = probe(request)
        return response.render() if hasattr(response, "render") else response


def body_refusal(content_length: str, transfer_encoding: str) -> tuple[int, str] | None:
    """The answer to a request whose body is refused before anything reads it, from its
    `Content-Length` and `Transfer-Encoding` headers (as sent, "" when absent): (411, detail)
    for a chunked body without a length, (400, detail) for a length that is not a number,
    (413, detail) for one over REQUEST_BODY_MAX_BYTES; None when the body may be read. The
    one rule for RequestBodyLimitMiddleware and for gunicorn's `pre_request` hook
    (evently.gunicorn_keepalive), which closes the connection of a refused body (gunicorn
    itself refuses a bad Content-Length first, so the 400 is the middleware's alone)."""
    if not content_length and "chunked" in transfer_encoding.lower():
        # Django reads CONTENT_LENGTH bytes: a chunked body would silently read as empty.
        return 411, "Length Required: send the body with a Content-Length header"
    try:
        length = int(content_length or "0")
    except ValueError:
        return 400, "Invalid Content-Length header"
    limit = settings.REQUEST_BODY_MAX_BYTES
    if length > limit:
        return 413, f"Request body too large (limit {limit} bytes)"
    return None


class RequestBodyLimitMiddleware:
    """Refuse bodies larger than REQUEST_BODY_MAX_BYTES with 413 (and chunked bodies without
    a length with 411) before anything reads them (`body_refusal`).

    DRF parses JSON from the raw stream, so Django's DATA_UPLOAD_MAX_MEMORY_SIZE alone would
    not cap API bodies.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = body_refusal(
            request.META.get("CONTENT_LENGTH") or "", request.META.get("HTTP_TRANSFER_ENCODING", "")
        )
        if refusal is not None:
            status, detail = refusal
            return JsonResponse({"detail": detail}, status=status)
        return self.get_response(request)


DATABASE_UNAVAILABLE = "Service unavailable, retry"
DATABASE_RETRY_AFTER_SECONDS = 5


class DatabaseUnavailableMiddleware:
    """Database unreachable → 503 `{"detail": "Service unavailable, retry"}` + Retry-After,
    on every endpoint (API.md), never a 500.

    `process_exception` sees what a view raises, DRF views included (the API's exception
    handler leaves unknown exceptions to Django), so an authenticated request whose user
    lookup fails is covered too. Lock timeouts are not here: the services turn those into
    their own 503 ("busy") first.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        except (OperationalError, InterfaceError) as exc:  # raised by a middleware below us
            return self.unavailable(exc)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, (OperationalError, InterfaceError)):
            return self.unavailable(exception)
        return None

    @staticmethod
    def unavailable(exc: Exception) -> HttpResponse:
        logger.warning("database unavailable: %s", exc)
        response = JsonResponse({"detail": DATABASE_UNAVAILABLE}, status=503)
        response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
        return response


class JsonGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, for JSON answers only (a 5,000-seat map is ~450 KB of JSON, a
    tenth of that compressed) when the client sends `Accept-Encoding: gzip`.

    HTML pages are left alone: the staff console's pages carry CSRF tokens next to
    user-controlled text, the case BREACH exploits. The JSON bodies carry no secret a
    third party could make the server reflect (an access token is only in the login answer,
    which reflects nothing of the request)."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if not response.get("Content-Type", "").startswith("application/json"):
            return response
        return super().process_response(request, response)


class BoundedPrometheusAfterMiddleware(PrometheusAfterMiddleware):
    """django-prometheus's after-middleware, with every `method` label one of the HTTP
    methods (anything else is `<invalid method>`, as the library itself does for most of its
    metrics but not for the latency histogram by view and method). Otherwise each made-up
    method a client sends adds a series per latency bucket: /metrics, and the memory behind
    it, would grow without bound."""

    def label_metric(
        self, metric: Any, request: HttpRequest, response: HttpResponse | None = None, **labels: str
    ) -> Any:
        if "method" in labels:
            labels["method"] = self._method(request)
        return super().label_metric(metric, request, response, **labels)
