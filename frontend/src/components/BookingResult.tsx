import type { Ref } from 'react';
import { Link } from 'react-router';
import type { Booking } from '../api/types';
import { waitingText, type WaitingPlace } from '../lib/myPlace';
import { Notice } from './Status';

/** The answer to a booking; `ref` lets the panel move focus to it (the button it replaces is gone). */
export function BookingResult({ booking, ref }: { booking: Booking; ref?: Ref<HTMLDivElement> }) {
  if (booking.status === 'WAITLISTED') {
    return (
      <Notice kind="info" ref={ref}>
        <p>
          <strong>You're on the waitlist.</strong> Your place in the queue: <strong>#{booking.waitlist_position}</strong>.
          You'll get seats automatically when enough free up. <Link to="/bookings">See my bookings</Link>
        </p>
      </Notice>
    );
  }
  return (
    <Notice kind="success" ref={ref}>
      <p>
        <strong>You're booked!</strong> {booking.qty} {booking.qty === 1 ? 'ticket' : 'tickets'}
        {booking.seat_labels.length > 0 && (
          <> — {booking.seat_labels.length === 1 ? 'seat' : 'seats'} {booking.seat_labels.join(', ')}</>
        )}
        . <Link to="/bookings">See my bookings</Link>
      </p>
    </Notice>
  );
}

/** On an event's page, when the person already waits for it (instead of offering a second join). */
export function OnWaitlist({ waiting }: { waiting: readonly WaitingPlace[] }) {
  return (
    <Notice kind="info">
      <p>
        <strong>{waitingText(waiting)}</strong> You'll get seats automatically when enough free up.{' '}
        <Link to="/bookings">See my bookings</Link>
      </p>
    </Notice>
  );
}
