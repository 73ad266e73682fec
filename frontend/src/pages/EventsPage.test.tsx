import { cleanup, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EventPage as EventPageData } from '../api/types';
import { anEvent, eventPage } from '../testing/events';
import { EventsPage } from './EventsPage';

// The list's query as the page sees it; each test puts it in one state.
const events = {
  isPending: false,
  isError: false,
  isFetching: false,
  isPlaceholderData: false,
  error: null as unknown,
  data: undefined as EventPageData | undefined,
  refetch: vi.fn(),
};
vi.mock('../hooks/queries', () => ({ useEvents: () => events, useHomepageStats: () => ({ data: undefined }) }));

afterEach(cleanup);

const jazz = anEvent();
const page = eventPage;

function show(path: string) {
  render(
    <MemoryRouter initialEntries={[path]}>
      <EventsPage />
    </MemoryRouter>,
  );
}

describe('the events list while a new answer loads', () => {
  it('does not say "No events match" from the previous, empty answer (other filters): it says it is loading', () => {
    Object.assign(events, { isPlaceholderData: true, isFetching: true, data: page([]) });
    show('/?q=jazz');
    expect(screen.getByText('Loading events…')).toBeTruthy();
    expect(screen.queryByText('No events match these filters.')).toBeNull();
  });

  it('from a page past the last one to the last page: loading, not "No events match"', () => {
    // The answer for ?page=999 (nothing on it, one in all) is kept while page 1 loads.
    Object.assign(events, { isPlaceholderData: true, isFetching: true, data: page([], 1) });
    show('/?q=jazz');
    expect(screen.getByText('Loading events…')).toBeTruthy();
    expect(screen.queryByText('No events match these filters.')).toBeNull();
    expect(screen.queryByText(/There is no page/)).toBeNull();
  });

  it('keeps a previous answer with events on screen, dimmed and busy', () => {
    Object.assign(events, { isPlaceholderData: true, isFetching: true, data: page([jazz]) });
    show('/?q=jazz');
    expect(screen.getByRole('article').closest('.card-grid')?.className).toContain('is-stale');
    expect(screen.getByRole('article').closest('.card-grid')?.getAttribute('aria-busy')).toBe('true');
  });

  it('does not give the previous answer\'s total as this one\'s: its pagination says which page is loading', () => {
    // 30 events in all was the answer to other filters; page 2 of ?q=jazz is on its way.
    Object.assign(events, { isPlaceholderData: true, isFetching: true, data: page([jazz], 30) });
    show('/?q=jazz&page=2');
    const pages = screen.getByRole('navigation', { name: 'Pages' });
    expect(pages.hasAttribute('aria-busy')).toBe(false);
    expect(screen.getByText('Loading page 2…')).toBeTruthy();
    expect(screen.queryByText(/in all/, { ignore: '[aria-hidden="true"]' })).toBeNull();
    expect(screen.queryByText(/ of 3/, { ignore: '[aria-hidden="true"]' })).toBeNull();
  });

  it('gives its own answer\'s total', () => {
    Object.assign(events, { isPlaceholderData: false, isFetching: false, data: page([jazz], 30) });
    show('/?q=jazz&page=2');
    expect(screen.getByText('Page 2 of 3 · 30 in all')).toBeTruthy();
    expect(screen.getByRole('navigation', { name: 'Pages' }).hasAttribute('aria-busy')).toBe(false);
  });

  it('says "No events match" of its own answer', () => {
    Object.assign(events, { isPlaceholderData: false, isFetching: false, data: page([]) });
    show('/?q=jazz');
    expect(screen.getByText('No events match these filters.')).toBeTruthy();
    expect(screen.queryByText('Loading events…')).toBeNull();
  });
});
