import { Link } from 'react-router';
import type { EventItem } from '../api/types';
import { formatDateTime, plural } from '../lib/format';
import { UtilizationBar } from './UtilizationBar';

export function StatusBadge({ status }: { status: EventItem['status'] }) {
  return <span className={`badge badge-${status}`}>{status === 'active' ? 'On sale' : 'Inactive'}</span>;
}

export function EventCard({ event }: { event: EventItem }) {
  const full = event.available === 0;
  const waiting = event.waitlisted_count ?? 0;
  return (
    <article className="card event-card" aria-labelledby={`event-${event.id}-title`}>
      <div className="card-head">
        <h2 id={`event-${event.id}-title`} className="card-title">
          <Link to={`/events/${event.id}`}>{event.name}</Link>
        </h2>
        <StatusBadge status={event.status} />
      </div>
      <p className="muted">
        {event.venue} · <time dateTime={event.start_time}>{formatDateTime(event.start_time)}</time>
      </p>
      <p className="availability">
        <strong>{event.available}</strong> / {event.capacity} available
        {full && <span className="badge badge-full">Sold out</span>}
      </p>
      <UtilizationBar pct={event.utilization_pct} label={`${event.name} utilization`} />
      {waiting > 0 && <p className="waitlist-note">{plural(waiting, 'person', 'people')} on the waitlist</p>}
    </article>
  );
}
