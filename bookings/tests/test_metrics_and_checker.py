import io

import pytest
from django.core.management import CommandError, call_command
from prometheus_client import REGISTRY

from accounts.tests.factories import UserFactory
from bookings.models import Booking, Ticket
from bookings.tests.helpers import book
from events.models import Event, Seat
from events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_booking_outcomes_are_counted_by_outcome_and_reason(client_for, django_capture_on_commit_callbacks) -> None:
    event = EventFactory(capacity=1)
    me = client_for(UserFactory())
    before = {
        "confirmed": sample("evently_bookings_total", outcome="confirmed", reason=""),
        "waitlisted": sample("evently_bookings_total", outcome="waitlisted", reason="capacity"),
        "rejected": sample("evently_bookings_total", outcome="rejected", reason="not_enough_seats"),
        "replays": sample("evently_idempotent_replays_total"),
        "promotions": sample("evently_waitlist_promotions_total"),
    }

    with django_capture_on_commit_callbacks(execute=True):
        held = book(me, event, key="a", qty=1).json()
        book(me, event, key="a", qty=1)
        book(me, event, qty=1)
        book(me, event, qty=1, waitlist=True)
        me.delete(f"/bookings/{held['id']}")

    assert sample("evently_bookings_total", outcome="confirmed", reason="") == before["confirmed"] + 1
    assert sample("evently_bookings_total", outcome="waitlisted", reason="capacity") == before["waitlisted"] + 1
    assert sample("evently_bookings_total", outcome="rejected", reason="not_enough_seats") == before["rejected"] + 1
    assert sample("evently_idempotent_replays_total") == before["replays"] + 1
    assert sample("evently_waitlist_promotions_total") == before["promotions"] + 1


def test_check_inventory_passes_on_a_consistent_database(client_for) -> None:
    event = EventFactory(capacity=3)
    book(client_for(UserFactory()), event, qty=2)

    one, every = io.StringIO(), io.StringIO()
    call_command("check_inventory", str(event.id), stdout=one)  # a violation raises CommandError
    call_command("check_inventory", stdout=every)

    assert "Inventory OK" in one.getvalue()
    assert "Inventory OK" in every.getvalue()


@pytest.mark.parametrize(
    "corrupt",
    [
        lambda e, b: Event.objects.filter(pk=e.pk).update(booked_count=1),
        lambda e, b: Event.objects.filter(pk=e.pk).update(waitlisted_count=4),
        lambda e, b: Seat.objects.filter(tickets__booking=b).update(reserved=False),
        lambda e, b: Booking.objects.filter(pk=b.pk).update(qty=3),
        lambda e, b: Seat.objects.filter(event=e, reserved=False).first().delete(),
        lambda e, b: Ticket.objects.filter(booking=b).update(status="void", voided_at=b.created_at),
        lambda e, b: Seat.objects.filter(event=e, reserved=False).update(reserved=True),
        lambda e, b: Booking.objects.filter(pk=b.pk).update(status="CANCELLED", cancelled_at=b.created_at),
        lambda e, b: Ticket.objects.filter(booking=b).update(checkin_key="k"),
        lambda e, b: Ticket.objects.filter(booking=b).update(checked_in_by=b.user),
    ],
    ids=[
        "booked-count", "waitlisted-count", "seats-freed-behind-the-back", "qty-vs-seats",
        "seat-missing", "tickets-voided-behind-the-back", "seat-reserved-without-ticket",
        "cancelled-with-live-tickets", "valid-ticket-with-checkin-key", "valid-ticket-checked-in-by",
    ],
)
def test_check_inventory_reports_each_violation_and_exits_1(client_for, corrupt, capsys) -> None:
    event = EventFactory(capacity=4)
    booking = Booking.objects.get(pk=book(client_for(UserFactory()), event, qty=2).json()["id"])
    corrupt(event, booking)

    with pytest.raises(CommandError, match="inventory violation"):
        call_command("check_inventory", str(event.id))

    assert f"event {event.id}:" in capsys.readouterr().err


def test_check_inventory_unknown_event_is_an_error() -> None:
    with pytest.raises(CommandError, match="not found"):
        call_command("check_inventory", "999999")


@pytest.mark.parametrize("spelling", ["٩", "２", "1_0", " 2", "2.0", ""])
def test_check_inventory_takes_ascii_digits_only(spelling) -> None:
    """As the API's integers; Python's int() would take "٩", "２", "1_0" and the spaced ones."""
    with pytest.raises(CommandError, match="argument event_id: invalid int value"):
        call_command("check_inventory", spelling)


def test_check_inventory_takes_a_signed_event_id() -> None:
    event = EventFactory(capacity=3)
    out = io.StringIO()

    call_command("check_inventory", f"+{event.id}", stdout=out)

    assert f"Inventory OK (event {event.id})" in out.getvalue()
