import type { EventQuery, EventSort, EventStatus, EventWhen, SortOrder } from '../api/types';
import { dayBound } from './format';

export interface EventFilters {
  q: string;
  status: EventStatus | '';
  /** `upcoming` (not ended), `past` (ended) or `all`: the server decides with `when=`. */
  when: EventWhen;
  from: string; // yyyy-mm-dd
  to: string;
  sort: EventSort;
  order: SortOrder;
  page: number;
}

/** `GET /events?q=` takes at most 1000 characters (a longer one is a 422). */
export const MAX_SEARCH = 1000;

const SORTS: readonly EventSort[] = ['start_time', 'name', 'utilization'];
const WHENS: readonly EventWhen[] = ['upcoming', 'past', 'all'];

/**
 * The order when the address names none: past events by date read best newest first (the
 * "Show: Past" control and a `?when=past` link alike); everything else ascending.
 */
export function defaultOrder(when: EventWhen, sort: EventSort): SortOrder {
  return when === 'past' && sort === 'start_time' ? 'desc' : 'asc';
}

/**
 * A `from`/`to` from the address when it is a real calendar day written as <input type="date">
 * writes it (yyyy-mm-dd), else ''. The box shows anything else as empty, while `Date` would
 * still read some of it (2020-02-30 as March 1): a filter nobody could see or clear.
 */
function calendarDay(value: string | null): string {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return '';
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d); // Date.UTC would read years 0-99 as 1900-1999
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? value : '';
}

export function filtersFromParams(
  params: URLSearchParams,
  defaultStatus: EventStatus | '' = 'active',
  defaultWhen: EventWhen = 'upcoming',
): EventFilters {
  const status = params.get('status');
  const sort = params.get('sort') as EventSort | null;
  const when = params.get('when') as EventWhen | null;
  const page = Number(params.get('page') ?? '1');
  const order = params.get('order');
  const f = {
    q: (params.get('q') ?? '').slice(0, MAX_SEARCH),
    status: status === 'active' || status === 'inactive' ? status : status === 'all' ? '' : defaultStatus,
    when: when && WHENS.includes(when) ? when : defaultWhen,
    from: calendarDay(params.get('from')),
    to: calendarDay(params.get('to')),
    sort: sort && SORTS.includes(sort) ? sort : 'start_time',
    // A safe integer only: a bigger one is past the API's range (a 422) and JavaScript's exact ones.
    page: Number.isSafeInteger(page) && page > 0 ? page : 1,
  } satisfies Omit<EventFilters, 'order'>;
  return { ...f, order: order === 'desc' || order === 'asc' ? order : defaultOrder(f.when, f.sort) };
}

export function filtersToParams(
  f: EventFilters,
  defaultStatus: EventStatus | '' = 'active',
  defaultWhen: EventWhen = 'upcoming',
): URLSearchParams {
  const p = new URLSearchParams();
  if (f.q) p.set('q', f.q);
  if (f.status !== defaultStatus) p.set('status', f.status || 'all');
  if (f.when !== defaultWhen) p.set('when', f.when);
  if (f.from) p.set('from', f.from);
  if (f.to) p.set('to', f.to);
  if (f.sort !== 'start_time') p.set('sort', f.sort);
  if (f.order !== defaultOrder(f.when, f.sort)) p.set('order', f.order);
  if (f.page > 1) p.set('page', String(f.page));
  return p;
}

/** The `GET /events` query of these filters (`when` is the server's: "upcoming" = not ended). */
export function filtersToQuery(f: EventFilters, pageSize: number): EventQuery {
  return {
    page: f.page,
    page_size: pageSize,
    q: f.q.trim() || undefined,
    status: f.status || undefined,
    when: f.when,
    date_from: dayBound(f.from, false) || undefined,
    date_to: dayBound(f.to, true) || undefined,
    sort: f.sort,
    order: f.order,
  };
}

export const WHEN_HEADINGS: Record<EventWhen, string> = {
  upcoming: 'Upcoming events',
  past: 'Past events',
  all: 'All events',
};
