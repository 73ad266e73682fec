-- The database work of one hot-event booking (bookings.services.booking_create), nothing else:
-- lock the event row, bump the counter, insert the booking, reserve the first free seat in
-- natural order (through the partial index seat_free_natural_idx), commit.
-- Variables: -D event_id=… -D user_lo=… -D user_hi=…
\set uid random(:user_lo, :user_hi)
BEGIN;
SELECT id, capacity, booked_count, waitlisted_count, status, end_time FROM events_event WHERE id = :event_id FOR UPDATE;
UPDATE events_event SET booked_count = booked_count + 1 WHERE id = :event_id;
INSERT INTO bookings_booking (user_id, event_id, qty, status, idempotency_key, request_fingerprint, created_at, updated_at) VALUES (:uid, :event_id, 1, 'CONFIRMED', gen_random_uuid()::text, '0000000000000000000000000000000000000000000000000000000000000000', now(), now()) RETURNING id AS booking_id \gset
UPDATE events_seat SET reserved_booking_id = :booking_id WHERE id = (SELECT id FROM events_seat WHERE event_id = :event_id AND reserved_booking_id IS NULL ORDER BY row_index, col_number LIMIT 1);
COMMIT;
