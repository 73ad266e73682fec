import { useMemo } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError } from '../api/errors';
import { useAuth } from '../auth/AuthContext';
import { EventTime } from '../components/EventTime';
import { SaleBadge } from '../components/SaleBadge';
import { ErrorNotice, Loading } from '../components/Status';
import { UtilizationBar } from '../components/UtilizationBar';
import { useEvent, useMyBookings, useSeats } from '../hooks/queries';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { plural } from '../lib/format';
import { myPlaceAt } from '../lib/myPlace';
import { BookingPanel } from './BookingPanel';

export function EventPage() {
  const id = Number(useParams().id);
  const event = useEvent(id);
  const seats = useSeats(id);
  const bookings = useMyBookings();
  const { user } = useAuth();
  useDocumentTitle(event.data?.name ?? 'Event');

  const { seats: mine, waiting: myWaiting } = useMemo(() => myPlaceAt(bookings.data, id), [bookings.data, id]);

  if (event.isPending) return <Loading label="Loading event…" />;
  if (event.isError && event.error instanceof ApiError && event.error.status === 404) {
    return (
      <section className="page">
        <h1>Event not found</h1>
        <p>There is no event at this address: the link may be mistyped, or the event was removed.</p>
        <Link to="/">Browse events</Link>
      </section>
    );
  }
  if (event.isError) {
    return (
      <section className="page">
        <h1>Event</h1>
        <ErrorNotice error={event.error} onRetry={() => void event.refetch()} />
        <Link to="/">← Back to events</Link>
      </section>
    );
  }
  const e = event.data;
  const waiting = e.waitlisted_count ?? 0;
  return (
    <section className="page">
      <p>
        <Link to="/">← All events</Link>
      </p>
      <div className="event-head">
        <h1>{e.name}</h1>
        <SaleBadge state={e.sale_state} />
      </div>
      <dl className="facts">
        <div>
          <dt>Venue</dt>
          <dd>{e.venue}</dd>
        </div>
        <div>
          <dt>Starts</dt>
          <dd>
            <EventTime iso={e.start_time} zone={e.timezone} />
          </dd>
        </div>
        <div>
          <dt>Ends</dt>
          <dd>
            <EventTime iso={e.end_time} zone={e.timezone} />
          </dd>
        </div>
        <div>
          <dt>Available</dt>
          <dd>
            {e.available} / {e.capacity}
          </dd>
        </div>
        <div>
          <dt>Waitlist</dt>
          <dd>{waiting > 0 ? plural(waiting, 'person', 'people') : 'Nobody waiting'}</dd>
        </div>
      </dl>
      <UtilizationBar pct={e.utilization_pct} label="Seats booked" />
      {(user?.role === 'admin' || user?.role === 'checkin') && (
        <p>
          <Link to={`/admin/events/${e.id}/attendees`}>Attendees and check-ins →</Link>
        </p>
      )}
      {mine.size > 0 && <p className="muted">You hold {plural(mine.size, 'seat')} here (★ on the map).</p>}
      {seats.isPending && <Loading label="Loading the seat map…" />}
      {seats.isError && <ErrorNotice error={seats.error} onRetry={() => void seats.refetch()} />}
      {seats.data && <BookingPanel key={e.id} event={e} seats={seats.data} mine={mine} waiting={myWaiting} />}
    </section>
  );
}
