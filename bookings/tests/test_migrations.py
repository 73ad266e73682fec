"""bookings 0005 / events 0005 move each reservation (Seat.reserved_booking) into a ticket and
a reserved flag, and back."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("bookings", "0004_confirm_best_available_function"), ("events", "0004_seat_position_unique_by_column")]
AFTER = [("bookings", "0005_ticket"), ("events", "0005_seat_reserved")]


def migrate(targets):  # noqa: ANN001, ANN201
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    # Apps other than these two stay at their latest migration, in the database and in the
    # historical models the test writes with.
    others = [node for node in executor.loader.graph.leaf_nodes() if node[0] not in {"bookings", "events"}]
    targets = [*targets, *others]
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_reservations_become_tickets_and_come_back() -> None:
    old = migrate(BEFORE)
    try:
        User, Event = old.get_model("accounts", "User"), old.get_model("events", "Event")
        Seat, Booking = old.get_model("events", "Seat"), old.get_model("bookings", "Booking")
        now = timezone.now()
        user = User.objects.create(email="m@example.com", email_folded="m@example.com", name="M", password="x")
        event = Event.objects.create(
            name="e", venue="v", start_time=now, end_time=now + timezone.timedelta(hours=1),
            capacity=3, booked_count=2, seat_cols=3,
        )
        seats = [
            Seat.objects.create(event=event, label=f"A-{c}", row_label="A", row_index=0, col_number=c)
            for c in (1, 2, 3)
        ]
        booking = Booking.objects.create(user=user, event=event, qty=2, status="CONFIRMED", created_at=now)
        Seat.objects.filter(pk__in=[seats[0].pk, seats[2].pk]).update(reserved_booking=booking)

        new = migrate(AFTER)
        Ticket, NewSeat = new.get_model("bookings", "Ticket"), new.get_model("events", "Seat")
        tickets = list(Ticket.objects.order_by("seat_label").values_list("booking_id", "event_id", "seat_id", "seat_label", "status"))
        assert tickets == [
            (booking.pk, event.pk, seats[0].pk, "A-1", "valid"),
            (booking.pk, event.pk, seats[2].pk, "A-3", "valid"),
        ]
        assert len(set(Ticket.objects.values_list("code", flat=True))) == 2
        assert list(NewSeat.objects.filter(reserved=True).order_by("label").values_list("label", flat=True)) == ["A-1", "A-3"]

        back = migrate(BEFORE)
        OldSeat = back.get_model("events", "Seat")
        assert list(OldSeat.objects.order_by("label").values_list("label", "reserved_booking_id")) == [
            ("A-1", booking.pk), ("A-2", None), ("A-3", booking.pk),
        ]
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
