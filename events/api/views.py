from __future__ import annotations

import hashlib
import json
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from django.utils import timezone
from rest_framework.response import Response

from events import selectors, services
from events.api.filters import EventFilter
from events.api.serializers import (
    EventInputSerializer,
    EventOutputSerializer,
    SeatGenerateInputSerializer,
    SeatGenerateOutputSerializer,
    SeatListQuerySerializer,
    SeatOutputSerializer,
)
from events.models import Event
from evently.api.base import (
    AdminViewSet,
    PublicViewSet,
    admin_rate_limited,
    validated,
    validated_list_query,
)
from evently.api.pagination import PagePagination
from evently.api.schema import error_responses
from evently.cache import CATALOGUE, cached


@extend_schema_view(
    # Operation ids as before the ViewSets (generated clients use them).
    list=extend_schema(
        operation_id="events_retrieve",
        responses={200: EventOutputSerializer(many=True), **error_responses(422)},
    ),
    retrieve=extend_schema(
        operation_id="events_retrieve_2",
        responses={200: EventOutputSerializer, **error_responses(404)},
    ),
)
@extend_schema(tags=["events"])
class EventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PublicViewSet):
    """GET /events (filtered, paginated, cached), GET /events/{id}, GET /events/{id}/seats."""

    queryset = Event.objects.all()
    serializer_class = EventOutputSerializer
    pagination_class = PagePagination
    filterset_class = EventFilter
    lookup_url_kwarg = "event_id"

    def list(self, request: Request) -> Response:
        # Validate everything first (422 for any bad parameter), then serve the page from the
        # catalogue cache: one key per distinct validated query, under the generation every
        # committed change of events and bookings bumps (evently/cache.py).
        filterset = validated_list_query(self, request)
        paginator = self.paginator
        page, page_size = paginator.validated_params(request)
        variant = hashlib.sha256(
            json.dumps([filterset.form.cleaned_data, page, page_size], sort_keys=True, default=str).encode()
        ).hexdigest()[:40]

        # A page also depends on the clock: `sale_state` turns "ended" and `when=` moves an
        # event from upcoming to past when its end_time passes, with no write to invalidate
        # anything. So each entry carries the moment it stops being true (the earliest end of
        # any running event, seen when it was computed) and is recomputed after it.
        def render() -> dict[str, Any]:
            next_end = selectors.next_end_after(now=timezone.now())
            items = paginator.paginate_queryset(filterset.qs, request, view=self)
            body = paginator.paginated_body(self.get_serializer(items, many=True).data)
            return {"body": body, "fresh_until": next_end.timestamp() if next_end else None}

        entry, hit = cached(CATALOGUE, "events_page", render, variant=variant)
        if hit and not _still_fresh(entry):
            entry, _hit = cached(CATALOGUE, "events_page", render, variant=variant, refresh=True)
        return Response(entry["body"])

    def retrieve(self, request: Request, event_id: int) -> Response:
        return Response(self.get_serializer(selectors.event_get(event_id=event_id)).data)

    @extend_schema(
        parameters=[OpenApiParameter("available", bool, description="only free seats")],
        responses={200: SeatOutputSerializer(many=True), **error_responses(404, 422)},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def seats(self, request: Request, event_id: int) -> Response:
        query = validated(SeatListQuerySerializer, request.query_params)
        seats = selectors.seat_list(event_id=event_id, available_only=query["available"])
        return Response(SeatOutputSerializer(seats, many=True).data)


def _still_fresh(entry: dict[str, Any]) -> bool:
    """A cached catalogue entry may be served until its `fresh_until` (epoch seconds)."""
    if "fresh_until" not in entry:  # written by an older release: recompute
        return False
    return entry["fresh_until"] is None or timezone.now().timestamp() < entry["fresh_until"]


@extend_schema(tags=["admin: events"])
class AdminEventViewSet(AdminViewSet):
    """POST /admin/events, PATCH and DELETE /admin/events/{id}, and the verbs deactivate and
    seats/generate. Every one is a mutation: RATELIMIT_ADMIN per user."""

    lookup_url_kwarg = "event_id"
    serializer_class = EventOutputSerializer

    @extend_schema(
        request=EventInputSerializer,
        responses={200: EventOutputSerializer, **error_responses(401, 403, 422, 429)},
    )
    @admin_rate_limited
    def create(self, request: Request) -> Response:
        data = validated(EventInputSerializer, request.data)
        return Response(EventOutputSerializer(services.event_create(**data)).data)

    @extend_schema(
        request=EventInputSerializer(partial=True),
        responses={200: EventOutputSerializer, **error_responses(401, 403, 404, 409, 422, 429, 503)},
    )
    @admin_rate_limited
    def partial_update(self, request: Request, event_id: int) -> Response:
        changes = validated(EventInputSerializer, request.data, partial=True)
        return Response(EventOutputSerializer(services.event_update(event_id=event_id, **changes)).data)

    @extend_schema(responses={204: None, **error_responses(401, 403, 404, 409, 429, 503)})
    @admin_rate_limited
    def destroy(self, request: Request, event_id: int) -> Response:
        services.event_delete(event_id=event_id)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=None,
        responses={200: EventOutputSerializer, **error_responses(401, 403, 404, 429, 503)},
    )
    @action(detail=True, methods=["post"])
    @admin_rate_limited
    def deactivate(self, request: Request, event_id: int) -> Response:
        return Response(EventOutputSerializer(services.event_deactivate(event_id=event_id)).data)

    @extend_schema(
        request=SeatGenerateInputSerializer,
        responses={200: SeatGenerateOutputSerializer, **error_responses(401, 403, 404, 409, 422, 429, 503)},
    )
    @action(detail=True, methods=["post"], url_path="seats/generate")
    @admin_rate_limited
    def generate_seats(self, request: Request, event_id: int) -> Response:
        data = validated(SeatGenerateInputSerializer, request.data)
        event, created = services.seat_map_generate(event_id=event_id, rows=data["rows"], cols=data["cols"])
        return Response(SeatGenerateOutputSerializer({"created": created, "capacity": event.capacity}).data)
