from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ParseError
from rest_framework.request import Request
from rest_framework.response import Response

from bookings import selectors, services
from bookings.api.serializers import (
    AdminBookingQuerySerializer,
    BookingInputSerializer,
    BookingOutputSerializer,
)
from bookings.models import Booking
from evently.api.base import AdminAPIView, UserAPIView, validated
from evently.api.ratelimit import RateLimitMixin
from evently.api.schema import error_responses

IDEMPOTENCY_KEY_MAX_LENGTH = 255


def idempotency_key(request: Request) -> str | None:
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


def booking_body(outcome: services.BookingOutcome) -> dict:
    booking = outcome.booking
    if outcome.replayed:
        booking = selectors.booking_get_detailed(booking_id=booking.id)
    else:
        booking.seat_labels = outcome.seat_labels
        booking.waitlist_position = outcome.waitlist_position
    return BookingOutputSerializer(booking).data


class BookEventView(RateLimitMixin, UserAPIView):
    ratelimit_group = "booking"
    ratelimit_rate_setting = "RATELIMIT_BOOKING"
    ratelimit_key = "user"

    @extend_schema(
        request=BookingInputSerializer,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key", str, location=OpenApiParameter.HEADER,
                required=False, description="required unless IDEMPOTENCY_KEY_REQUIRED=false",
            )
        ],
        responses={
            200: OpenApiResponse(BookingOutputSerializer, description="CONFIRMED or WAITLISTED"),
            **error_responses(400, 401, 404, 409, 422, 429, 503),
        },
        tags=["bookings"],
    )
    def post(self, request: Request, event_id: int) -> Response:
        key = idempotency_key(request)
        data = validated(BookingInputSerializer, request.data)
        outcome = services.booking_create(
            user=request.user,
            event_id=event_id,
            request=services.BookingRequest(**data),
            idempotency_key=key,
        )
        headers = {"Idempotent-Replayed": "true"} if outcome.replayed else {}
        return Response(booking_body(outcome), headers=headers)


class MyBookingsView(UserAPIView):
    @extend_schema(
        responses={200: BookingOutputSerializer(many=True), **error_responses(401)},
        tags=["bookings"],
    )
    def get(self, request: Request) -> Response:
        bookings = selectors.booking_list_for_user(user_id=request.user.id)
        return Response(BookingOutputSerializer(bookings, many=True).data)


class BookingCancelView(UserAPIView):
    @extend_schema(
        responses={200: BookingOutputSerializer, **error_responses(401, 404, 503)},
        tags=["bookings"],
    )
    def delete(self, request: Request, booking_id: int) -> Response:
        services.booking_cancel(booking_id=booking_id, actor=request.user)
        return Response(BookingOutputSerializer(selectors.booking_get_detailed(booking_id=booking_id)).data)


class AdminBookingListView(AdminAPIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("event_id", int),
            OpenApiParameter("user_id", int),
            OpenApiParameter("status", str, enum=[s for s, _ in Booking.Status.choices]),
            OpenApiParameter("limit", int, description="1–1000 (default 100)"),
            OpenApiParameter("offset", int, description="≥ 0 (default 0)"),
        ],
        responses={200: BookingOutputSerializer(many=True), **error_responses(401, 403, 422)},
        tags=["admin: bookings"],
    )
    def get(self, request: Request) -> Response:
        query = validated(AdminBookingQuerySerializer, request.query_params)
        bookings = selectors.booking_list(
            event_id=query.get("event_id"), user_id=query.get("user_id"), status=query.get("status")
        )
        total = bookings.count()
        offset, limit = query["offset"], query["limit"]
        page = list(selectors.with_details(bookings)[offset : offset + limit]) if offset < total else []
        return Response(
            BookingOutputSerializer(page, many=True).data, headers={"X-Total-Count": str(total)}
        )
