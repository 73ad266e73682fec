import { useState } from 'react';
import { Link } from 'react-router';
import { buildUrl } from '../api/client';
import { explainError } from '../api/errors';
import { eventCalendarPath, ticketsApi } from '../api/ticketEndpoints';
import type { Booking, Ticket } from '../api/types';
import { ErrorNotice, Loading } from '../components/Status';
import { formatClock } from '../lib/checkin';
import { saveBlob, useBookingTickets, useQrUrl } from './useTickets';
import './tickets.css';

/** The QR code of a ticket (fetched with the token), with its code as the text alternative. */
export function TicketQr({ ticket, size = 132 }: { ticket: Ticket; size?: number }) {
  const { url, failed } = useQrUrl(ticket.code);
  const [broken, setBroken] = useState<string | null>(null);
  const label = `QR code of the ticket for seat ${ticket.seat_label}`;
  if (failed || (url !== null && broken === url)) return <div className="qr qr-missing" style={{ width: size, height: size }}>QR code unavailable: show the code below.</div>;
  if (!url) return <div className="qr qr-loading" style={{ width: size, height: size }} role="img" aria-label={`${label} (loading)`} />;
  return <img className="qr" src={url} width={size} height={size} alt={label} onError={() => setBroken(url)} />;
}

/** "Valid" / "Checked in at HH:MM" / "Void", with a badge that differs by more than colour. */
export function TicketStatusBadge({ ticket }: { ticket: Ticket }) {
  if (ticket.status === 'checked_in') {
    const at = formatClock(ticket.checked_in_at);
    return <span className="badge ticket-badge ticket-checked_in">✓ Checked in{at && ` at ${at}`}</span>;
  }
  if (ticket.status === 'void') return <span className="badge ticket-badge ticket-void">✕ Void</span>;
  return <span className="badge ticket-badge ticket-valid">Valid</span>;
}

/** "Add to calendar": the booking's own .ics (with its seats), fetched with the token. */
export function AddToCalendar({ booking }: { booking: Booking }) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  return (
    <>
      <a
        className="btn btn-small"
        // Without the script (or for a plain "open in new tab") the public event file still works.
        href={buildUrl(eventCalendarPath(booking.event.id))}
        download={`evently-booking-${booking.id}.ics`}
        aria-busy={busy || undefined}
        onClick={(e) => {
          if (e.metaKey || e.ctrlKey || e.shiftKey) return;
          e.preventDefault();
          setBusy(true);
          setError(null);
          ticketsApi
            .bookingCalendar(booking.id)
            .then((blob) => saveBlob(blob, `evently-booking-${booking.id}.ics`))
            .catch((err: unknown) => setError(err))
            .finally(() => setBusy(false));
        }}
      >
        Add to calendar<span className="visually-hidden"> ({booking.event.name})</span>
      </a>
      {error !== null && (
        <span className="field-error" role="alert">
          {explainError(error)}
        </span>
      )}
    </>
  );
}

/** The tickets of a confirmed booking on My bookings: QR, seat, status, code; print and calendar. */
export function BookingTickets({ booking }: { booking: Booking }) {
  const tickets = useBookingTickets(booking.id);
  return (
    <section className="booking-tickets" aria-label={`Tickets for ${booking.event.name}`}>
      <div className="ticket-actions">
        <AddToCalendar booking={booking} />
        <Link className="btn btn-small" to={`/bookings/${booking.id}/print`}>
          Print tickets<span className="visually-hidden"> for {booking.event.name}</span>
        </Link>
      </div>
      {tickets.isPending && <Loading label="Loading tickets…" />}
      {tickets.isError && <ErrorNotice error={tickets.error} onRetry={() => void tickets.refetch()} />}
      {tickets.data && (
        <ul className="ticket-list">
          {tickets.data.map((t) => (
            <li key={t.id} className={`ticket ticket-row-${t.status}`}>
              <TicketQr ticket={t} size={128} />
              <div className="ticket-info">
                <p className="ticket-seat">
                  Seat <strong>{t.seat_label}</strong>
                </p>
                <TicketStatusBadge ticket={t} />
                <p className="ticket-code">
                  <span className="muted">Code</span> <code>{t.code}</code>
                </p>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
