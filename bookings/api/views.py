from __future__ import annotations

from django.conf import settings
from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.exceptions import ParseError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from bookings import selectors, services
from bookings.api.filters import AdminBookingFilter
from bookings.api.serializers import (
    AdminBookingOutputSerializer,
    AttendeeOutputSerializer,
    AttendeeQuerySerializer,
    BookingInputSerializer,
    BookingOutputSerializer,
)
from bookings.attendees import attendee_csv_response
from bookings.models import Booking
from accounts.models import User
from evently.api.base import AdminViewSet, UserViewSet, validated, validated_list_query
from evently.api.pagination import LimitOffsetPagination
from evently.api.ratelimit import rate_limited
from evently.api.schema import error_responses

IDEMPOTENCY_KEY_MAX_LENGTH = 255


def idempotency_key(request: Request) -> str | None:
    """The request's Idempotency-Key (trimmed), or None when it may be omitted; a missing
    (when required), overlong or unprintable key is a 400."""
    key = request.headers.get("Idempotency-Key")
    key = key.strip() if key is not None else None
    if not key:
        if settings.IDEMPOTENCY_KEY_REQUIRED:
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
    """GET /me/bookings: the caller's bookings, newest first."""

    queryset = Booking.objects.none()  # for the schema's model lookup; list() asks the selector
    serializer_class = BookingOutputSerializer

    @extend_schema(responses={200: BookingOutputSerializer(many=True), **error_responses(401)})
    def list(self, request: Request) -> Response:
        bookings = selectors.booking_list_for_user(user_id=request.user.id)
        return Response(BookingOutputSerializer(bookings, many=True).data)


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


# Door staff (role `checkin`, issue 13) read the attendee list too; the role joins this set
# as soon as accounts defines it.
ATTENDEE_LIST_ROLES = frozenset(
    role for role in (User.Role.ADMIN, getattr(User.Role, "CHECKIN", None)) if role is not None
)


class IsAdminOrCheckinRole(BasePermission):
    """Role `admin` or `checkin`, read from the user row loaded for this very request."""

    message = "Admin or check-in role required"

    def has_permission(self, request: Request, view: object) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and getattr(user, "role", None) in ATTENDEE_LIST_ROLES)


@extend_schema(tags=["admin: events"])
class AdminEventAttendeeViewSet(UserViewSet):
    """GET /admin/events/{id}/attendees: the CONFIRMED bookings, as JSON or a streamed CSV."""

    queryset = Booking.objects.none()  # for the schema's model lookup; the action asks the selector
    permission_classes = [IsAuthenticated, IsAdminOrCheckinRole]
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
