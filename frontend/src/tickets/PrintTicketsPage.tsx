import { Link, useParams } from 'react-router';
import { Empty, ErrorNotice, Loading } from '../components/Status';
import { useMyBookings } from '../hooks/queries';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { EventTimeOf } from '../components/EventTime';
import { TicketQr, TicketStatusBadge } from './TicketParts';
import { useBookingTickets } from './useTickets';
import './tickets.css';

/** `/bookings/:id/print`: the booking's tickets, one per printed page (see tickets.css). */
export default function PrintTicketsPage() {
  const bookingId = Number(useParams().id);
  const valid = Number.isInteger(bookingId) && bookingId > 0;
  const bookings = useMyBookings();
  const booking = bookings.data?.find((b) => b.id === bookingId);
  const tickets = useBookingTickets(bookingId, valid && booking?.status === 'CONFIRMED');
  useDocumentTitle(booking ? `Tickets · ${booking.event.name}` : 'Tickets');

  if (bookings.isPending) return <Loading label="Loading your tickets…" />;
  if (bookings.isError) return <ErrorNotice error={bookings.error} onRetry={() => void bookings.refetch()} />;
  if (!booking || booking.status !== 'CONFIRMED') {
    return (
      <section className="page">
        <h1>No tickets to print</h1>
        <Empty title={booking ? 'Only a confirmed booking has tickets.' : 'This booking is not one of yours.'}>
          <Link to="/bookings">Back to My bookings</Link>
        </Empty>
      </section>
    );
  }
  const { event } = booking;
  return (
    <section className="page print-page">
      <div className="page-head no-print">
        <h1>Tickets · {event.name}</h1>
        <div className="ticket-actions">
          <Link to="/bookings">Back to My bookings</Link>
          <button type="button" className="btn btn-primary" onClick={() => window.print()}>
            Print
          </button>
        </div>
      </div>
      <p className="muted no-print">Each ticket prints on its own page. Bring it on paper or on your phone.</p>
      {tickets.isPending && <Loading label="Loading tickets…" />}
      {tickets.isError && <ErrorNotice error={tickets.error} onRetry={() => void tickets.refetch()} />}
      {tickets.data?.map((t, i) => (
        <article key={t.id} className="print-ticket" aria-labelledby={`print-ticket-${t.id}`}>
          <header className="print-ticket-head">
            <p className="print-brand">Evently · ticket {i + 1} of {tickets.data.length}</p>
            <h2 id={`print-ticket-${t.id}`}>{event.name}</h2>
          </header>
          <div className="print-ticket-body">
            <dl className="print-facts">
              <div>
                <dt>When</dt>
                <dd>
                  {/* In the event's zone, named, with the holder's time beside when it differs. */}
                  <EventTimeOf eventId={event.id} iso={event.start_time} /> – <EventTimeOf eventId={event.id} iso={event.end_time} />
                </dd>
              </div>
              <div>
                <dt>Where</dt>
                <dd>{event.venue}</dd>
              </div>
              <div>
                <dt>Seat</dt>
                <dd className="print-seat">{t.seat_label}</dd>
              </div>
              <div>
                <dt>Status</dt>
                <dd>
                  <TicketStatusBadge ticket={t} />
                </dd>
              </div>
              <div>
                <dt>Code</dt>
                <dd>
                  <code className="print-code">{t.code}</code>
                </dd>
              </div>
            </dl>
            <TicketQr ticket={t} size={220} />
          </div>
        </article>
      ))}
    </section>
  );
}
