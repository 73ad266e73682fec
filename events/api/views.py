from __future__ import annotations

import hashlib
import json
from typing import Any

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
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
    rendered,
    unused_body_checked,
    validated,
    validated_list_query,
)
from evently.api.pagination import PagePagination
from evently.api.schema import error_responses, parameter_examples
from evently.cache import CATALOGUE, cached

# The request examples' events fall in June of next year (as of the process's start), so
# Swagger UI's "Try it out" creates an event still to come, whatever the year.
EXAMPLE_YEAR = timezone.now().year + 1


@extend_schema_view(
    # Operation ids as before the ViewSets (generated clients use them).
    list=extend_schema(
        operation_id="events_retrieve",
        summary="Find events",
        description=(
            "Anyone, no token needed: one page of events, filtered and sorted as asked. "
            "`when=upcoming` hides events that have ended; `sale_state` on each event says "
            "whether it can be booked. A page past the end is empty, never an error.\n\n"
            "Errors: 422 naming every invalid parameter."
        ),
        responses={200: EventOutputSerializer(many=True), **error_responses(422)},
        extensions=parameter_examples(q="jazz", when="upcoming"),
    ),
    retrieve=extend_schema(
        operation_id="events_retrieve_2",
        summary="Get an event",
        description="Anyone, no token needed: one event with its live figures "
        "(`available`, `utilization_pct`, `sale_state`).\n\nErrors: 404 `Event not found`.",
        responses={200: EventOutputSerializer, **error_responses(404)},
        extensions=parameter_examples(event_id=1),
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
        # Served from the catalogue cache: one key per query as sent (`_query_variant`),
        # under the generation every committed change of events and bookings bumps
        # (evently/cache.py). A hit needs no validation: only what `render` returned is
        # stored, and it validates everything first (one 422 naming every bad parameter),
        # so a query that is not valid is never stored and misses every time.
        paginator = self.paginator

        # A page also depends on the clock: `sale_state` turns "ended" and `when=` moves an
        # event from upcoming to past when its end_time passes, with no write to invalidate
        # anything. So each entry carries the moment it stops being true (the earliest end of
        # any running event, seen when it was computed) and is recomputed after it.
        def render() -> dict[str, Any]:
            filterset = validated_list_query(self, request)
            next_end = selectors.next_end_after(now=timezone.now())
            items = paginator.paginate_queryset(filterset.qs, request, view=self)
            body = paginator.paginated_body(self.get_serializer(items, many=True).data)
            return {"body": body, "fresh_until": next_end.timestamp() if next_end else None}

        variant = _query_variant(request)
        entry, hit = cached(CATALOGUE, "events_page", render, variant=variant)
        if hit and not _still_fresh(entry):
            entry, _hit = cached(CATALOGUE, "events_page", render, variant=variant, refresh=True)
        return Response(entry["body"])

    def retrieve(self, request: Request, event_id: int) -> Response:
        return Response(rendered(self.get_serializer_class(), selectors.event_get(event_id=event_id)))

    @extend_schema(
        tags=["seats"],
        summary="Get an event's seat map",
        description=(
            "Anyone, no token needed: the event's seats in natural order (row `B` before "
            "`AA`, seat 2 before seat 10), each saying whether it is `reserved`; "
            "`available=true` lists only free ones. An event without a seat map gives an "
            "empty list (its first booking creates one).\n\n"
            "Errors: 404 `Event not found`; 422 for an invalid `available`."
        ),
        parameters=[OpenApiParameter("available", bool, description="only free seats")],
        responses={200: SeatOutputSerializer(many=True), **error_responses(404, 422)},
        extensions=parameter_examples(event_id=1, available=True),
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def seats(self, request: Request, event_id: int) -> Response:
        query = validated(SeatListQuerySerializer, request.query_params)
        seats = selectors.seat_list(event_id=event_id, available_only=query["available"])
        return Response(SeatOutputSerializer(seats, many=True).data)


# The query parameters the list reads: its filters and the paginator's.
_LIST_PARAMETERS = frozenset(EventFilter.base_filters) | {
    PagePagination.page_query_param, PagePagination.page_size_query_param,
}


def _query_variant(request: Request) -> str:
    """The cache variant of a list request: a digest of the parameters it reads, as sent,
    every value of each (the last one wins), sorted by name (their order in the URL changes
    nothing). Any other parameter (`_=<timestamp>`, `utm_*`) changes neither the page nor
    whether the query is valid, so it shares the entry."""
    query = sorted(
        (name, values) for name, values in request.query_params.lists() if name in _LIST_PARAMETERS
    )
    return hashlib.sha256(json.dumps(query).encode()).hexdigest()[:40]


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
        summary="Create an event",
        description=(
            "Admins only: a new event, active and on sale at once with nothing booked. Times "
            "may carry an offset or `Z`; `timezone` (an IANA name, default `UTC`) is the zone "
            "the event is shown in. It gets a seat map with `seats/generate`, or a grid of 10 "
            "per row on its first booking.\n\n"
            "Errors: 401; 403 for other roles; 422 for an empty or overlong name or venue, an "
            "end not after the start, a capacity below 1 or above the maximum, or an unknown "
            "zone; 429."
        ),
        request=EventInputSerializer,
        responses={200: EventOutputSerializer, **error_responses(401, 403, 422, 429)},
        examples=[
            OpenApiExample(
                "A concert in Berlin",
                value={
                    "name": "Jazz Night", "venue": "Blue Note Berlin",
                    "start_time": f"{EXAMPLE_YEAR}-06-01T20:00:00+02:00",
                    "end_time": f"{EXAMPLE_YEAR}-06-01T23:00:00+02:00",
                    "capacity": 100, "timezone": "Europe/Berlin",
                },
                request_only=True,
            )
        ],
    )
    @admin_rate_limited
    def create(self, request: Request) -> Response:
        data = validated(EventInputSerializer, request.data)
        return Response(rendered(EventOutputSerializer, services.event_create(**data)))

    @extend_schema(
        summary="Change an event",
        description=(
            "Admins only: change any of name, venue, times, zone, capacity and `status` "
            "(`active`/`inactive`). A seat map follows the new capacity (free seats removed "
            "from the end, new ones added to the grid). More capacity, or reactivation, "
            "confirms people from the waitlist in order. Holders hear of a new time or venue.\n\n"
            "Errors: 401; 403; 404 `Event not found`; 409 when the capacity would drop below "
            "the seats booked; 422 as for creating; 429; 503 when the event is busy (retry)."
        ),
        request=EventInputSerializer(partial=True),
        responses={200: EventOutputSerializer, **error_responses(401, 403, 404, 409, 422, 429, 503)},
        examples=[
            OpenApiExample("More seats", value={"capacity": 120}, request_only=True),
            OpenApiExample(
                "Start half an hour earlier",
                value={
                    "start_time": f"{EXAMPLE_YEAR}-06-01T19:30:00+02:00",
                    "end_time": f"{EXAMPLE_YEAR}-06-01T23:00:00+02:00",
                },
                request_only=True,
            ),
        ],
        extensions=parameter_examples(event_id=1),
    )
    @admin_rate_limited
    def partial_update(self, request: Request, event_id: int) -> Response:
        changes = validated(EventInputSerializer, request.data, partial=True)
        return Response(rendered(EventOutputSerializer, services.event_update(event_id=event_id, **changes)))

    @extend_schema(
        summary="Delete an event",
        description=(
            "Admins only: delete an event nobody has ever booked. An event with any booking "
            "(even cancelled ones) is kept for the record: deactivate it instead.\n\n"
            "Errors: 401; 403; 404 `Event not found`; 409 when it has bookings; 429; 503 busy."
        ),
        responses={204: None, **error_responses(401, 403, 404, 409, 429, 503)},
        extensions=parameter_examples(event_id=2),
    )
    @admin_rate_limited
    def destroy(self, request: Request, event_id: int) -> Response:
        unused_body_checked(request)
        services.event_delete(event_id=event_id)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Stop sales for an event",
        description=(
            "Admins only: the event becomes `inactive`: nobody can book it, existing bookings "
            "stay (and may still be cancelled), and the waitlist waits. Set `status` back to "
            "`active` with PATCH to reopen it.\n\n"
            "Errors: 401; 403; 404 `Event not found`; 429; 503 busy."
        ),
        request=None,
        responses={200: EventOutputSerializer, **error_responses(401, 403, 404, 429, 503)},
        extensions=parameter_examples(event_id=1),
    )
    @action(detail=True, methods=["post"])
    @admin_rate_limited
    def deactivate(self, request: Request, event_id: int) -> Response:
        unused_body_checked(request)
        return Response(rendered(EventOutputSerializer, services.event_deactivate(event_id=event_id)))

    @extend_schema(
        summary="Give an event a seat map",
        description=(
            "Admins only: create a grid of `rows` × `cols` seats labelled `A-1`, `A-2`, … "
            "(rows run `A`…`Z`, then `AA`, `AB`, …). The event's capacity becomes rows × cols.\n\n"
            "Errors: 401; 403; 404 `Event not found`; 409 when it already has seats or the "
            "grid is smaller than the seats booked; 422 for rows outside 1–702, cols outside "
            "1–500, or more seats than the maximum capacity; 429; 503 busy."
        ),
        request=SeatGenerateInputSerializer,
        responses={200: SeatGenerateOutputSerializer, **error_responses(401, 403, 404, 409, 422, 429, 503)},
        examples=[OpenApiExample("5 rows of 10", value={"rows": 5, "cols": 10}, request_only=True)],
        extensions=parameter_examples(event_id=2),
    )
    @action(detail=True, methods=["post"], url_path="seats/generate")
    @admin_rate_limited
    def generate_seats(self, request: Request, event_id: int) -> Response:
        data = validated(SeatGenerateInputSerializer, request.data)
        event, created = services.seat_map_generate(event_id=event_id, rows=data["rows"], cols=data["cols"])
        return Response(rendered(SeatGenerateOutputSerializer, {"created": created, "capacity": event.capacity}))
