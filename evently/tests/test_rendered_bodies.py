"""`evently.api.base.rendered`: one serializer instance per class renders every body."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
from rest_framework import serializers

from accounts.api.serializers import TokenOutputSerializer, UserOutputSerializer
from bookings import services as booking_services
from bookings import tickets
from bookings.api.serializers import BookingOutputSerializer, CheckInResultSerializer, TicketSerializer
from bookings.models import Ticket
from events import selectors as event_selectors
from events.api.serializers import EventOutputSerializer, SeatGenerateOutputSerializer
from evently.api.base import rendered
from notifications.api.serializers import NotificationOutputSerializer
from notifications.tests.factories import BookingFactory, NotificationFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def _body(booking, seats):  # noqa: ANN001, ANN202
    booking.seat_labels, booking.waitlist_position = seats, None
    return booking


def _samples(user, admin, event) -> dict[type, object]:  # noqa: ANN001
    """One object per serializer the views pass to `rendered`, as the views pass it."""
    outcome = booking_services.booking_create(
        user=user, event_id=event.id, request=booking_services.BookingRequest(qty=2), idempotency_key="k1"
    )
    ticket = Ticket.objects.filter(booking=outcome.booking).order_by("id").first()
    checked = tickets.ticket_check_in(event_id=event.id, code=ticket.code, actor=admin)
    return {
        EventOutputSerializer: event_selectors.event_get(event_id=event.id),
        BookingOutputSerializer: outcome.booking,
        TicketSerializer: checked.ticket,
        CheckInResultSerializer: {
            "ticket": checked.ticket, "booking_id": checked.ticket.booking_id,
            "holder": {"name": checked.holder_name},
        },
        UserOutputSerializer: user,
        TokenOutputSerializer: {"access_token": "a.b.c", "token_type": "bearer"},
        NotificationOutputSerializer: NotificationFactory(user=user),
        SeatGenerateOutputSerializer: {"created": 40, "capacity": 40},
    }


def test_every_body_the_views_render_is_what_a_fresh_serializer_renders(user, admin, event) -> None:
    samples = _samples(user, admin, event)
    used = {
        name
        for views in ROOT.glob("*/api/views.py")
        for name in re.findall(r"\brendered\((\w+),", views.read_text())
    }
    assert used and used <= {cls.__name__ for cls in samples}, used - {cls.__name__ for cls in samples}

    for serializer_class, instance in samples.items():
        assert rendered(serializer_class, instance) == serializer_class(instance).data, serializer_class


def test_the_shared_instance_keeps_nothing_of_the_last_body() -> None:
    first = _body(BookingFactory(qty=2), ["A-1", "A-2"])
    second = _body(BookingFactory(qty=1), ["C-7"])

    assert rendered(BookingOutputSerializer, first)["seat_labels"] == ["A-1", "A-2"]
    body = rendered(BookingOutputSerializer, second)

    assert body == BookingOutputSerializer(second).data
    assert (body["id"], body["qty"], body["seat_labels"]) == (second.id, 1, ["C-7"])
    assert body["event"]["id"] == second.event_id


def test_threads_rendering_at_once_each_get_their_own_body() -> None:
    bookings = [_body(BookingFactory(), [f"B-{n}"]) for n in range(1, 9)]
    expected = {b.id: BookingOutputSerializer(b).data for b in bookings}
    seen: dict[int, list[dict]] = {b.id: [] for b in bookings}
    start = threading.Barrier(len(bookings), timeout=60)

    def render(booking) -> None:  # noqa: ANN001
        start.wait()
        for _ in range(200):
            seen[booking.id].append(rendered(BookingOutputSerializer, booking))

    threads = [threading.Thread(target=render, args=(b,)) for b in bookings]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not any(thread.is_alive() for thread in threads), "a rendering thread hung"

    for booking_id, bodies in seen.items():
        assert bodies == [expected[booking_id]] * 200


class _WithMethod(serializers.Serializer):
    id = serializers.IntegerField()
    who = serializers.SerializerMethodField()

    def get_who(self, obj) -> str:  # noqa: ANN001
        return self.context["request"].user.email


class _Nesting(serializers.Serializer):
    items = _WithMethod(many=True)


class _RendersItself(serializers.Serializer):
    id = serializers.IntegerField()

    def to_representation(self, instance):  # noqa: ANN001, ANN201
        return {"id": instance["id"]}


@pytest.mark.parametrize(
    ("serializer_class", "named"),
    [(_WithMethod, "_WithMethod.who"), (_Nesting, "_WithMethod.who"), (_RendersItself, "_RendersItself")],
)
def test_a_serializer_that_may_read_context_or_keeps_its_own_rendering_is_refused(serializer_class, named) -> None:
    with pytest.raises(TypeError, match=re.escape(named)):
        rendered(serializer_class, {"id": 1, "items": []})
