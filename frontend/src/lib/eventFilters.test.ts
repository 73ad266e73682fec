import { describe, expect, it } from 'vitest';
import { filtersFromParams, filtersToQuery } from './eventFilters';

describe('filtersToQuery', () => {
  const now = '2030-05-01T12:00:00Z';

  it('lists what is still to come, soonest first, when no From date is chosen', () => {
    const q = filtersToQuery(filtersFromParams(new URLSearchParams()), 12, now);
    expect(q).toMatchObject({ date_from: now, sort: 'start_time', order: 'asc', status: 'active', page_size: 12 });
  });

  it('lets a chosen From date show earlier events', () => {
    const q = filtersToQuery(filtersFromParams(new URLSearchParams('from=2020-01-01')), 12, now);
    expect(q.date_from).not.toBe(now);
    expect(q.date_from?.startsWith('2019-12-31') || q.date_from?.startsWith('2020-01-01')).toBe(true);
  });

  it('has no lower bound without one (the organizer list)', () => {
    expect(filtersToQuery(filtersFromParams(new URLSearchParams(), ''), 20).date_from).toBeUndefined();
  });
});
