import { Link } from 'react-router';
import type { EventItem } from '../api/types';
import { plural } from '../lib/format';
import { EventTime } from './EventTime';
import { SaleBadge } from './SaleBadge';
import { UtilizationBar } from './UtilizationBar';

export function StatusBadge({ status }: { status: EventItem['status'] }) {
  return <span className={`badge badge-${status}`}>{status === 'active' ? 'On sale' : 'Inactive'}</span>;
}

export function EventCard({ event }: { event: EventItem }) {
  const waiting = event.waitlisted_count ?? 0;
  return (
    <article className="card event-card" aria-labelledby={`event-${event.id}-title`}>
      <div className="card-head">
        <h2 id={`event-${event.id}-title`} className="card-title">
          <Link to={`/events/${event.id}`}>{event.name}</Link>
        </h2>
        <SaleBadge state={event.sale_state} />
      </div>
      <p className="muted">
        {event.venue} · <EventTime iso={event.start_time} zone={event.timezone} />
      </p>
      <p className="availability">
        <strong>{event.available}</strong> / {event.capacity} available
      </p>
      <UtilizationBar pct={event.utilization_pct} label={`${event.name} utilization`} />
      {waiting > 0 && <p className="waitlist-note">{plural(waiting, 'person', 'people')} on the waitlist</p>}
    </article>
  );
}
