import { useEffect, useState } from 'react';
import type { EventSort, EventWhen } from '../api/types';
import { useDebounced } from '../hooks/useDebounced';
import { MAX_SEARCH, type EventFilters } from '../lib/eventFilters';

interface Props {
  value: EventFilters;
  onChange: (next: EventFilters) => void;
  showSearch?: boolean;
}

/** Search, upcoming/past, date range, status, sort and order for GET /events. */
export function EventFiltersBar({ value, onChange, showSearch = true }: Props) {
  const [q, setQ] = useState(value.q);
  const debouncedQ = useDebounced(q, 300);
  useEffect(() => {
    if (debouncedQ !== value.q) onChange({ ...value, q: debouncedQ, page: 1 });
  }, [debouncedQ]);
  useEffect(() => setQ(value.q), [value.q]);

  const set = <K extends keyof EventFilters>(key: K, v: EventFilters[K]) => onChange({ ...value, [key]: v, page: 1 });
  return (
    <form className="filters" role="search" aria-label="Filter events" onSubmit={(e) => e.preventDefault()}>
      {showSearch && (
        <div className="field">
          <label htmlFor="f-q">Search</label>
          <input id="f-q" type="search" placeholder="Name or venue" maxLength={MAX_SEARCH} value={q} onChange={(e) => setQ(e.target.value)} />
        </div>
      )}
      <div className="field">
        <label htmlFor="f-when">Show</label>
        <select
          id="f-when"
          value={value.when}
          onChange={(e) => {
            const when = e.target.value as EventWhen;
            // Past events read best most recent first; upcoming ones soonest first.
            const order = value.sort === 'start_time' ? (when === 'past' ? 'desc' : when === 'upcoming' ? 'asc' : value.order) : value.order;
            onChange({ ...value, when, order, page: 1 });
          }}
        >
          <option value="upcoming">Upcoming</option>
          <option value="past">Past</option>
          <option value="all">All</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="f-from">From</label>
        <input id="f-from" type="date" value={value.from} onChange={(e) => set('from', e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="f-to">To</label>
        <input id="f-to" type="date" value={value.to} onChange={(e) => set('to', e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="f-status">Status</label>
        <select id="f-status" value={value.status} onChange={(e) => set('status', e.target.value as EventFilters['status'])}>
          <option value="active">Active</option>
          <option value="inactive">Not on sale (inactive)</option>
          <option value="">All</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="f-sort">Sort by</label>
        <select id="f-sort" value={value.sort} onChange={(e) => set('sort', e.target.value as EventSort)}>
          <option value="start_time">Date</option>
          <option value="name">Name</option>
          <option value="utilization">How full</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="f-order">Order</label>
        <select id="f-order" value={value.order} onChange={(e) => set('order', e.target.value === 'desc' ? 'desc' : 'asc')}>
          <option value="asc">Ascending</option>
          <option value="desc">Descending</option>
        </select>
      </div>
    </form>
  );
}
