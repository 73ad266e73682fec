from __future__ import annotations

import segno
from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.exceptions import ParseError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from bookings import selectors, services, tickets
from bookings.api.filters import AdminBookingFilter
from bookings.api.serializers import (
    AdminBookingOutputSerializer,
    AttendeeOutputSerializer,
    AttendeeQuerySerializer,
    BookingInputSerializer,
    BookingOutputSerializer,
    CheckInInputSerializer,
    CheckInResultSerializer,
    TicketSerializer,
)
from bookings.attendees import attendee_csv_response
from bookings.models import Booking
from events.calendar import event_ics
from events.selectors import event_get
from evently.api.base import (
    AdminViewSet,
    PublicViewSet,
    UserViewSet,
    validated,
    validated_list_query,
)
from evently.api.permissions import IsAdminOrCheckin
from evently.api.pagination import LimitOffsetPagination
from evently.api.ratelimit import rate_limited
from evently.api.schema import error_responses

IDEMPOTENCY_KEY_MAX_LENGTH = 255
CALENDAR_TYPE = "text/calendar"
SVG_TYPE = "image/svg+xml"
# A ticket code in a path: URL-safe base64 characters (anything else matches no route: 404).
CODE_REGEX = r"[A-Za-z0-9_-]{1,64}"


def calendar_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=f"{CALENDAR_TYPE}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def idempotency_key(request: Request, *, optional: bool = False) -> str | None:
    """The request's Idempotency-Key (trimmed), or None when it may be omitted (always when
    `optional`); a missing (when required), overlong or unprintable key is a 400."""
    key = request.headers.get("Idempotency-Key")
    key = key.strip() if key is not None else None
    if not key:
        if settings.IDEMPOTENCY_KEY_REQUIRED and not optional:
            raise ParseError("Idempotency-Key header is required")
        return None
    if len(key) > IDEMPOTENCY_KEY_MAX_LENGTH:
        raise ParseError(f"Idempotency-Key must be at most {IDEMPOTENCY_KEY_MAX_LENGTH} characters")
    if not key.isprintable():
        raise ParseError("Idempotency-Key must be printable text")
    return key




@extend_schema(tags=["bookings"])
class EventBookingViewSet(UserViewSet):
    """POST /events/{id}/book: the `book` verb on an event."""

    lookup_url_kwarg = "event_id"
    serializer_class = BookingOutputSerializer

    @extend_schema(
        request=BookingInputSerializer,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key", str, location=OpenApiParameter.HEADER,
                required=False, description="required unless IDEMPOTENCY_KEY_REQUIRED=false",
            ),
            OpenApiParameter(
                "Idempotent-Replayed", str, location=OpenApiParameter.HEADER, response=[200],
                description="`true` when the body is the stored booking of an earlier request",
            ),
        ],
        responses={
            200: OpenApiResponse(BookingOutputSerializer, description="CONFIRMED or WAITLISTED"),
            **error_responses(400, 401, 404, 409, 422, 429, 503),
        },
    )
    @action(detail=True, methods=["post"])
    @rate_limited(group="booking", key="user", rate_setting="RATELIMIT_BOOKING")
    def book(self, request: Request, event_id: int) -> Response:
        key = idempotency_key(request)
        data = validated(BookingInputSerializer, request.data)
        outcome = services.booking_create(
            user=request.user,
            event_id=event_id,
            request=services.BookingRequest(**data),
            idempotency_key=key,
        )
        headers = {"Idempotent-Replayed": "true"} if outcome.replayed else {}
        return Response(BookingOutputSerializer(outcome.booking).data, headers=headers)


