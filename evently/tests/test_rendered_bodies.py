"""`evently.api.base.rendered`: one serializer instance per class renders every body."""

from __future__ import annotations

import threading

import pytest

from bookings.api.serializers import BookingOutputSerializer
from notifications.tests.factories import BookingFactory
from evently.api.base import rendered

pytestmark = pytest.mark.django_db


def _body(booking, seats):  # noqa: ANN001, ANN202
    booking.seat_labels, booking.waitlist_position = seats, None
    return booking


def test_a_body_is_what_a_fresh_serializer_renders() -> None:
    booking = _body(BookingFactory(), ["A-1", "A-2"])

    assert rendered(BookingOutputSerializer, booking) == BookingOutputSerializer(booking).data


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
    start = threading.Barrier(len(bookings))

    def render(booking) -> None:  # noqa: ANN001
        start.wait()
        for _ in range(200):
            seen[booking.id].append(rendered(BookingOutputSerializer, booking))

    threads = [threading.Thread(target=render, args=(b,)) for b in bookings]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    for booking_id, bodies in seen.items():
        assert bodies == [expected[booking_id]] * 200
