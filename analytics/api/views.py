from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from analytics import selectors
from analytics.api.serializers import HomepageSerializer, RefreshQuerySerializer, SummarySerializer
from evently.api.base import AdminViewSet, PublicViewSet, validated
from evently.api.schema import error_responses, parameter_examples
from evently.cache import ANALYTICS, cached


def _cached_response(
    name: str, compute: Callable[[], Any], serializer_class: type[serializers.Serializer], *, refresh: bool = False
) -> Response:
    """The body rendered by `serializer_class` from the selector's data, cached whole (so a
    repeat call returns the identical body, same `generated_at`)."""
    body, hit = cached(ANALYTICS, name, lambda: serializer_class(compute()).data, refresh=refresh)
    return Response(body, headers={"X-Cache": "HIT" if hit else "MISS"})


@extend_schema(tags=["analytics"])
class AnalyticsViewSet(AdminViewSet):
    """GET /admin/analytics/summary."""

    @extend_schema(
        summary="Sales figures across events",
        description=(
            "Admins only: totals (events, capacity, booked, waitlisted, cancelled, checked in), "
            "every event's figures (up to 100, by start time), the five best sellers, and "
            "bookings and cancellations per UTC day for the last 7 days. The figures are "
            "computed at `generated_at` and kept for a minute by default (`X-Cache: HIT`), "
            "or sooner when anything changes; `refresh=1` recomputes them now.\n\n"
            "Errors: 401; 403 for other roles; 422 for an invalid `refresh`."
        ),
        extensions=parameter_examples(refresh="1"),
        parameters=[OpenApiParameter("refresh", str, enum=["1", "true"], description="recompute and re-cache")],
        responses={200: SummarySerializer, **error_responses(401, 403, 422)},
    )
    @action(detail=False, methods=["get"])
    def summary(self, request: Request) -> Response:
        query = validated(RefreshQuerySerializer, request.query_params)
        return _cached_response("summary", selectors.analytics_summary, SummarySerializer, refresh=query["refresh"])


@extend_schema(tags=["stats"])
class StatsViewSet(PublicViewSet):
    """GET /stats/homepage (public)."""

    @extend_schema(
        summary="Figures for the home page",
        description="Anyone, no token needed: how many events there are, tickets sold, "
        "customers (people holding a confirmed booking) and distinct venues.",
        responses={200: HomepageSerializer},
    )
    @action(detail=False, methods=["get"])
    def homepage(self, request: Request) -> Response:
        return _cached_response("homepage", selectors.homepage_stats, HomepageSerializer)
