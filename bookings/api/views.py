from __future__ import annotations

import io

import segno
from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
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
    rendered,
    unused_body_checked,
    validated,
    validated_list_query,
)
from evently.api.permissions import IsAdminOrCheckin
from evently.api.pagination import LimitOffsetPagination
from evently.api.ratelimit import rate_limited
from evently.api.schema import error_responses, parameter_examples

IDEMPOTENCY_KEY_MAX_LENGTH = 255
CALENDAR_TYPE = "text/calendar"
SVG_TYPE = "image/svg+xml"
# A ticket code in a path: URL-safe base64 characters (anything else matches no route: 404).
CODE_REGEX = r"[A-Za-z0-9_-]{1,64}"
# Ticket codes the API docs' examples use (evently/tests/test_openapi_docs.py seeds tickets
# with them): a valid one and one already checked in.
EXAMPLE_TICKET_CODE = "Xo3k9QvB2mT7LwZp4RaN8sYc"
EXAMPLE_CHECKED_IN_CODE = "Jd7Fq2LmV9pXe4TbK6sWn3Ha"


def calendar_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=f"{CALENDAR_TYPE}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def idempotency_key(request: Request, *, optional: bool = False) -> str | None:
    """The request's Idempotency-Key (trimmed), or None when it may be omitted (always when
    `optional`); a missing (when required), overlong (in characters), unprintable or
    non-UTF-8 key is a 400."""
    key = request.headers.get("Idempotency-Key")
    if key is not None:
        # WSGI hands each header byte over as one Latin-1 character: "ключ" (UTF-8) arrived as
        # eight characters, two of them C1 controls. The key is the text the client sent.
        try:
            key = key.encode("latin-1").decode("utf-8")
        except UnicodeEncodeError:
            pass  # already text (a test client's str)
        except UnicodeDecodeError:
            raise ParseError("Idempotency-Key must be UTF-8 text") from None
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
        summary="Book seats for an event",
        description=(
            "Any signed-in user. Ask for a number of seats (`qty`) and get the best available "
            "ones, which keep your party together in one row when possible, or name the seats "
            "you want in `seat_ids` (ids or labels such as `\"A-1\"`). With `waitlist: true`, "
            "a request that can't be met now joins the event's waitlist instead of failing; "
            "waiting bookings are confirmed in order as seats free up.\n\n"
            "Send a fresh `Idempotency-Key` (any unique string, e.g. a UUID) with each new "
            "booking; if the answer is lost, retry with the same key and you get the same "
            "booking back (`Idempotent-Replayed: true`), never a second one.\n\n"
            "Errors: 400 without an `Idempotency-Key`; 401; 404 `Event not found` or "
            "`Seat not found`; 409 `Not enough seats available`, named seats already taken "
            "(`seats` lists them), `Event not active`, or the event has ended; 422 for an "
            "invalid request (qty outside 1–10 by default, duplicate seats) or a key reused "
            "with a different request; 429 after 10 bookings a minute; 503 when the event is "
            "busy (retry with the same key)."
        ),
        request=BookingInputSerializer,
        examples=[
            OpenApiExample("Two seats, best available", value={"qty": 2}, request_only=True),
            OpenApiExample("These two seats", value={"seat_ids": ["C-5", "C-6"]}, request_only=True),
            OpenApiExample(
                "Four seats, or a place on the waitlist", value={"qty": 4, "waitlist": True}, request_only=True
            ),
        ],
        extensions=parameter_examples(event_id=1, **{"Idempotency-Key": "7d3f9a52-1c4e-4b8a-9f06-2e5d8c1b7a34"}),
        parameters=[
            OpenApiParameter(
                "Idempotency-Key", str, location=OpenApiParameter.HEADER, required=False,
                description="any unique string per new booking (e.g. a UUID), at most 255 "
                "characters; required unless the server sets IDEMPOTENCY_KEY_REQUIRED=false",
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
        return Response(rendered(BookingOutputSerializer, outcome.booking), headers=headers)


@extend_schema(tags=["bookings"])
class MyBookingViewSet(mixins.ListModelMixin, UserViewSet):
    """GET /me/bookings: the caller's bookings, newest first; GET /me/bookings/{id}/tickets
    (owner or admin) and /me/bookings/{id}/calendar.ics (owner only); 404 otherwise."""

    queryset = Booking.objects.none()  # for the schema's model lookup; list() asks the selector
    serializer_class = BookingOutputSerializer
    lookup_url_kwarg = "booking_id"

    @extend_schema(
        summary="List my bookings",
        description="Any signed-in user: their own bookings, newest first, in every status, "
        "each with its seats, waitlist position and a summary of the event.\n\nErrors: 401.",
        responses={200: BookingOutputSerializer(many=True), **error_responses(401)},
    )
    def list(self, request: Request) -> Response:
        bookings = selectors.booking_list_for_user(user_id=request.user.id)
        return Response(BookingOutputSerializer(bookings, many=True).data)

    @extend_schema(
        tags=["tickets"],
        summary="Get a booking's tickets",
        description=(
            "The booking's holder (or an admin): one ticket per seat, in seat order. Each "
            "ticket's `code` is what the door scans (see its QR code); a cancelled booking's "
            "tickets are `void`, a waiting booking has none yet.\n\n"
            "Errors: 401; 404 `Booking not found` (also for someone else's booking)."
        ),
        responses={200: TicketSerializer(many=True), **error_responses(401, 404)},
        extensions=parameter_examples(booking_id=1),
    )
    @action(detail=True, methods=["get"])
    def tickets(self, request: Request, booking_id: int) -> Response:
        found = tickets.ticket_list_for_booking(booking_id=booking_id, actor=request.user)
        return Response(TicketSerializer(found, many=True).data)

    @extend_schema(
        operation_id="me_bookings_calendar_retrieve",
        tags=["tickets"],
        summary="Add a booking to my calendar",
        description=(
            "The booking's holder only: an iCalendar (`.ics`) file of the event, "
            "with the booked seats, for any calendar app.\n\n"
            "Errors: 401; 404 `Booking not found` (also for someone else's booking, "
            "an admin's request included)."
        ),
        responses={(200, CALENDAR_TYPE): OpenApiTypes.BINARY, **error_responses(401, 404)},
        extensions=parameter_examples(booking_id=1),
    )
    @action(detail=True, methods=["get"], url_path=r"calendar\.ics", url_name="calendar")
    def calendar(self, request: Request, booking_id: int) -> HttpResponse:
        # API.md: "(owner)", unlike the tickets' "(owner or admin)".
        booking = tickets.booking_for_holder(booking_id=booking_id, actor=request.user, admins=False)
        return calendar_response(tickets.booking_ics(booking), f"evently-booking-{booking.pk}.ics")


@extend_schema(tags=["bookings"])
class BookingViewSet(UserViewSet):
    """DELETE /bookings/{id}: cancel (owner or admin; idempotent)."""

    lookup_url_kwarg = "booking_id"
    serializer_class = BookingOutputSerializer

    @extend_schema(
        summary="Cancel a booking",
        description=(
            "The booking's holder (or an admin). A confirmed booking frees its seats (its "
            "tickets become void) and the next people on the waitlist are confirmed; a waiting "
            "booking leaves the queue. Cancelling twice is harmless: the second answer is the "
            "same cancelled booking.\n\n"
            "Errors: 401; 404 `Booking not found` (also for someone else's booking); 503 when "
            "the event is busy (retry)."
        ),
        responses={200: BookingOutputSerializer, **error_responses(401, 404, 503)},
        extensions=parameter_examples(booking_id=1),
    )
    def destroy(self, request: Request, booking_id: int) -> Response:
        unused_body_checked(request)
        services.booking_cancel(booking_id=booking_id, actor=request.user)
        booking = selectors.booking_get_detailed(booking_id=booking_id)
        return Response(rendered(BookingOutputSerializer, booking))


@extend_schema(tags=["admin: bookings"])
class AdminBookingViewSet(mixins.ListModelMixin, AdminViewSet):
    """GET /admin/bookings: filtered, newest first, `limit`/`offset`, `X-Total-Count`."""

    queryset = Booking.objects.all()
    serializer_class = AdminBookingOutputSerializer
    filterset_class = AdminBookingFilter
    pagination_class = LimitOffsetPagination

    @extend_schema(
        summary="List all bookings",
        description=(
            "Admins only: bookings of every user, newest first, each with its holder; filter "
            "by event, user and status, page with `limit` and `offset`. `X-Total-Count` says "
            "how many match.\n\n"
            "Errors: 401; 403 for other roles; 422 naming every invalid parameter."
        ),
        extensions=parameter_examples(event_id=1, status="CONFIRMED"),
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


@extend_schema(tags=["events"])
class EventCalendarViewSet(PublicViewSet):
    """GET /events/{id}/calendar.ics: the event as an iCalendar file (public)."""

    lookup_url_kwarg = "event_id"

    @extend_schema(
        operation_id="events_calendar_retrieve",
        tags=["events"],
        summary="Add an event to a calendar",
        description="Anyone, no token needed: the event as an iCalendar (`.ics`) file, with its "
        "times and zone.\n\nErrors: 404 `Event not found`.",
        responses={(200, CALENDAR_TYPE): OpenApiTypes.BINARY, **error_responses(404)},
        extensions=parameter_examples(event_id=1),
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
        summary="Get a ticket's QR code",
        description=(
            "The ticket's holder (or an admin): the ticket's code as a QR code (SVG), to show "
            "at the door.\n\nErrors: 401; 404 `Ticket not found` (also for someone else's ticket)."
        ),
        responses={(200, SVG_TYPE): OpenApiTypes.BINARY, **error_responses(401, 404)},
        extensions=parameter_examples(code=EXAMPLE_TICKET_CODE),
    )
    @action(detail=True, methods=["get"], url_path=r"qr\.svg", url_name="qr")
    def qr(self, request: Request, code: str) -> HttpResponse:
        ticket = tickets.ticket_for_holder(code=code, actor=request.user)
        # A standalone SVG document (with its xmlns), so it also draws opened directly or in <img>.
        svg = io.BytesIO()
        segno.make_qr(ticket.code, error="m").save(svg, kind="svg", xmldecl=False, scale=8, border=4, title=ticket.seat_label)
        response = HttpResponse(svg.getvalue(), content_type=SVG_TYPE)
        response["Cache-Control"] = "private, max-age=3600"
        return response


# Door scanning has its own rate group and setting (docs/DECISIONS.md, "tickets"): it is not
# counted against RATELIMIT_ADMIN, whose 30/minute a single door would exceed.
checkin_rate_limited = rate_limited(group="checkin", key="user", rate_setting="RATELIMIT_CHECKIN")


@extend_schema(tags=["check-in"])
class AdminCheckinViewSet(UserViewSet):
    """POST /admin/events/{id}/checkin and DELETE /admin/events/{id}/checkin/{code}:
    admin or checkin role (403 otherwise)."""

    permission_classes = [IsAuthenticated, IsAdminOrCheckin]
    lookup_url_kwarg = "event_id"
    serializer_class = CheckInInputSerializer

    @extend_schema(
        summary="Check a ticket in at the door",
        description=(
            "Door staff (role `checkin`) or admins: scan a ticket's code at this event's door. "
            "The answer names the holder and the seat; the ticket becomes `checked_in`. With an "
            "`Idempotency-Key`, retrying a scan whose answer was lost gives the same 200.\n\n"
            "Errors: 401; 403 for other roles; 404 `Ticket not found` or `Event not found`; "
            "409 `Already checked in` (with `checked_in_at`), `Ticket void (booking cancelled)` "
            "or `Ticket is for another event`; 422 for a missing code; 429."
        ),
        request=CheckInInputSerializer,
        examples=[OpenApiExample("Scan a ticket", value={"code": EXAMPLE_TICKET_CODE}, request_only=True)],
        extensions=parameter_examples(event_id=1),
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
        return Response(rendered(CheckInResultSerializer, body), headers=headers)

    @extend_schema(
        summary="Undo a check-in",
        description=(
            "Door staff (role `checkin`) or admins: put a ticket scanned by mistake back to "
            "`valid`. A ticket that is already valid is returned unchanged.\n\n"
            "Errors: 401; 403 for other roles; 404 `Ticket not found` or `Event not found`; "
            "409 for a void ticket or a ticket of another event; 429."
        ),
        responses={200: TicketSerializer, **error_responses(401, 403, 404, 409, 429)},
        extensions=parameter_examples(event_id=1, code=EXAMPLE_CHECKED_IN_CODE),
    )
    @action(detail=True, methods=["delete"], url_path=rf"checkin/(?P<code>{CODE_REGEX})", url_name="checkin-undo")
    @checkin_rate_limited
    def checkin_undo(self, request: Request, event_id: int, code: str) -> Response:
        unused_body_checked(request)
        ticket = tickets.ticket_undo_check_in(event_id=int(event_id), code=code, actor=request.user)
        return Response(rendered(TicketSerializer, ticket))


@extend_schema(tags=["admin: events"])
class AdminEventAttendeeViewSet(UserViewSet):
    """GET /admin/events/{id}/attendees: the CONFIRMED bookings, as JSON or a streamed CSV."""

    queryset = Booking.objects.none()  # for the schema's model lookup; the action asks the selector
    permission_classes = [IsAuthenticated, IsAdminOrCheckin]
    lookup_url_kwarg = "event_id"
    serializer_class = AttendeeOutputSerializer

    def perform_content_negotiation(self, request: Request, force: bool = False) -> tuple:
        # `?format=` picks the body in the handler (JSON, or CSV streamed past DRF's
        # renderers) whatever `Accept` says: every other answer of this view is JSON.
        renderer = self.get_renderers()[0]
        return renderer, renderer.media_type

    @extend_schema(
        tags=["check-in"],
        summary="List an event's attendees",
        description=(
            "Door staff (role `checkin`) or admins: the event's confirmed bookings with their "
            "holder, seats and how many of their tickets are checked in. `format=csv` gives the "
            "same rows as a spreadsheet file (cells that a spreadsheet would run as a formula "
            "are prefixed with `'`).\n\n"
            "Errors: 401; 403 for other roles; 404 `Event not found`; 422 for an unknown format."
        ),
        extensions=parameter_examples(event_id=1),
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
