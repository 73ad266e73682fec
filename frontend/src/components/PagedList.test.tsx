import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EventItem } from '../api/types';
import { anEvent, eventPage } from '../testing/events';
import { PagedList, type PagedQuery } from './PagedList';

afterEach(cleanup);

const jazz = anEvent();
const blues = anEvent({ id: 2, name: 'Blues Night' });

/** A list query in one state: its own answer, settled, unless `fields` say otherwise. */
function query(fields: Partial<PagedQuery<EventItem>>): PagedQuery<EventItem> {
  return { data: undefined, isPending: false, isError: false, error: null, isFetching: false, isPlaceholderData: false, refetch: vi.fn(), ...fields };
}

function show(q: PagedQuery<EventItem>, page = 1) {
  render(
    <PagedList query={q} page={page} pageSize={12} onPage={() => {}} loadingLabel="Loading events…" className="card-grid" empty={<p>No events match.</p>}>
      {(items) => items.map((e) => <article key={e.id}>{e.name}</article>)}
    </PagedList>,
  );
}

/** The items' element: the one PagedList dims and marks busy. */
const list = () => screen.getAllByRole('article')[0]!.parentElement!;
/** Text on screen for readers, leaving out what is aria-hidden (the pagination's width keeper). */
const shown = (text: string | RegExp) => screen.queryByText(text, { ignore: '[aria-hidden="true"]' });

describe('PagedList', () => {
  it('says it is loading before the first answer', () => {
    show(query({ isPending: true, isFetching: true }));
    expect(screen.getByRole('status').textContent).toContain('Loading events…');
    expect(screen.queryByRole('navigation')).toBeNull();
  });

  it('shows its own answer plainly, with its total', () => {
    show(query({ data: eventPage([jazz, blues], 30) }));
    expect(list().className).toBe('card-grid');
    expect(list().getAttribute('aria-busy')).toBe('false');
    expect(shown('Page 1 of 3 · 30 in all')).toBeTruthy();
    expect(screen.getByRole('navigation', { name: 'Pages' }).hasAttribute('aria-busy')).toBe(false);
    expect(screen.queryByText('Loading events…')).toBeNull();
  });

  it('keeps the previous answer on screen dimmed and busy, and does not give its total as this one', () => {
    // Page 2 (or other filters) is loading; page 1's answer, 30 in all, is still on screen.
    show(query({ data: eventPage([jazz, blues], 30), isPlaceholderData: true, isFetching: true }), 2);
    expect(list().className).toBe('card-grid is-stale');
    expect(list().getAttribute('aria-busy')).toBe('true');
    const pages = screen.getByRole('navigation', { name: 'Pages' });
    expect(pages.hasAttribute('aria-busy')).toBe(false);
    expect(shown('Loading page 2…')).toBeTruthy();
    expect(shown(/in all/)).toBeNull();
    expect(shown(/of 3/)).toBeNull();
  });

  it('says it is loading instead of the previous answer\'s "nothing here", with no pagination', () => {
    // The previous answer: nothing on ?page=999 (1 in all), or nothing for other filters.
    show(query({ data: eventPage([], 1), isPlaceholderData: true, isFetching: true }));
    expect(screen.getByRole('status').textContent).toContain('Loading events…');
    expect(screen.queryByText('No events match.')).toBeNull();
    expect(screen.queryByText(/There is no page/)).toBeNull();
    expect(screen.queryByRole('navigation')).toBeNull();
    expect(shown(/in all/)).toBeNull();
  });

  it('says "nothing here" of its own empty answer', () => {
    show(query({ data: eventPage([], 0) }));
    expect(screen.getByText('No events match.')).toBeTruthy();
    expect(screen.queryByText('Loading events…')).toBeNull();
    expect(screen.queryByRole('navigation')).toBeNull();
  });

  it('after the last page of its own answer, offers the last page instead of "nothing here"', () => {
    show(query({ data: eventPage([], 5) }), 999);
    expect(screen.getByText('There is no page 999.')).toBeTruthy();
    expect(screen.queryByText('No events match.')).toBeNull();
  });

  it('marks its own answer busy, not dimmed, while it is fetched again (its total still holds)', () => {
    show(query({ data: eventPage([jazz], 1), isFetching: true }));
    expect(list().className).toBe('card-grid');
    expect(list().getAttribute('aria-busy')).toBe('true');
    expect(shown('Page 1 of 1 · 1 in all')).toBeTruthy();
  });

  it('says what failed, with "Try again" when that may help', () => {
    const refetch = vi.fn();
    show(query({ isError: true, error: new TypeError('Failed to fetch'), refetch }));
    screen.getByRole('button', { name: 'Try again' }).click();
    expect(refetch).toHaveBeenCalled();
    expect(screen.getByRole('alert')).toBeTruthy();
  });
});
