import { Link } from 'react-router';
import type { Booking } from '../api/types';
import { Notice } from './Status';

export function BookingResult({ booking }: { booking: Booking }) {
  if (booking.status === 'WAITLISTED') {
    return (
      <Notice kind="info">
        <strong>You're on the waitlist.</strong> Your place in the queue: <strong>#{booking.waitlist_position}</strong>.
        You'll get seats automatically when enough free up. <Link to="/bookings">See my bookings</Link>
      </Notice>
    );
  }
  return (
    <Notice kind="success">
      <strong>You're booked!</strong> {booking.qty} {booking.qty === 1 ? 'ticket' : 'tickets'}
      {booking.seat_labels.length > 0 && <> — seats {booking.seat_labels.join(', ')}</>}. <Link to="/bookings">See my bookings</Link>
    </Notice>
  );
}
