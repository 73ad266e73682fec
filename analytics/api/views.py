from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from analytics import selectors
from analytics.api.serializers import HomepageSerializer, RefreshQuerySerializer, SummarySerializer
from evently.cache import ANALYTICS, cached
from evently.api.base import AdminAPIView, PublicAPIView, validated
from evently.api.schema import error_responses


def _cached_response(name: str, compute, *, refresh: bool = False) -> Response:  # noqa: ANN001
    body, hit = cached(ANALYTICS, name, compute, refresh=refresh)
    return Response(body, headers={"X-Cache": "HIT" if hit else "MISS"})


class AnalyticsSummaryView(AdminAPIView):
    @extend_schema(
        parameters=[OpenApiParameter("refresh", str, enum=["1", "true"], description="recompute and re-cache")],
        responses={200: SummarySerializer, **error_responses(401, 403, 422)},
        tags=["admin: analytics"],
    )
    def get(self, request: Request) -> Response:
        query = validated(RefreshQuerySerializer, request.query_params)
        return _cached_response("summary", selectors.analytics_summary, refresh=query["refresh"])


class HomepageStatsView(PublicAPIView):
    @extend_schema(responses={200: HomepageSerializer}, tags=["stats"])
    def get(self, request: Request) -> Response:
        return _cached_response("homepage", selectors.homepage_stats)
