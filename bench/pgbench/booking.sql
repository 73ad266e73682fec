-- The database work of one hot-event booking (bookings.services.booking_create), nothing else:
-- lock the event row, read the first free seat in natural order (through the partial index
-- seat_free_natural_idx), insert the booking and its ticket, reserve the seat, bump the
-- counter, commit.
-- Variables: -D event_id=… -D user_lo=… -D user_hi=…
\set uid random(:user_lo, :user_hi)
BEGIN;
SELECT id, capacity, booked_count, waitlisted_count, status, end_time FROM events_event WHERE id = :event_id FOR UPDATE;
SELECT id AS seat_id FROM events_seat WHERE event_id = :event_id AND NOT reserved ORDER BY row_index, col_number LIMIT 1 \gset
INSERT INTO bookings_booking (user_id, event_id, qty, status, idempotency_key, request_fingerprint, created_at, updated_at) VALUES (:uid, :event_id, 1, 'CONFIRMED', gen_random_uuid()::text, '0000000000000000000000000000000000000000000000000000000000000000', now(), now()) RETURNING id AS booking_id \gset
INSERT INTO bookings_ticket (booking_id, event_id, seat_id, seat_label, code, status, created_at) SELECT :booking_id, :event_id, id, label, md5(random()::text), 'valid', now() FROM events_seat WHERE id = :seat_id;
UPDATE events_seat SET reserved = true WHERE id = :seat_id;
UPDATE events_event SET booked_count = booked_count + 1 WHERE id = :event_id;
COMMIT;
