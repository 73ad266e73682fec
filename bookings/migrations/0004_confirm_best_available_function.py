"""PostgreSQL: `evently_confirm_best_available`, the hot path of a booking in one statement.

Locks the event row, and only when the booking can plainly be confirmed (active, not ended,
nobody waiting, room for qty, a seat map) inserts it, reserves the first free seats through
the partial index and bumps the counter. Anything else returns no row and writes nothing;
the caller then takes the general path, where every rule is decided in Python
(bookings/services.py). Called in autocommit mode, the lock is held only while PostgreSQL
works: no client round trip, no Python, inside it. Each statement of a VOLATILE function
takes a fresh snapshot, so after waiting for the lock it sees the previous holder's writes.
SQLite has no stored functions and keeps the ORM path.
"""

from django.db import migrations

CREATE = r"""
CREATE OR REPLACE FUNCTION evently_confirm_best_available(
    p_user bigint, p_event bigint, p_qty integer, p_key text, p_fingerprint text,
    p_now timestamptz
) RETURNS TABLE (confirmed_booking_id bigint, seat_label text)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    ev events_event%ROWTYPE;
    new_id bigint;
    reserved integer;
BEGIN
    SELECT * INTO ev FROM events_event WHERE id = p_event FOR UPDATE;
    IF NOT FOUND OR ev.status <> 'active' OR ev.end_time <= p_now OR ev.waitlisted_count > 0
            OR ev.capacity - ev.booked_count < p_qty OR ev.seat_cols IS NULL THEN
        RETURN;  -- not plainly confirmable: the general path decides
    END IF;
    INSERT INTO bookings_booking
        (user_id, event_id, qty, status, idempotency_key, request_fingerprint, created_at, updated_at)
    VALUES (p_user, p_event, p_qty, 'CONFIRMED', p_key, p_fingerprint, p_now, p_now)
    ON CONFLICT (user_id, event_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
    RETURNING id INTO new_id;
    IF new_id IS NULL THEN
        RETURN;  -- the key is taken: a replay, answered by the general path
    END IF;
    RETURN QUERY
        WITH s AS (
            UPDATE events_seat SET reserved_booking_id = new_id
            WHERE id IN (
                SELECT id FROM events_seat
                WHERE event_id = p_event AND reserved_booking_id IS NULL
                ORDER BY row_index, col_number LIMIT p_qty
            )
            RETURNING events_seat.label::text, events_seat.row_index, events_seat.col_number
        )
        SELECT new_id, s.label FROM s ORDER BY s.row_index, s.col_number;
    GET DIAGNOSTICS reserved = ROW_COUNT;
    IF reserved <> p_qty THEN  -- impossible while the counters hold; never commit it
        RAISE EXCEPTION 'booking %: % free seats for qty %', new_id, reserved, p_qty;
    END IF;
    UPDATE events_event SET booked_count = booked_count + p_qty WHERE id = p_event;
END
$$;
"""

DROP = "DROP FUNCTION IF EXISTS evently_confirm_best_available(bigint, bigint, integer, text, text, timestamptz);"


def create(apps, schema_editor):  # noqa: ANN001, ANN201
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):  # noqa: ANN001, ANN201
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0003_drop_covered_fk_indexes"),
        ("events", "0004_seat_position_unique_by_column"),
    ]

    operations = [migrations.RunPython(create, drop)]
