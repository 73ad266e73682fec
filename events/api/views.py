from __future__ import annotations

import hashlib
import json
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from evently.cache import CATALOGUE, cached
from events import selectors, services
from events.api.serializers import (
    EventInputSerializer,
    EventListOutputSerializer,
    EventListQuerySerializer,
    EventOutputSerializer,
    SeatGenerateInputSerializer,
    SeatGenerateOutputSerializer,
    SeatListQuerySerializer,
    SeatOutputSerializer,
)
from evently.api.base import AdminAPIView, PublicAPIView, validated
from evently.api.schema import error_responses

EVENT_LIST_PARAMETERS = [
    OpenApiParameter("page", int, description="≥ 1 (default 1)"),
    OpenApiParameter("page_size", int, description="1–100 (default 10)"),
    OpenApiParameter("q", str, description="case-insensitive substring of name or venue"),
    OpenApiParameter("venue", str, description="exact venue"),
    OpenApiParameter("status", str, enum=["active", "inactive"]),
    OpenApiParameter("date_from", str, description="ISO 8601 date or datetime; inclusive"),
    OpenApiParameter("date_to", str, description="ISO 8601 date (whole day) or datetime; inclusive"),
    OpenApiParameter("sort", str, enum=["start_time", "name", "utilization"]),
    OpenApiParameter("order", str, enum=["asc", "desc"]),
]


class EventListView(PublicAPIView):
    @extend_schema(
        parameters=EVENT_LIST_PARAMETERS,
        responses={200: EventListOutputSerializer, **error_responses(422)},
        tags=["events"],
    )
    def get(self, request: Request) -> Response:
        query = validated(EventListQuerySerializer, request.query_params)
        # Pages are cached under the generation that every change of events and bookings
        # bumps after commit (evently/cache.py), so a page is never staler than the last
        # committed change; one key per distinct (validated) query.
        variant = hashlib.sha256(json.dumps(query, sort_keys=True, default=str).encode()).hexdigest()
        body, _hit = cached(CATALOGUE, "events_page", lambda: _event_page(query), variant=variant[:40])
        return Response(body)


def _event_page(query: dict[str, Any]) -> dict[str, Any]:
    date_to = query.get("date_to")
    events = selectors.event_list(
        q=query.get("q") or None,
        venue=query.get("venue") or None,
        status=query.get("status"),
        date_from=query["date_from"][0] if "date_from" in query else None,
        date_to=date_to[0] if date_to else None,
        date_to_exclusive=bool(date_to and date_to[1]),
        sort=query["sort"],
        order=query["order"],
    )
    page, page_size = query["page"], query["page_size"]
    total = events.count()
    offset = (page - 1) * page_size
    items = list(events[offset : offset + page_size]) if offset < total else []
    return {
        "items": EventOutputSerializer(items, many=True).data,
        "meta": {"page": page, "page_size": page_size, "total": total},
    }


class EventDetailView(PublicAPIView):
    @extend_schema(responses={200: EventOutputSerializer, **error_responses(404)}, tags=["events"])
    def get(self, request: Request, event_id: int) -> Response:
        return Response(EventOutputSerializer(selectors.event_get(event_id=event_id)).data)


class EventSeatListView(PublicAPIView):
    @extend_schema(
        parameters=[OpenApiParameter("available", bool, description="only free seats")],
        responses={200: SeatOutputSerializer(many=True), **error_responses(404, 422)},
        tags=["events"],
    )
    def get(self, request: Request, event_id: int) -> Response:
        query = validated(SeatListQuerySerializer, request.query_params)
        seats = selectors.seat_list(event_id=event_id, available_only=query["available"])
        return Response(SeatOutputSerializer(seats, many=True).data)


class AdminEventCreateView(AdminAPIView):
    @extend_schema(
        request=EventInputSerializer,
        responses={200: EventOutputSerializer, **error_responses(401, 403, 422, 429)},
        tags=["admin: events"],
    )
    def post(self, request: Request) -> Response:
        data = validated(EventInputSerializer, request.data)
        event = services.event_create(**data)
        return Response(EventOutputSerializer(event).data)


class AdminEventDetailView(AdminAPIView):
    @extend_schema(
        request=EventInputSerializer(partial=True),
        responses={200: EventOutputSerializer, **error_responses(401, 403, 404, 409, 422, 429, 503)},
        tags=["admin: events"],
    )
    def patch(self, request: Request, event_id: int) -> Response:
        changes = validated(EventInputSerializer, request.data, partial=True)
        event = services.event_update(event_id=event_id, **changes)
        return Response(EventOutputSerializer(event).data)

    @extend_schema(
        responses={204: None, **error_responses(401, 403, 404, 409, 429, 503)},
        tags=["admin: events"],
    )
    def delete(self, request: Request, event_id: int) -> Response:
        services.event_delete(event_id=event_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AdminEventDeactivateView(AdminAPIView):
    @extend_schema(
        request=None,
        responses={200: EventOutputSerializer, **error_responses(401, 403, 404, 429, 503)},
        tags=["admin: events"],
    )
    def post(self, request: Request, event_id: int) -> Response:
        return Response(EventOutputSerializer(services.event_deactivate(event_id=event_id)).data)


class AdminSeatGenerateView(AdminAPIView):
    @extend_schema(
        request=SeatGenerateInputSerializer,
        responses={200: SeatGenerateOutputSerializer, **error_responses(401, 403, 404, 409, 422, 429, 503)},
        tags=["admin: events"],
    )
    def post(self, request: Request, event_id: int) -> Response:
        data = validated(SeatGenerateInputSerializer, request.data)
        event, created = services.seat_map_generate(event_id=event_id, rows=data["rows"], cols=data["cols"])
        return Response({"created": created, "capacity": event.capacity})
