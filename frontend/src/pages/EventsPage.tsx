import { useSearchParams } from 'react-router';
import { EventCard } from '../components/EventCard';
import { EventFiltersBar } from '../components/EventFiltersBar';
import { HomeStats } from '../components/HomeStats';
import { Pagination } from '../components/Pagination';
import { Empty, ErrorNotice, Loading } from '../components/Status';
import { useEvents } from '../hooks/queries';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { isPastLastPage } from '../lib/paging';
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
      {events.isPending && <Loading label="Loading events…" />}
      {events.isError && <ErrorNotice error={events.error} onRetry={() => void events.refetch()} />}
      {events.data && events.isPlaceholderData && events.data.items.length === 0 ? (
        // The previous answer (other filters, or a page past the last) is kept on screen while
        // this one loads; its "No events match" would be said of filters it was not about.
        <Loading label="Loading events…" />
      ) : events.data && (
        <>
          {isPastLastPage(filters.page, PAGE_SIZE, events.data.meta.total ?? 0) ? null : events.data.items.length === 0 ? (
            <Empty title="No events match these filters.">
              <p className="muted">Try a wider date range or clear the search.</p>
            </Empty>
          ) : (
            <div className={`card-grid${events.isPlaceholderData ? ' is-stale' : ''}`} aria-busy={events.isFetching}>
              {events.data.items.map((event) => (
                <EventCard key={event.id} event={event} />
              ))}
            </div>
          )}
          <Pagination
            page={filters.page}
            pageSize={PAGE_SIZE}
            total={events.data.meta.total ?? 0}
            onPage={(page) => update({ ...filters, page })}
          />
        </>
      )}
    </section>
  );
}
