import { useSearchParams } from 'react-router';
import { EventCard } from '../components/EventCard';
import { EventFiltersBar } from '../components/EventFiltersBar';
import { HomeStats } from '../components/HomeStats';
import { PagedList } from '../components/PagedList';
import { Empty } from '../components/Status';
import { useEvents } from '../hooks/queries';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { filtersFromParams, filtersToParams, filtersToQuery, WHEN_HEADINGS, type EventFilters } from '../lib/eventFilters';

const PAGE_SIZE = 12;

export function EventsPage() {
  useDocumentTitle('Events');
  const [params, setParams] = useSearchParams();
  const filters = filtersFromParams(params);
  // Upcoming (not ended, the server's `when=upcoming`) by default; "Show" picks past or all.
  const events = useEvents(filtersToQuery(filters, PAGE_SIZE));
  const update = (next: EventFilters) => setParams(filtersToParams(next), { replace: true });

  return (
    <section className="page">
      <h1>{WHEN_HEADINGS[filters.when]}</h1>
      <HomeStats />
      <EventFiltersBar value={filters} onChange={update} />
      <PagedList
        query={events}
        page={filters.page}
        pageSize={PAGE_SIZE}
        onPage={(page) => update({ ...filters, page })}
        loadingLabel="Loading events…"
        className="card-grid"
        empty={
          <Empty title="No events match these filters.">
            <p className="muted">Try a wider date range or clear the search.</p>
          </Empty>
        }
      >
        {(items) => items.map((event) => <EventCard key={event.id} event={event} />)}
      </PagedList>
    </section>
  );
}
