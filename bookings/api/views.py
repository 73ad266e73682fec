from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.exceptions import ParseError
from rest_framework.request import Request
from rest_framework.response import Response

from bookings import selectors, services
from bookings.api.filters import AdminBookingFilter
from bookings.api.serializers import BookingInputSerializer, BookingOutputSerializer
from bookings.models import Booking
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
    serializer_class = BookingOutputSerializer
    filterset_class = AdminBookingFilter
    pagination_class = LimitOffsetPagination

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "X-Total-Count", int, location=OpenApiParameter.HEADER, response=[200],
                description="bookings matching the filters, whatever limit and offset",
            )
        ],
        responses={200: BookingOutputSerializer(many=True), **error_responses(401, 403, 422)},
    )
    def list(self, request: Request) -> Response:
        bookings = validated_list_query(self, request).qs
        page = self.paginate_queryset(selectors.with_details(bookings))
        return self.get_paginated_response(BookingOutputSerializer(page, many=True).data)
