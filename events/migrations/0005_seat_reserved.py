"""Seats lose their foreign key to bookings: `Seat.reserved` (a flag written under the event
lock) replaces it, and the partial index of free seats follows. bookings 0005 has copied the
reservations into tickets first."""

from django.db import migrations, models


def flag_reserved_seats(apps, schema_editor):  # noqa: ANN001, ANN201
    Seat = apps.get_model("events", "Seat")
    Seat.objects.filter(reserved_booking__isnull=False).update(reserved=True)


def seats_back_to_bookings(apps, schema_editor):  # noqa: ANN001, ANN201
    """Backwards: each live ticket's booking goes back on its seat."""
    Seat = apps.get_model("events", "Seat")
    Ticket = apps.get_model("bookings", "Ticket")
    for seat_id, booking_id in (
        Ticket.objects.exclude(status="void").filter(seat__isnull=False).values_list("seat_id", "booking_id").iterator()
    ):
        Seat.objects.filter(pk=seat_id).update(reserved_booking_id=booking_id)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0004_seat_position_unique_by_column"),
        ("bookings", "0005_ticket"),
    ]

    operations = [
        migrations.AddField(model_name="seat", name="reserved", field=models.BooleanField(default=False)),
        migrations.RunPython(flag_reserved_seats, seats_back_to_bookings),
        migrations.RemoveIndex(model_name="seat", name="seat_free_natural_idx"),
        migrations.RemoveField(model_name="seat", name="reserved_booking"),
        migrations.AddIndex(
            model_name="seat",
            index=models.Index(condition=models.Q(("reserved", False)), fields=["event", "row_index", "col_number"], name="seat_free_natural_idx"),
        ),
    ]
