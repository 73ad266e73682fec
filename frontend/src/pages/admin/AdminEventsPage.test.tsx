import { cleanup, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EventItem } from '../../api/types';
import { anEvent, eventPage } from '../../testing/events';
import { AdminEventsPage } from './AdminEventsPage';

// The list's query as the page sees it; each test puts it in one state.
const { events, mutation } = vi.hoisted(() => ({
  events: {
    isPending: false,
    isError: false,
    isFetching: false,
    isPlaceholderData: false,
    error: null as unknown,
    data: undefined as unknown,
    refetch: () => undefined,
  },
  mutation: () => ({ mutate: () => undefined, reset: () => undefined, isPending: false, isError: false, error: null }),
}));
vi.mock('../../hooks/useDocumentTitle', () => ({ useDocumentTitle: () => {} }));
vi.mock('../../hooks/queries', () => ({
  useEvents: () => events,
  useEvent: () => ({ data: undefined }),
  useSeats: () => ({ data: [] }),
  useCreateEvent: mutation,
  useUpdateEvent: mutation,
  useDeactivateEvent: mutation,
  useDeleteEvent: mutation,
  useGenerateSeats: mutation,
}));

afterEach(cleanup);

const jazz = anEvent({ booked_count: 2, available: 8, utilization_pct: 20 });
const page = (items: EventItem[], total = items.length) => eventPage(items, total, 20);
/** Text on screen for readers, leaving out what is aria-hidden (the pagination's width keeper). */
const shown = (text: RegExp) => screen.queryByText(text, { ignore: '[aria-hidden="true"]' });

function show(path: string) {
  render(
    <MemoryRouter initialEntries={[path]}>
      <AdminEventsPage />
    </MemoryRouter>,
  );
}

describe('the organizer events table while a new answer loads', () => {
  it('keeps the previous rows on screen, dimmed and busy', () => {
    Object.assign(events, { isPlaceholderData: true, isFetching: true, data: page([jazz]) });
    show('/admin/events?q=jazz');
    const wrapper = screen.getByRole('table').closest('.table-scroll');
    expect(wrapper?.className).toContain('is-stale');
    expect(wrapper?.getAttribute('aria-busy')).toBe('true');
  });

  it('does not say "No events here yet." from the previous, empty answer: it says it is loading', () => {
    Object.assign(events, { isPlaceholderData: true, isFetching: true, data: page([]) });
    show('/admin/events?q=jazz');
    expect(screen.getByText('Loading events…')).toBeTruthy();
    expect(screen.queryByText('No events here yet.')).toBeNull();
  });

  it('does not give the previous rows\' total as this answer\'s: its pagination says which page is loading', () => {
    Object.assign(events, { isPlaceholderData: true, isFetching: true, data: page([jazz], 45) });
    show('/admin/events?q=jazz');
    expect(screen.getByRole('navigation', { name: 'Pages' }).hasAttribute('aria-busy')).toBe(false);
    expect(screen.getByText('Loading page 1…')).toBeTruthy();
    expect(shown(/in all/)).toBeNull();
    expect(shown(/ of 3/)).toBeNull();
  });

  it('with a previous, empty answer (a page past the last), says only that it is loading', () => {
    // The answer to ?page=9 (nothing on it, 1 in all) is kept while page 1 loads.
    Object.assign(events, { isPlaceholderData: true, isFetching: true, data: page([], 1) });
    show('/admin/events?q=jazz');
    expect(screen.getByText('Loading events…')).toBeTruthy();
    expect(screen.queryByRole('navigation', { name: 'Pages' })).toBeNull();
    expect(screen.queryByText(/There is no page/)).toBeNull();
    expect(shown(/in all/)).toBeNull();
  });

  it('shows its own answer plainly', () => {
    Object.assign(events, { isPlaceholderData: false, isFetching: false, data: page([jazz]) });
    show('/admin/events');
    const wrapper = screen.getByRole('table').closest('.table-scroll');
    expect(wrapper?.className).not.toContain('is-stale');
    expect(wrapper?.getAttribute('aria-busy')).toBe('false');
    expect(screen.getByText('Page 1 of 1 · 1 in all')).toBeTruthy();
    Object.assign(events, { data: page([]) });
    cleanup();
    show('/admin/events');
    expect(screen.getByText('No events here yet.')).toBeTruthy();
  });
});
