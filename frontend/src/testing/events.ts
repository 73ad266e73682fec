import type { EventItem, EventPage } from '../api/types';

/** An event as `GET /events` lists it (on sale, in UTC), for unit tests; `fields` override. */
export function anEvent(fields: Partial<EventItem> = {}): EventItem {
  return {
    id: 1,
    name: 'Jazz Night',
    venue: 'Hall',
    start_time: '2031-03-29T18:00:00Z',
    end_time: '2031-03-29T21:00:00Z',
    capacity: 10,
    booked_count: 0,
    status: 'active',
    waitlisted_count: 0,
    available: 10,
    utilization_pct: 0,
    timezone: 'UTC',
    sale_state: 'on_sale',
    ...fields,
  };
}

/** One page of a list answer holding `items` (`total` in all). */
export function eventPage(items: EventItem[], total = items.length, pageSize = 12): EventPage {
  return { items, meta: { page: 1, page_size: pageSize, total } } as EventPage;
}
