import { useMemo } from 'react';
import { Link } from 'react-router';
import { ErrorNotice, Empty, Loading } from '../../components/Status';
import { useAnalytics, useRefreshAnalytics } from '../../hooks/queries';
import { useDocumentTitle } from '../../hooks/useDocumentTitle';
import { formatDateTimeSeconds, formatPct } from '../../lib/format';
import { mergeTimeseries, TimeseriesChart, UtilizationChart } from './DashboardCharts';

function Stat({ label, value }: { label: string; value: string | number }) {
  return (
    <div className="stat card">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

export default function DashboardPage() {
  useDocumentTitle('Dashboard');
  const summary = useAnalytics();
  const refresh = useRefreshAnalytics();
  const days = useMemo(() => (summary.data ? mergeTimeseries(summary.data.timeseries_7d) : []), [summary.data]);

  return (
    <section className="page">
      <div className="page-head">
        <h1>Dashboard</h1>
        <div className="row">
          {summary.data && (
            <span className="muted" aria-live="polite">
              Figures from <time dateTime={summary.data.generated_at}>{formatDateTimeSeconds(summary.data.generated_at)}</time>
            </span>
          )}
          <button type="button" className="btn" onClick={() => refresh.mutate()} disabled={refresh.isPending}>
            {refresh.isPending ? 'Refreshing…' : '↻ Refresh'}
          </button>
        </div>
      </div>
      {refresh.isError && <ErrorNotice error={refresh.error} />}
      {summary.isPending && <Loading label="Loading figures…" />}
      {summary.isError && <ErrorNotice error={summary.error} onRetry={() => void summary.refetch()} />}
      {summary.data && (
        <>
          <dl className="stats">
            <Stat label="Events" value={summary.data.totals.events} />
            <Stat label="Active" value={summary.data.totals.active_events} />
            <Stat label="Seats" value={summary.data.totals.capacity} />
            <Stat label="Booked" value={summary.data.totals.booked} />
            <Stat label="Utilization" value={formatPct(summary.data.totals.utilization_pct)} />
            <Stat label="Waitlisted" value={summary.data.totals.waitlisted} />
            <Stat label="Cancelled" value={summary.data.totals.cancelled} />
          </dl>

          <div className="dash-grid">
            <section className="card" aria-labelledby="ts-title">
              <h2 id="ts-title">Last 7 days</h2>
              <TimeseriesChart data={days} />
              <details>
                <summary>Show as a table</summary>
                <table className="table compact">
                  <thead>
                    <tr>
                      <th scope="col">Day</th>
                      <th scope="col" className="num">Bookings</th>
                      <th scope="col" className="num">Cancellations</th>
                    </tr>
                  </thead>
                  <tbody>
                    {days.map((d) => (
                      <tr key={d.date}>
                        <th scope="row">{d.date}</th>
                        <td className="num">{d.bookings}</td>
                        <td className="num">{d.cancellations}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </details>
            </section>

            <section className="card" aria-labelledby="top-title">
              <h2 id="top-title">Top events</h2>
              {summary.data.top_events.length === 0 ? (
                <Empty title="No bookings yet." />
              ) : (
                <ol className="top-events">
                  {summary.data.top_events.map((e) => (
                    <li key={e.id}>
                      <Link to={`/events/${e.id}`}>{e.name}</Link>{' '}
                      <span className="muted">
                        {e.booked_count}/{e.capacity} booked ({formatPct(e.utilization_pct)}), {e.waitlisted_count} waiting
                      </span>
                    </li>
                  ))}
                </ol>
              )}
            </section>
          </div>

          <section className="card" aria-labelledby="util-title">
            <h2 id="util-title">Utilization per event</h2>
            {summary.data.events.length === 0 ? (
              <Empty title="No events yet." />
            ) : (
              <>
                <UtilizationChart events={summary.data.events} />
                <details>
                  <summary>Show as a table</summary>
                  <div className="table-scroll">
                    <table className="table compact">
                      <thead>
                        <tr>
                          <th scope="col">Event</th>
                          <th scope="col" className="num">Booked</th>
                          <th scope="col" className="num">Capacity</th>
                          <th scope="col" className="num">Utilization</th>
                          <th scope="col" className="num">Waitlist</th>
                        </tr>
                      </thead>
                      <tbody>
                        {summary.data.events.map((e) => (
                          <tr key={e.id}>
                            <th scope="row">{e.name}</th>
                            <td className="num">{e.booked_count}</td>
                            <td className="num">{e.capacity}</td>
                            <td className="num">{formatPct(e.utilization_pct)}</td>
                            <td className="num">{e.waitlisted_count}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                </details>
              </>
            )}
          </section>
        </>
      )}
    </section>
  );
}
