import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { fetchDownload, saveBlob } from '../../api/download';
import { ApiError } from '../../api/errors';
import { useAuth } from '../../auth/AuthContext';
import { EventTime } from '../../components/EventTime';
import { Empty, ErrorNotice, Loading, Notice } from '../../components/Status';
import { useAttendees, useEvent } from '../../hooks/queries';
import { useDocumentTitle } from '../../hooks/useDocumentTitle';
import { attendeeCounts, filterAttendees } from '../../lib/attendees';
import { plural } from '../../lib/format';
import { formatInZone } from '../../lib/zonedTime';

/** Who is coming to one event: search, counts, who is in, and the CSV export (admins and door staff). */
export function AttendeesPage() {
  const id = Number(useParams().id);
  const { user } = useAuth();
  const event = useEvent(id);
  const attendees = useAttendees(id);
  const [query, setQuery] = useState('');
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<unknown>(null);
  const [exported, setExported] = useState<string | null>(null);
  useDocumentTitle(event.data ? `Attendees · ${event.data.name}` : 'Attendees');

  const shown = useMemo(() => filterAttendees(attendees.data ?? [], query), [attendees.data, query]);
  const counts = useMemo(() => attendeeCounts(attendees.data ?? []), [attendees.data]);
  const zone = event.data?.timezone;

  const exportCsv = async () => {
    setExporting(true);
    setExportError(null);
    setExported(null);
    try {
      const file = await fetchDownload(`/admin/events/${id}/attendees`, { format: 'csv' }, `event-${id}-attendees.csv`);
      saveBlob(file);
      setExported(`Saved ${file.filename}.`);
    } catch (error) {
      setExportError(error);
    } finally {
      setExporting(false);
    }
  };

  const notFound = [event.error, attendees.error].some((e) => e instanceof ApiError && e.status === 404);
  if (notFound) {
    return (
      <section className="page">
        <h1>Event not found</h1>
        <p>There is no event at this address: the link may be mistyped, or the event was removed.</p>
        <Link to={user?.role === 'admin' ? '/admin/events' : '/'}>Back to events</Link>
      </section>
    );
  }

  return (
    <section className="page attendees-page">
      <p>
        {user?.role === 'admin' ? <Link to="/admin/events">← Manage events</Link> : <Link to={`/events/${id}`}>← Event</Link>}
      </p>
      <div className="page-head">
        <h1>{event.data ? `Attendees: ${event.data.name}` : 'Attendees'}</h1>
        <button type="button" className="btn" onClick={() => void exportCsv()} disabled={exporting || !attendees.data}>
          {exporting ? 'Exporting…' : 'Export CSV'}
        </button>
      </div>
      {event.data && (
        <p className="muted">
          {event.data.venue} · <EventTime iso={event.data.start_time} zone={zone} />
        </p>
      )}
      {exported && <Notice kind="success">{exported}</Notice>}
      {exportError !== null && <ErrorNotice error={exportError} onRetry={() => void exportCsv()} title="The export failed." />}
      {attendees.isPending && <Loading label="Loading attendees…" />}
      {attendees.isError && <ErrorNotice error={attendees.error} onRetry={() => void attendees.refetch()} />}
      {attendees.data && (
        <>
          <dl className="facts attendee-counts">
            <div>
              <dt>Bookings</dt>
              <dd>{counts.bookings}</dd>
            </div>
            <div>
              <dt>Tickets</dt>
              <dd>{counts.tickets}</dd>
            </div>
            <div>
              <dt>Checked in</dt>
              <dd>
                {counts.checkedIn} <span className="muted">of {counts.tickets}</span>
              </dd>
            </div>
          </dl>
          {attendees.data.length === 0 ? (
            <Empty title="Nobody has booked this event yet." />
          ) : (
            <>
              <form className="filters" role="search" aria-label="Filter attendees" onSubmit={(e) => e.preventDefault()}>
                <div className="field">
                  <label htmlFor="attendee-q">Search by name or email</label>
                  <input id="attendee-q" type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
                </div>
              </form>
              <p className="muted" aria-live="polite">
                {query.trim() ? `${plural(shown.length, 'booking')} match “${query.trim()}”.` : `${plural(shown.length, 'booking')}.`}
              </p>
              {shown.length > 0 && (
                <div className="table-scroll">
                  <table className="table compact attendees">
                    <caption className="visually-hidden">Attendees</caption>
                    <thead>
                      <tr>
                        <th scope="col">Name</th>
                        <th scope="col">Email</th>
                        <th scope="col" className="num">Tickets</th>
                        <th scope="col">Seats</th>
                        <th scope="col">Checked in</th>
                        <th scope="col">Booked</th>
                      </tr>
                    </thead>
                    <tbody>
                      {shown.map((a) => (
                        <tr key={a.booking_id}>
                          <th scope="row" className="cell-wrap">{a.user.name}</th>
                          <td className="cell-wrap">
                            <a href={`mailto:${a.user.email}`}>{a.user.email}</a>
                          </td>
                          <td className="num">{a.qty}</td>
                          <td className="seat-labels">{a.seat_labels.length > 0 ? a.seat_labels.join(', ') : <span className="muted">—</span>}</td>
                          <td>
                            {a.checked_in_count >= a.qty ? (
                              <span className="badge badge-sale-on_sale">✓ All in</span>
                            ) : a.checked_in_count > 0 ? (
                              <span className="badge badge-sale-sold_out">
                                {a.checked_in_count} of {a.qty}
                              </span>
                            ) : (
                              <span className="muted">Not yet</span>
                            )}
                          </td>
                          <td>
                            <time dateTime={a.created_at}>{formatInZone(a.created_at, zone ?? 'UTC').text}</time>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </>
          )}
        </>
      )}
    </section>
  );
}
