import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AnalyticsEventRow, AnalyticsSummary } from '../../api/types';
import { formatDay } from '../../lib/format';

export interface DayPoint {
  date: string;
  day: string;
  bookings: number;
  cancellations: number;
}

/** Bookings and cancellations side by side per day (both series are oldest first). */
export function mergeTimeseries(ts: AnalyticsSummary['timeseries_7d']): DayPoint[] {
  const byDate = new Map<string, DayPoint>();
  const point = (date: string): DayPoint => {
    const existing = byDate.get(date);
    if (existing) return existing;
    const created = { date, day: formatDay(date), bookings: 0, cancellations: 0 };
    byDate.set(date, created);
    return created;
  };
  ts.bookings.forEach((d) => (point(d.date).bookings = d.count));
  ts.cancellations.forEach((d) => (point(d.date).cancellations = d.count));
  return [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date));
}

export function TimeseriesChart({ data }: { data: DayPoint[] }) {
  return (
    <div className="chart" role="img" aria-label="Bookings and cancellations per day over the last 7 days; the table below has the numbers.">
      <ResponsiveContainer width="100%" height={260}>
        <BarChart data={data} margin={{ top: 8, right: 8, left: -16, bottom: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="day" tick={{ fontSize: 12 }} />
          <YAxis allowDecimals={false} tick={{ fontSize: 12 }} />
          <Tooltip />
          <Legend />
          <Bar dataKey="bookings" name="Bookings" fill="#2f6fde" radius={[3, 3, 0, 0]} />
          <Bar dataKey="cancellations" name="Cancellations" fill="#c2410c" radius={[3, 3, 0, 0]} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

export function UtilizationChart({ events }: { events: AnalyticsEventRow[] }) {
  const data = events.map((e) => ({ name: e.name.length > 26 ? `${e.name.slice(0, 25)}…` : e.name, pct: e.utilization_pct }));
  return (
    <div className="chart" role="img" aria-label="Utilization per event in percent; the table below has the numbers.">
      <ResponsiveContainer width="100%" height={Math.max(160, data.length * 28 + 40)}>
        <BarChart data={data} layout="vertical" margin={{ top: 8, right: 16, left: 8, bottom: 0 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" domain={[0, 100]} unit="%" tick={{ fontSize: 12 }} />
          <YAxis type="category" dataKey="name" width={190} tick={{ fontSize: 12 }} />
          <Tooltip formatter={(v) => `${String(v)}%`} />
          <Bar dataKey="pct" name="Utilization" fill="#15803d" radius={[0, 3, 3, 0]} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