@extend_schema(tags=["bookings"])
class MyBookingViewSet(mixins.ListModelMixin, UserViewSet):
    """GET /me/bookings: the caller's bookings, newest first; GET /me/bookings/{id}/tickets
    and /me/bookings/{id}/calendar.ics (owner or admin; 404 otherwise)."""

    queryset = Booking.objects.none()  # for the schema's model lookup; list() asks the selector
    serializer_class = BookingOutputSerializer
    lookup_url_kwarg = "booking_id"

    @extend_schema(responses={200: BookingOutputSerializer(many=True), **error_responses(401)})
    def list(self, request: Request) -> Response:
        bookings = selectors.booking_list_for_user(user_id=request.user.id)
        return Response(BookingOutputSerializer(bookings, many=True).data)

    @extend_schema(responses={200: TicketSerializer(many=True), **error_responses(401, 404)})
    @action(detail=True, methods=["get"])
    def tickets(self, request: Request, booking_id: int) -> Response:
        found = tickets.ticket_list_for_booking(booking_id=booking_id, actor=request.user)
        return Response(TicketSerializer(found, many=True).data)

    @extend_schema(
        operation_id="me_bookings_calendar_retrieve",
        responses={(200, CALENDAR_TYPE): OpenApiTypes.BINARY, **error_responses(401, 404)},
    )
    @action(detail=True, methods=["get"], url_path=r"calendar\.ics", url_name="calendar")
    def calendar(self, request: Request, booking_id: int) -> HttpResponse:
        booking = tickets.booking_for_holder(booking_id=booking_id, actor=request.user)
        body = event_ics(event=booking.event, seat_labels=booking.seat_labels, uid_suffix=f"-booking-{booking.pk}")
        return calendar_response(body, f"evently-booking-{booking.pk}.ics")


@extend_schema(tags=["bookings"])
class BookingViewSet(UserViewSet):
    """DELETE /bookings/{id}: cancel (owner or admin; idempotent)."""

    lookup_url_kwarg = "booking_id"
    serializer_class = BookingOutputSerializer

    @extend_schema(responses={200: BookingOutputSerializer, **error_responses(401, 404, 503)})
    def destroy(self, request: Request, booking_id: int) -> Response:
        services.booking_cancel(booking_id=booking_id, actor=request.user)
        booking = selectors.booking_get_detailed(booking_id=booking_id)
        return Response(BookingOutputSerializer(booking).data)


@extend_schema(tags=["admin: bookings"])
class AdminBookingViewSet(mixins.ListModelMixin, AdminViewSet):
    """GET /admin/bookings: filtered, newest first, `limit`/`offset`, `X-Total-Count`."""

    queryset = Booking.objects.all()
    serializer_class = AdminBookingOutputSerializer
    filterset_class = AdminBookingFilter
    pagination_class = LimitOffsetPagination

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "X-Total-Count", int, location=OpenApiParameter.HEADER, response=[200],
                description="bookings matching the filters, whatever limit and offset",
            )
        ],
        responses={200: AdminBookingOutputSerializer(many=True), **error_responses(401, 403, 422)},
    )
    def list(self, request: Request) -> Response:
        bookings = validated_list_query(self, request).qs
        page = self.paginate_queryset(selectors.with_details(bookings).select_related("user"))
        return self.get_paginated_response(AdminBookingOutputSerializer(page, many=True).data)


@extend_schema(tags=["tickets"])
class EventCalendarViewSet(PublicViewSet):
    """GET /events/{id}/calendar.ics: the event as an iCalendar file (public)."""

    lookup_url_kwarg = "event_id"

    @extend_schema(
        operation_id="events_calendar_retrieve",
        responses={(200, CALENDAR_TYPE): OpenApiTypes.BINARY, **error_responses(404)},
    )
    @action(detail=True, methods=["get"], url_path=r"calendar\.ics", url_name="calendar")
    def calendar(self, request: Request, event_id: int) -> HttpResponse:
        event = event_get(event_id=event_id)
        return calendar_response(event_ics(event=event), f"evently-event-{event.pk}.ics")


@extend_schema(tags=["tickets"])
class TicketViewSet(UserViewSet):
    """GET /tickets/{code}/qr.svg: the QR code of a ticket's code (owner or admin)."""

    lookup_field = "code"
    lookup_url_kwarg = "code"
    lookup_value_regex = CODE_REGEX

    @extend_schema(
        operation_id="tickets_qr_retrieve",
        responses={(200, SVG_TYPE): OpenApiTypes.BINARY, **error_responses(401, 404)},
    )
    @action(detail=True, methods=["get"], url_path=r"qr\.svg", url_name="qr")
    def qr(self, request: Request, code: str) -> HttpResponse:
        ticket = tickets.ticket_for_holder(code=code, actor=request.user)
        svg = segno.make_qr(ticket.code, error="m").svg_inline(scale=8, border=4, title=ticket.seat_label)
        response = HttpResponse(svg, content_type=SVG_TYPE)
        response["Cache-Control"] = "private, max-age=3600"
        return response


