import { useState } from 'react';
import { Link } from 'react-router';
import type { Booking } from '../api/types';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { PromotionBanner } from '../components/PromotionBanner';
import { Empty, ErrorNotice, Loading, Notice } from '../components/Status';
import { BookingChanged, useCancelBooking, useMyBookings } from '../hooks/queries';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { useFocusOn } from '../hooks/useFocusOn';
import { BookingTickets } from '../tickets/TicketParts';

import { EventTimeOf } from '../components/EventTime';
import { plural } from '../lib/format';

const STATUS_TEXT: Record<Booking['status'], string> = {
  CONFIRMED: 'Confirmed',
  WAITLISTED: 'On the waitlist',
  CANCELLED: 'Cancelled',
};

function BookingRow({ booking, onCancel }: { booking: Booking; onCancel: (b: Booking) => void }) {
  const { event } = booking;
  return (
    <li className={`card booking booking-${booking.status.toLowerCase()}`} aria-labelledby={`booking-${booking.id}`}>
      <div className="card-head">
        <h2 id={`booking-${booking.id}`} className="card-title">
          <Link to={`/events/${event.id}`}>{event.name}</Link>
        </h2>
        <span className={`badge badge-${booking.status.toLowerCase()}`}>{STATUS_TEXT[booking.status]}</span>
      </div>
      <p className="muted">
        {event.venue} · <EventTimeOf eventId={event.id} iso={event.start_time} />
      </p>
      <p>
        {booking.qty} {booking.qty === 1 ? 'ticket' : 'tickets'}
        {booking.seat_labels.length > 0 && (
          <>
            {' '}
            · {booking.seat_labels.length === 1 ? 'Seat' : 'Seats'} <strong className="seat-labels">{booking.seat_labels.join(', ')}</strong>
          </>
        )}
        {booking.status === 'WAITLISTED' && booking.waitlist_position !== null && (
          <>
            {' '}
            · Position in queue <strong>#{booking.waitlist_position}</strong>
          </>
        )}
      </p>
      {booking.status === 'CONFIRMED' && <BookingTickets booking={booking} />}
      {booking.status !== 'CANCELLED' && (
        <button type="button" className="btn btn-small btn-danger-outline" onClick={() => onCancel(booking)}>
          {booking.status === 'WAITLISTED' ? 'Leave the waitlist' : 'Cancel booking'}
          <span className="visually-hidden"> for {event.name}</span>
        </button>
      )}
    </li>
  );
}

export function MyBookingsPage() {
  useDocumentTitle('My bookings');
  const bookings = useMyBookings();
  const cancel = useCancelBooking();
  const [target, setTarget] = useState<Booking | null>(null);
  // An object, so that a second cancellation with the same words takes focus again.
  const [done, setDone] = useState<{ text: string } | null>(null);
  // The dialog's buttons are disabled while it works, then the dialog and the row's button go:
  // focus goes to the confirmation, or to the error inside the dialog.
  const doneRef = useFocusOn<HTMLDivElement>(done);
  const failedRef = useFocusOn<HTMLDivElement>(cancel.isError && cancel.submittedAt);

  const confirmCancel = () => {
    if (!target) return;
    cancel.mutate(target, {
      onSuccess: (b) => {
        setDone({ text: `Your booking for ${b.event.name} is cancelled.` });
        setTarget(null);
      },
      // Promoted meanwhile: nothing was cancelled; the dialog now asks about the seats.
      onError: (error) => {
        if (error instanceof BookingChanged) setTarget(error.booking);
      },
    });
  };

  return (
    <section className="page">
      <h1>My bookings</h1>
      <PromotionBanner bookings={bookings.data} />
      {done && (
        <Notice kind="success" ref={doneRef}>
          {done.text}
        </Notice>
      )}
      {cancel.isError && !(cancel.error instanceof BookingChanged) && <ErrorNotice error={cancel.error} />}
      {bookings.isPending && <Loading label="Loading your bookings…" />}
      {bookings.isError && <ErrorNotice error={bookings.error} onRetry={() => void bookings.refetch()} />}
      {bookings.data &&
        (bookings.data.length === 0 ? (
          <Empty title="You have no bookings yet.">
            <Link to="/">Find an event</Link>
          </Empty>
        ) : (
          <ul className="booking-list">
            {bookings.data.map((b) => (
              <BookingRow key={b.id} booking={b} onCancel={(x) => { cancel.reset(); setDone(null); setTarget(x); }} />
            ))}
          </ul>
        ))}
      <ConfirmDialog
        open={target !== null}
        title={target?.status === 'WAITLISTED' ? 'Leave the waitlist?' : 'Cancel this booking?'}
        confirmLabel={target?.status === 'WAITLISTED' ? 'Leave the waitlist' : 'Yes, cancel it'}
        danger
        busy={cancel.isPending}
        onConfirm={confirmCancel}
        onCancel={() => setTarget(null)}
      >
        {target && (
          <p>
            {target.event.name} — {target.qty} {target.qty === 1 ? 'ticket' : 'tickets'}
            {target.seat_labels.length > 0 && ` (seats ${target.seat_labels.join(', ')})`}.{' '}{target.status === 'WAITLISTED' ? 'You leave the waitlist and lose your place in the queue.' : 'Your seats go to the next person waiting.'} This can't be undone.
          </p>
        )}
        {cancel.error instanceof BookingChanged ? (
          <Notice kind="success" ref={failedRef}>
            You got seats from the waitlist meanwhile: {cancel.error.booking.seat_labels.join(', ') || plural(cancel.error.booking.qty, 'ticket')}.
            Nothing was cancelled. Keep them, or cancel this booking?
          </Notice>
        ) : (
          cancel.isError && <ErrorNotice error={cancel.error} ref={failedRef} />
        )}
      </ConfirmDialog>
    </section>
  );
}
