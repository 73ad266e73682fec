import { useHomepageStats } from '../hooks/queries';

const count = new Intl.NumberFormat();

/**
 * The public figures of `GET /stats/homepage`. While they load (or if they fail) nothing is
 * shown: the event list below is what people came for.
 */
export function HomeStats() {
  const stats = useHomepageStats();
  if (!stats.data) return null;
  const s = stats.data;
  const items: Array<[string, number]> = [
    ['Events', s.total_events],
    ['Tickets sold', s.total_tickets_sold],
    ['Happy customers', s.total_customers],
    ['Venues', s.cities_covered],
  ];
  return (
    <section aria-labelledby="home-stats-title" className="home-stats">
      <h2 id="home-stats-title" className="visually-hidden">
        Evently in numbers
      </h2>
      <dl className="stats">
        {items.map(([label, value]) => (
          <div key={label} className="card stat">
            <dt>{label}</dt>
            <dd>{count.format(value)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
