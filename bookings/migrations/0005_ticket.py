"""Tickets: the reservation record (one per seat of a CONFIRMED booking), replacing the seat's
foreign key to its booking (events 0005 drops it); and the PL/pgSQL writer of 0004 goes: every
booking is written by the ORM path in bookings/services.py."""

import secrets

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

import bookings.models


def tickets_from_seats(apps, schema_editor):  # noqa: ANN001, ANN201
    """One valid ticket per seat held by a booking (Seat.reserved_booking, still present)."""
    Seat = apps.get_model("events", "Seat")
    Ticket = apps.get_model("bookings", "Ticket")
    batch = []
    for seat_id, label, event_id, booking_id, created_at in (
        Seat.objects.filter(reserved_booking__isnull=False)
        .order_by("reserved_booking_id", "row_index", "col_number")
        .values_list("id", "label", "event_id", "reserved_booking_id", "reserved_booking__created_at")
        .iterator(chunk_size=5000)
    ):
        batch.append(
            Ticket(
                booking_id=booking_id, event_id=event_id, seat_id=seat_id, seat_label=label,
                code=secrets.token_urlsafe(18), status="valid", created_at=created_at,
            )
        )
        if len(batch) >= 5000:
            Ticket.objects.bulk_create(batch)
            batch = []
    Ticket.objects.bulk_create(batch)


def seats_from_tickets(apps, schema_editor):  # noqa: ANN001, ANN201
    """Backwards: the tickets are dropped with their table; events 0005's reverse has already
    put each live ticket's booking back on its seat."""


def drop_function(apps, schema_editor):  # noqa: ANN001, ANN201
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "DROP FUNCTION IF EXISTS evently_confirm_best_available"
            "(bigint, bigint, integer, text, text, timestamptz);",
            params=None,
        )


def create_function(apps, schema_editor):  # noqa: ANN001, ANN201
    from importlib import import_module

    import_module("bookings.migrations.0004_confirm_best_available_function").create(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0004_confirm_best_available_function"),
        ("events", "0004_seat_position_unique_by_column"),
    ]

    operations = [
        migrations.RunPython(drop_function, create_function),
        migrations.CreateModel(
            name="Ticket",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seat_label", models.CharField(max_length=16)),
                ("code", models.CharField(default=bookings.models.new_ticket_code, max_length=43, unique=True)),
                ("status", models.CharField(choices=[("valid", "Valid"), ("checked_in", "Checked in"), ("void", "Void")], default="valid", max_length=10)),
                ("checked_in_at", models.DateTimeField(blank=True, null=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("voided_at", models.DateTimeField(blank=True, null=True)),
                ("booking", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="tickets", to="bookings.booking")),
                ("event", models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name="tickets", to="events.event")),
                ("seat", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="tickets", to="events.seat")),
            ],
            options={
                "ordering": ["booking_id", "id"],
                "constraints": [
                    models.UniqueConstraint(condition=models.Q(("status", "void"), _negated=True), fields=("seat",), name="ticket_one_live_per_seat"),
                    models.CheckConstraint(condition=models.Q(("status__in", ["valid", "checked_in", "void"])), name="ticket_status_valid"),
                    models.CheckConstraint(condition=models.Q(models.Q(("status", "void"), ("voided_at__isnull", False)), models.Q(models.Q(("status", "void"), _negated=True), ("voided_at__isnull", True)), _connector="OR"), name="ticket_voided_at_iff_void"),
                ],
            },
        ),
        migrations.RunPython(tickets_from_seats, seats_from_tickets),
    ]
