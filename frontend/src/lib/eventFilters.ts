import type { EventQuery, EventSort, EventStatus, SortOrder } from '../api/types';
import { dayBound } from './format';

export interface EventFilters {
  q: string;
  status: EventStatus | '';
  from: string; // yyyy-mm-dd
  to: string;
  sort: EventSort;
  order: SortOrder;
  page: number;
}

const SORTS: readonly EventSort[] = ['start_time', 'name', 'utilization'];

export function filtersFromParams(params: URLSearchParams, defaultStatus: EventStatus | '' = 'active'): EventFilters {
  const status = params.get('status');
  const sort = params.get('sort') as EventSort | null;
  const page = Number(params.get('page') ?? '1');
  return {
    q: params.get('q') ?? '',
    status: status === 'active' || status === 'inactive' ? status : status === 'all' ? '' : defaultStatus,
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    sort: sort && SORTS.includes(sort) ? sort : 'start_time',
    order: params.get('order') === 'desc' ? 'desc' : 'asc',
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

export function filtersToParams(f: EventFilters, defaultStatus: EventStatus | '' = 'active'): URLSearchParams {
  const p = new URLSearchParams();
  if (f.q) p.set('q', f.q);
  if (f.status !== defaultStatus) p.set('status', f.status || 'all');
  if (f.from) p.set('from', f.from);
  if (f.to) p.set('to', f.to);
  if (f.sort !== 'start_time') p.set('sort', f.sort);
  if (f.order !== 'asc') p.set('order', f.order);
  if (f.page > 1) p.set('page', String(f.page));
  return p;
}

/**
 * The `GET /events` query of these filters. `upcomingFrom` (an ISO instant) is the lower bound
 * used when no From date is chosen: the home page passes "now" so it lists what is still to come.
 */
export function filtersToQuery(f: EventFilters, pageSize: number, upcomingFrom?: string): EventQuery {
  return {
    page: f.page,
    page_size: pageSize,
    q: f.q.trim() || undefined,
    status: f.status || undefined,
    date_from: dayBound(f.from, false) || upcomingFrom || undefined,
    date_to: dayBound(f.to, true) || undefined,
    sort: f.sort,
    order: f.order,
  };
}
