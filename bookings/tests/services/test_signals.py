"""The in-transaction signals (for the notification outbox): sent right after the write,
inside the transaction, with the documented kwargs; never on replays or refusals."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.db import connection
from django.dispatch import Signal

from accounts.models import User
from accounts.tests.factories import UserFactory
from bookings import services
from bookings.exceptions import NotEnoughSeats
from bookings.services import BookingRequest
from bookings.signals import booking_cancelled, booking_confirmed, booking_waitlisted
from events import services as event_services
from events.signals import event_rescheduled
from events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent() -> Iterator[list[tuple[str, dict]]]:
    """Every in-transaction signal sent during the test: (name, kwargs + in_transaction)."""
    calls: list[tuple[str, dict]] = []
    signals: dict[str, Signal] = {
        "booking_confirmed": booking_confirmed, "booking_waitlisted": booking_waitlisted,
        "booking_cancelled": booking_cancelled, "event_rescheduled": event_rescheduled,
    }
    receivers = {}
    for name, signal in signals.items():
        def receiver(sender, signal=None, _name=name, **kwargs):  # noqa: ANN001, ANN202
            # The test itself runs in a transaction: "inside" means a savepoint deeper.
            kwargs["in_transaction"] = len(connection.savepoint_ids) > base
            kwargs["sender"] = sender
            calls.append((_name, kwargs))
        receivers[name] = receiver
        signal.connect(receiver, weak=False, dispatch_uid=f"test-{name}")
    base = len(connection.savepoint_ids)
    yield calls
    for name, signal in signals.items():
        signal.disconnect(dispatch_uid=f"test-{name}")


def book(user: User, event, qty: int = 1, *, waitlist: bool = False, key: str | None = None):
    return services.booking_create(
        user=user, event_id=event.id, request=BookingRequest(qty=qty, waitlist=waitlist), idempotency_key=key
    )


def test_a_confirmation_sends_booking_confirmed_inside_the_transaction(sent) -> None:
    event = EventFactory(capacity=3)

    outcome = book(UserFactory(), event, 2, key="k")

    assert [name for name, _ in sent] == ["booking_confirmed"]
    kwargs = sent[0][1]
    assert kwargs["booking"].pk == outcome.booking.pk
    assert kwargs["booking"].seat_labels == ["A-1", "A-2"]
    assert kwargs["promoted"] is False
    assert kwargs["in_transaction"] is True
    assert kwargs["sender"].__name__ == "Booking"


def test_replays_and_refusals_send_nothing(sent) -> None:
    event = EventFactory(capacity=1)
    user = UserFactory()
    book(user, event, 1, key="k")
    sent.clear()

    assert book(user, event, 1, key="k").replayed
    with pytest.raises(NotEnoughSeats):
        book(UserFactory(), event, 1)

    assert sent == []


def test_joining_the_queue_sends_booking_waitlisted_with_the_position(sent) -> None:
    event = EventFactory(capacity=1)
    book(UserFactory(), event, 1)
    sent.clear()

    outcome = book(UserFactory(), event, 1, waitlist=True)

    assert [name for name, _ in sent] == ["booking_waitlisted"]
    assert sent[0][1]["booking"].pk == outcome.booking.pk
    assert sent[0][1]["booking"].waitlist_position == 1
    assert sent[0][1]["in_transaction"] is True


def test_a_cancellation_sends_booking_cancelled_then_each_promotion_booking_confirmed(sent) -> None:
    event = EventFactory(capacity=2)
    owner, waiter = UserFactory(), UserFactory()
    held = book(owner, event, 2).booking
    waiting = book(waiter, event, 1, waitlist=True).booking
    sent.clear()

    services.booking_cancel(booking_id=held.id, actor=owner)

    assert [name for name, _ in sent] == ["booking_cancelled", "booking_confirmed"]
    cancelled, confirmed = sent[0][1], sent[1][1]
    assert cancelled["booking"].pk == held.pk and cancelled["booking"].status == "CANCELLED"
    assert (cancelled["by_admin"], cancelled["previous_status"]) == (False, "CONFIRMED")
    assert confirmed["booking"].pk == waiting.pk and confirmed["promoted"] is True
    assert confirmed["booking"].seat_labels == ["A-1"]
    assert all(kwargs["in_transaction"] for _, kwargs in sent)


def test_an_admin_cancellation_is_by_admin_and_a_repeat_sends_nothing(sent, admin) -> None:
    event = EventFactory(capacity=2)
    waiting = book(UserFactory(), event, 3, waitlist=True).booking
    sent.clear()

    services.booking_cancel(booking_id=waiting.id, actor=admin)
    services.booking_cancel(booking_id=waiting.id, actor=admin)

    assert [name for name, _ in sent] == ["booking_cancelled"]
    assert (sent[0][1]["by_admin"], sent[0][1]["previous_status"]) == (True, "WAITLISTED")


def test_event_rescheduled_names_only_the_fields_that_changed(sent) -> None:
    event = EventFactory(capacity=2)
    new_start = event.start_time + timedelta(days=1)
    new_end = event.end_time + timedelta(days=1)

    event_services.event_update(event_id=event.id, name="Renamed", capacity=3)
    event_services.event_update(event_id=event.id, venue=event.venue, start_time=event.start_time)
    assert sent == []

    event_services.event_update(event_id=event.id, start_time=new_start, end_time=new_end, venue="Elsewhere", name="x")

    assert [name for name, _ in sent] == ["event_rescheduled"]
    kwargs = sent[0][1]
    assert kwargs["event"].pk == event.pk and kwargs["in_transaction"] is True
    assert kwargs["changes"] == {
        "start_time": (event.start_time, new_start),
        "end_time": (event.end_time, new_end),
        "venue": (event.venue, "Elsewhere"),
    }