# Door scanning has its own rate group and setting (docs/DECISIONS.md, "tickets"): it is not
# counted against RATELIMIT_ADMIN, whose 30/minute a single door would exceed.
checkin_rate_limited = rate_limited(group="checkin", key="user", rate_setting="RATELIMIT_CHECKIN")


@extend_schema(tags=["admin: check-in"])
class AdminCheckinViewSet(UserViewSet):
    """POST /admin/events/{id}/checkin and DELETE /admin/events/{id}/checkin/{code}:
    admin or checkin role (403 otherwise)."""

    permission_classes = [IsAuthenticated, IsAdminOrCheckin]
    lookup_url_kwarg = "event_id"

    @extend_schema(
        request=CheckInInputSerializer,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key", str, location=OpenApiParameter.HEADER, required=False,
                description="a retry of a successful scan with the same key replays its 200",
            ),
            OpenApiParameter(
                "Idempotent-Replayed", str, location=OpenApiParameter.HEADER, response=[200],
                description="`true` when the body is the stored check-in of an earlier request",
            ),
        ],
        responses={
            200: CheckInResultSerializer,
            **error_responses(400, 401, 403, 404, 409, 422, 429),
        },
    )
    @action(detail=True, methods=["post"])
    @checkin_rate_limited
    def checkin(self, request: Request, event_id: int) -> Response:
        key = idempotency_key(request, optional=True)
        data = validated(CheckInInputSerializer, request.data)
        outcome = tickets.ticket_check_in(
            event_id=int(event_id), code=data["code"], actor=request.user, idempotency_key=key
        )
        body = {
            "ticket": outcome.ticket,
            "booking_id": outcome.ticket.booking_id,
            "holder": {"name": outcome.holder_name},
        }
        headers = {"Idempotent-Replayed": "true"} if outcome.replayed else {}
        return Response(CheckInResultSerializer(body).data, headers=headers)

    @extend_schema(responses={200: TicketSerializer, **error_responses(401, 403, 404, 409, 429)})
    @action(detail=True, methods=["delete"], url_path=rf"checkin/(?P<code>{CODE_REGEX})", url_name="checkin-undo")
    @checkin_rate_limited
    def checkin_undo(self, request: Request, event_id: int, code: str) -> Response:
        ticket = tickets.ticket_undo_check_in(event_id=int(event_id), code=code, actor=request.user)
        return Response(TicketSerializer(ticket).data)


@extend_schema(tags=["admin: events"])
class AdminEventAttendeeViewSet(UserViewSet):
    """GET /admin/events/{id}/attendees: the CONFIRMED bookings, as JSON or a streamed CSV."""

    queryset = Booking.objects.none()  # for the schema's model lookup; the action asks the selector
    permission_classes = [IsAuthenticated, IsAdminOrCheckin]
    lookup_url_kwarg = "event_id"
    serializer_class = AttendeeOutputSerializer

    def perform_content_negotiation(self, request: Request, force: bool = False) -> tuple:
        # `?format=` picks the body in the handler (JSON, or CSV streamed past DRF's
        # renderers), not DRF's renderer override (URL_FORMAT_OVERRIDE), which would 404 on
        # `csv` and render errors as CSV: every other answer of this view is JSON.
        renderer = self.get_renderers()[0]
        return renderer, renderer.media_type

    @extend_schema(
        parameters=[AttendeeQuerySerializer],
        responses={
            (200, "application/json"): AttendeeOutputSerializer(many=True),
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="with ?format=csv: the same rows as a CSV attachment"),
            **error_responses(401, 403, 404, 422),
        },
    )
    @action(detail=True, methods=["get"])
    def attendees(self, request: Request, event_id: int) -> Response | StreamingHttpResponse:
        query = validated(AttendeeQuerySerializer, request.query_params)
        if query["format"] == "csv":
            return attendee_csv_response(event_id=event_id)
        attendees = selectors.attendee_list(event_id=event_id)
        return Response(AttendeeOutputSerializer(attendees, many=True).data)
