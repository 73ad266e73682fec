"""Ops endpoints and the JSON answers for errors raised outside DRF views."""

from __future__ import annotations

import ipaddress
import logging
import uuid
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema, inline_serializer
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from evently import metrics
from evently.api.parsers import IgnoreAcceptNegotiation
from evently.client_ip import client_ip

logger = logging.getLogger(__name__)


class _DocumentView(APIView):
    """A public document (the schema, the docs page) in its own media type, whatever the
    client's `Accept` says (never a 406); the Authorization header is not read (a stale
    token is no 401 here). Every answer other than the document itself (OPTIONS' metadata,
    a 405) is plain JSON: the page's template renderer made OPTIONS a 500 and a 405 a
    plain-text page, and the schema's renderer labelled errors as an OpenAPI document."""

    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []
    content_negotiation_class = IgnoreAcceptNegotiation

    def finalize_response(self, request: Request, response: HttpResponse, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, Response) and (request.method not in ("GET", "HEAD") or response.status_code >= 400):
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        return response


class OpenAPIView(_DocumentView, SpectacularJSONAPIView):
    """GET /openapi.json: the schema."""


class SwaggerView(_DocumentView, SpectacularSwaggerView):
    """GET /docs: the Swagger UI page."""


def json_method_not_allowed(allow: str = "GET, HEAD") -> JsonResponse:
    """The JSON 405 of the routes outside DRF, with their `Allow`."""
    response = JsonResponse({"detail": "Method not allowed"}, status=405)
    response["Allow"] = allow
    return response


METRICS_FORBIDDEN = "Metrics are not available to this address"


def metrics_allowed(request: HttpRequest) -> bool:
    """Whether the client may read /metrics (METRICS_ALLOWED_NETWORKS; empty: anyone)."""
    networks = settings.METRICS_ALLOWED_NETWORKS
    if not networks:
        return True
    address = ipaddress.ip_address(client_ip(request))
    return any(address in network for network in networks)


@csrf_exempt  # it changes nothing: any other method is the JSON 405, not CSRF's HTML 403
def metrics_view(request: HttpRequest) -> HttpResponse:
    """GET /metrics: the counters of this host's workers and the scrape-time gauges
    (`evently.metrics.exposition`); other methods 405. With METRICS_ALLOWED_NETWORKS set,
    a client outside them gets 403 (the counters tell, for one, whether a password reset
    went to an existing account)."""
    if request.method not in ("GET", "HEAD"):
        return json_method_not_allowed()
    if not metrics_allowed(request):
        return JsonResponse({"detail": METRICS_FORBIDDEN}, status=403)
    body, content_type = metrics.exposition()
    return HttpResponse(body, content_type=content_type)


class HealthView(APIView):
    """Liveness: the process answers. Touches neither database nor cache."""

    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []

    @extend_schema(
        summary="Is the service up",
        description="Anyone: 200 `{\"status\": \"ok\"}` as long as the process answers. "
        "It checks neither the database nor the cache (that is `/readyz`), so a load balancer "
        "restarts only processes that are truly stuck.",
        responses=inline_serializer("Health", {"status": serializers.CharField()}),
        tags=["ops"],
    )
    def get(self, request: Request) -> Response:
        return Response({"status": "ok"})


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
        logger.warning("readyz: database check failed: %s", exc)
        return "unavailable"
    return "ok"


def cache_status() -> str:
    """Ping the cache for real: django-redis hides errors in normal use (fail-soft)."""
    try:
        client = getattr(cache, "client", None)
        if client is not None and hasattr(client, "get_client"):
            client.get_client(write=True).ping()
        else:
            probe = f"readyz:{uuid.uuid4().hex}"
            cache.set(probe, "1", 5)
            if cache.get(probe) != "1":
                return "unavailable"
            cache.delete(probe)
    except Exception as exc:  # noqa: BLE001
        logger.warning("readyz: cache check failed: %s", exc)
        return "unavailable"
    return "ok"


class ReadyView(APIView):
    """Readiness: the database and the cache both answer."""

    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []

    @extend_schema(
        summary="Can the service serve requests",
        description="Anyone: 200 when both the database and the cache answer; 503 naming the "
        "part that does not (`database` or `cache` is `unavailable`), so a load balancer "
        "sends traffic elsewhere until it recovers.",
        responses={
            200: inline_serializer(
                "Ready",
                {
                    "status": serializers.CharField(),
                    "database": serializers.CharField(),
                    "cache": serializers.CharField(),
                },
            ),
            503: inline_serializer(
                "NotReady",
                {
                    "status": serializers.CharField(),
                    "database": serializers.CharField(),
                    "cache": serializers.CharField(),
                    "detail": serializers.CharField(),
                },
            ),
        },
        tags=["ops"],
    )
    def get(self, request: Request) -> Response:
        parts = {"database": database_status(), "cache": cache_status()}
        failing = [name for name, state in parts.items() if state != "ok"]
        if failing:
            return Response(
                {"status": "unavailable", **parts, "detail": f"Unavailable: {', '.join(failing)}"},
                status=503,
            )
        return Response({"status": "ok", **parts})


def json_not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return JsonResponse({"detail": "Not found"}, status=404)


def json_server_error(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"detail": "Internal server error"}, status=500)


def json_bad_request(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return JsonResponse({"detail": "Bad request"}, status=400)


def json_permission_denied(
    request: HttpRequest, exception: Exception | None = None
) -> JsonResponse:
    return JsonResponse({"detail": "Forbidden"}, status=403)
