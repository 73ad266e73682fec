import { describe, expect, it } from 'vitest';
import { filtersFromParams, filtersToParams, filtersToQuery } from './eventFilters';

describe('filtersToQuery', () => {
  it('asks the server for upcoming events (not ended), soonest first, by default', () => {
    const q = filtersToQuery(filtersFromParams(new URLSearchParams()), 12);
    expect(q).toMatchObject({ when: 'upcoming', sort: 'start_time', order: 'asc', status: 'active', page_size: 12 });
    expect(q.date_from).toBeUndefined();
  });

  it('shows past or all events when asked, and keeps it in the address', () => {
    const past = filtersFromParams(new URLSearchParams('when=past'));
    expect(filtersToQuery(past, 12).when).toBe('past');
    expect(filtersToParams(past).toString()).toBe('when=past');
    expect(filtersToParams(filtersFromParams(new URLSearchParams())).toString()).toBe('');
    expect(filtersFromParams(new URLSearchParams('when=someday')).when).toBe('upcoming');
  });

  it('lists past events newest first when the address says only when=past', () => {
    const past = filtersFromParams(new URLSearchParams('when=past'));
    expect(past.order).toBe('desc');
    expect(filtersToQuery(past, 12)).toMatchObject({ when: 'past', sort: 'start_time', order: 'desc' });
    // Oldest first is still a choice, and it is kept in the address.
    const oldestFirst = filtersFromParams(new URLSearchParams('when=past&order=asc'));
    expect(oldestFirst.order).toBe('asc');
    expect(filtersToParams(oldestFirst).toString()).toBe('when=past&order=asc');
    expect(filtersFromParams(filtersToParams(oldestFirst)).order).toBe('asc');
    // By name, past events are A to Z unless asked otherwise; upcoming and all stay soonest first.
    expect(filtersFromParams(new URLSearchParams('when=past&sort=name')).order).toBe('asc');
    expect(filtersFromParams(new URLSearchParams('when=all'), '', 'all').order).toBe('asc');
    expect(filtersFromParams(new URLSearchParams()).order).toBe('asc');
    expect(filtersToParams({ ...filtersFromParams(new URLSearchParams()), order: 'desc' }).toString()).toBe('order=desc');
  });

  it("never sends a search longer than the API's 1000 characters, even from the address", () => {
    const f = filtersFromParams(new URLSearchParams({ q: 'x'.repeat(1200) }));
    expect(f.q).toHaveLength(1000);
    expect(filtersToQuery(f, 12).q).toHaveLength(1000);
  });

  it('reads a page number the API cannot take (too big, negative, not a number) as page 1', () => {
    // 99999999999999999999 is past the server's integer range (a 422 shown as DRF's words)
    // and cannot even be written back exactly by JavaScript.
    for (const page of ['99999999999999999999', '1e21', '-1', '0', 'abc', '1.5', '']) {
      expect(filtersFromParams(new URLSearchParams({ page })).page).toBe(1);
    }
    expect(filtersFromParams(new URLSearchParams({ page: '999' })).page).toBe(999);
    expect(filtersFromParams(new URLSearchParams({ page: String(Number.MAX_SAFE_INTEGER) })).page).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('ignores a From or To in the address that the date boxes cannot show (no hidden filter)', () => {
    // <input type="date"> shows an impossible date as empty, but 2020-02-30 parsed as March 1.
    for (const day of ['2020-02-30', '2021-02-29', '2031-13-01', '+002031-01-05', '2031-1-5', 'garbage']) {
      const f = filtersFromParams(new URLSearchParams({ from: day, to: day }));
      expect([f.from, f.to]).toEqual(['', '']);
      expect(filtersToQuery(f, 12)).toMatchObject({ date_from: undefined, date_to: undefined });
    }
    expect(filtersFromParams(new URLSearchParams({ from: '2024-02-29', to: '2031-12-31' }))).toMatchObject({ from: '2024-02-29', to: '2031-12-31' });
    // Years 1-99 are years (the API takes 1-9999), not 1901-1999.
    expect(filtersFromParams(new URLSearchParams({ from: '0020-01-01', to: '0099-12-31' }))).toMatchObject({ from: '0020-01-01', to: '0099-12-31' });
  });

  it('lets a chosen From date narrow the list', () => {
    const q = filtersToQuery(filtersFromParams(new URLSearchParams('from=2020-01-01')), 12);
    expect(q.date_from?.startsWith('2019-12-31') || q.date_from?.startsWith('2020-01-01')).toBe(true);
  });

  it('lists everything by default on the organizer page', () => {
    const f = filtersFromParams(new URLSearchParams(), '', 'all');
    expect(filtersToQuery(f, 20)).toMatchObject({ when: 'all', status: undefined, date_from: undefined });
    expect(filtersToParams(f, '', 'all').toString()).toBe('');
  });
});
