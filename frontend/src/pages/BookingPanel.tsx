import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { explainError } from '../api/errors';
import { isRetryable } from '../lib/idempotency';
import type { BookingRequest, EventItem, Seat } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { BookingResult, OnWaitlist } from '../components/BookingResult';
import { QuantityInput } from '../components/QuantityInput';
import { SeatLegend, SeatMap } from '../components/SeatMap';
import { Notice } from '../components/Status';
import { MAX_TICKETS_PER_BOOKING } from '../config';
import { useBooking } from '../hooks/useBooking';
import { useFocusOn } from '../hooks/useFocusOn';
import { bookingRefusal, seatsGoneMessage, seatsTakenMessage, withoutSeats } from '../lib/bookingRefusal';
import { plural } from '../lib/format';
import type { WaitingPlace } from '../lib/myPlace';
import { parseQuantity } from '../lib/quantity';
import { countSeats, groupSeatsIntoRows, sortSeatLabels, toggleSeat, type SeatCell } from '../lib/seatMap';

interface Props {
  event: EventItem;
  seats: Seat[];
  mine: ReadonlySet<string>;
  /** The person's places in this event's waitlist (then no second join is offered). */
  waiting: readonly WaitingPlace[];
}

type Mode = 'seats' | 'best';

export function BookingPanel({ event, seats, mine, waiting }: Props) {
  const { token } = useAuth();
  const location = useLocation();
  const booking = useBooking(event.id);
  const rows = useMemo(() => groupSeatsIntoRows(seats), [seats]);
  const counts = useMemo(() => countSeats(rows, mine), [rows, mine]);
  const [mode, setMode] = useState<Mode>(seats.length > 0 ? 'seats' : 'best');
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());
  const [qtyText, setQtyText] = useState('1');
  const { qty, error: qtyError } = parseQuantity(qtyText, MAX_TICKETS_PER_BOOKING);
  const [limitHit, setLimitHit] = useState(false);
  // The button pressed is disabled while pending, then replaced: focus goes to the answer.
  const resultRef = useFocusOn<HTMLDivElement>(booking.isSuccess && booking.submittedAt);
  const errorRef = useFocusOn<HTMLDivElement>(booking.isError && booking.submittedAt);

  // Seats picked here that the map, read again, shows reserved (someone else booked them, or
  // this person in another tab) leave the selection: the summary and "Book N seats" must agree
  // with the map. Someone else's are named, as when a booking is refused for them. Not while a
  // booking is settling: the map is read again before its answer (and before "my bookings"),
  // which then says what became of the seats (booked by this person, or refused as taken).
  const [goneMeanwhile, setGoneMeanwhile] = useState<readonly string[]>([]);
  const settling = booking.isPending;
  useEffect(() => {
    if (settling) return;
    const gone = seats.filter((seat) => seat.reserved && selected.has(seat.label)).map((seat) => seat.label);
    if (gone.length === 0) return;
    setSelected(withoutSeats(selected, gone));
    const theirs = gone.filter((label) => !mine.has(label));
    if (theirs.length > 0) setGoneMeanwhile(sortSeatLabels(new Set(theirs)));
  }, [seats, selected, mine, settling]);

  const onToggle = useCallback((seat: SeatCell) => {
    setGoneMeanwhile([]);
    setSelected((current) => {
      const { next, refused } = toggleSeat(current, seat, MAX_TICKETS_PER_BOOKING);
      setLimitHit(refused === 'limit');
      return next;
    });
  }, []);

  // From the server's sale_state only (it knows the time and the inventory).
  if (event.sale_state === 'inactive') {
    return <Notice kind="warning">This event is not on sale at the moment.</Notice>;
  }
  if (event.sale_state === 'ended') {
    return <Notice kind="info">This event has ended: tickets are no longer sold.</Notice>;
  }
  if (!token) {
    return (
      <div className="card booking-panel">
        <p>
          <Link to={`/login?next=${encodeURIComponent(location.pathname)}`}>Log in</Link> or{' '}
          <Link to={`/signup?next=${encodeURIComponent(location.pathname)}`}>sign up</Link> to book tickets.
        </p>
      </div>
    );
  }

  const queue = event.waitlisted_count ?? 0;
  const full = event.available === 0 || queue > 0;
  const pending = booking.isPending;
  const submit = (body: BookingRequest) => {
    if (pending) return;
    setGoneMeanwhile([]);
    booking.mutate(body, {
      onSuccess: (result) => {
        if (result.status === 'CONFIRMED') setSelected(new Set());
      },
      onError: (err) => {
        // Named seats someone else took: out of the selection (the map shows them taken now).
        const refusal = bookingRefusal(err, body);
        if (refusal.kind === 'seats-taken') setSelected((current) => withoutSeats(current, refusal.seats));
      },
    });
  };
  const selectedLabels = sortSeatLabels(selected);
  const error = booking.error;
  const refusal = bookingRefusal(error, booking.variables);
  const justJoined = booking.data?.status === 'WAITLISTED';
  const alreadyWaiting = waiting.length > 0 && !justJoined;

  return (
    <div className="card booking-panel">
      <h2>Book tickets</h2>
      {booking.data && <BookingResult booking={booking.data} ref={resultRef} />}
      {alreadyWaiting && <OnWaitlist waiting={waiting} />}

      {full && (justJoined || alreadyWaiting) ? null : full ? (
        <div className="waitlist-offer" role="region" aria-label="Waitlist">
          <p>
            <strong>{event.available === 0 ? 'This event is sold out.' : `${plural(queue, 'person is', 'people are')} already waiting for seats.`}</strong>{' '}
            Join the waitlist and you'll get seats automatically, first come first served, when some free up.
          </p>
          <div className="row">
            <QuantityInput id="wl-qty" value={qtyText} onChange={setQtyText} error={qtyError} />
            <button type="button" className="btn btn-primary" disabled={pending || qty === null} onClick={() => qty !== null && submit({ qty, waitlist: true })}>
              {pending ? 'Joining…' : 'Join the waitlist'}
            </button>
          </div>
        </div>
      ) : (
        <>
          {seats.length > 0 && (
            <fieldset className="mode-switch">
              <legend>How do you want to choose?</legend>
              <label>
                <input type="radio" name="mode" checked={mode === 'seats'} onChange={() => setMode('seats')} /> Pick seats on the map
              </label>
              <label>
                <input type="radio" name="mode" checked={mode === 'best'} onChange={() => setMode('best')} /> Best available
              </label>
            </fieldset>
          )}

          {mode === 'seats' && seats.length > 0 ? (
            <>
              <p className="muted">
                {counts.free} of {counts.total} seats free. Use the arrow keys to move between seats and Enter or Space to pick one.
              </p>
              <SeatLegend />
              <SeatMap rows={rows} selected={selected} mine={mine} onToggle={onToggle} />
              <div className="selection-bar" aria-live="polite">
                <span>
                  {selectedLabels.length === 0 ? 'No seats selected.' : `Selected: ${selectedLabels.join(', ')}`}
                  {limitHit && ` (at most ${MAX_TICKETS_PER_BOOKING} seats per booking)`}
                </span>
                {selectedLabels.length > 0 && (
                  <button type="button" className="btn btn-small" onClick={() => setSelected(new Set())} disabled={pending}>
                    Clear
                  </button>
                )}
                <button
                  type="button"
                  className="btn btn-primary"
                  disabled={pending || selectedLabels.length === 0}
                  onClick={() => submit({ seat_ids: selectedLabels })}
                >
                  {pending ? 'Booking…' : selectedLabels.length === 0 ? 'Pick seats to book' : `Book ${plural(selectedLabels.length, 'seat')}`}
                </button>
              </div>
              {goneMeanwhile.length > 0 && <Notice kind="warning">{seatsGoneMessage(goneMeanwhile)}</Notice>}
            </>
          ) : (
            <div className="row">
              <QuantityInput id="best-qty" value={qtyText} onChange={setQtyText} error={qtyError} />
              <button type="button" className="btn btn-primary" disabled={pending || qty === null} onClick={() => qty !== null && submit({ qty })}>
                {pending ? 'Booking…' : qty === null ? 'Book tickets' : `Book ${plural(qty, 'ticket')}`}
              </button>
              {seats.length === 0 && <p className="muted">You'll get the best seats available.</p>}
            </div>
          )}
        </>
      )}

      {error !== null && !pending && (
        <div className="notice notice-error" role="alert" ref={errorRef} tabIndex={-1}>
          <p>{refusal.kind === 'seats-taken' ? seatsTakenMessage(refusal.seats) : explainError(error)}</p>
          {isRetryable(error) && booking.variables && (
            <button type="button" className="btn btn-small" onClick={() => submit(booking.variables)}>
              Try again
            </button>
          )}
          {refusal.kind === 'no-room' && !full && waiting.length === 0 && (
            <>
              {refusal.named && <p>The waitlist gives you the best seats free when your turn comes, not necessarily the ones you picked.</p>}
              <button type="button" className="btn btn-small btn-primary" onClick={() => submit(refusal.waitlist)}>
                Join the waitlist for {plural(refusal.waitlist.qty ?? 0, 'ticket')}
              </button>
            </>
          )}
        </div>
      )}
    </div>
  );
}
