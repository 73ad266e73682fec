import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Notification, NotificationPage } from '../api/types';
import { NotificationsPage } from './NotificationsPage';

interface ListQuery {
  data: NotificationPage | undefined;
  isPending: boolean;
  isError: boolean;
  isFetching: boolean;
  isPlaceholderData: boolean;
  error: unknown;
  refetch: () => void;
}

// The list's query for each page, as the page sees it; each test sets `answer`.
const { state } = vi.hoisted(() => ({ state: {} as { answer: (page: number) => ListQuery } }));
vi.mock('../hooks/notifications', () => ({
  useNotifications: (page: number) => state.answer(page),
  useUnreadCount: () => ({ data: 0 }),
  useMarkRead: () => ({ mutate: () => undefined, isPending: false, isError: false, variables: undefined }),
  useMarkAllRead: () => ({ mutate: () => undefined, isPending: false, isError: false, isSuccess: false }),
}));

afterEach(cleanup);

function aNotification(id: number): Notification {
  return {
    id, kind: 'booking_confirmed', booking_id: null, event_id: 7, title: `Booking confirmed #${id}`, body: 'Your booking is confirmed.',
    created_at: '2031-01-01T10:00:00Z', read_at: '2031-01-01T11:00:00Z', delivery: 'sent',
  };
}

/** Page `page` of twelve notifications, ten a page. */
function pageOf(page: number): NotificationPage {
  const ids = Array.from({ length: 12 }, (_, i) => 12 - i).slice((page - 1) * 10, page * 10);
  return { items: ids.map(aNotification), meta: { page, page_size: 10, total: 12 } };
}

const own = (page: number): ListQuery => ({ data: pageOf(page), isPending: false, isError: false, isFetching: false, isPlaceholderData: false, error: null, refetch: () => undefined });
/** Page 1's answer kept on screen while `page`'s loads. */
const loading = (): ListQuery => ({ ...own(1), isFetching: true, isPlaceholderData: true });
/** Text on screen for readers, leaving out what is aria-hidden (the pagination's width keeper). */
const shown = (text: string | RegExp) => screen.queryByText(text, { ignore: '[aria-hidden="true"]' });

function show() {
  render(
    <MemoryRouter>
      <NotificationsPage />
    </MemoryRouter>,
  );
}

function showPage1ThenNext() {
  show();
  expect(shown('Page 1 of 2 · 12 in all')).toBeTruthy();
  fireEvent.click(screen.getByRole('button', { name: 'Next →' }));
}

describe('the notifications page going to page 2', () => {
  it('while page 2 loads, says so instead of "Page 2 of 2" of page 1\'s total, and dims page 1\'s list', () => {
    state.answer = (page) => (page === 1 ? own(1) : loading());
    showPage1ThenNext();
    expect(shown('Loading page 2…')).toBeTruthy();
    expect(shown('Page 2 of 2 · 12 in all')).toBeNull();
    expect(shown(/in all/)).toBeNull();
    expect(screen.getByRole('navigation', { name: 'Pages' }).hasAttribute('aria-busy')).toBe(false);
    const list = screen.getByRole('list').parentElement;
    expect(list?.className).toContain('is-stale');
    expect(list?.getAttribute('aria-busy')).toBe('true');
    expect(screen.getAllByRole('listitem')).toHaveLength(10);
  });

  it('once page 2 is in, shows it plainly with its total', () => {
    state.answer = own;
    showPage1ThenNext();
    expect(shown('Page 2 of 2 · 12 in all')).toBeTruthy();
    expect(screen.getAllByRole('listitem')).toHaveLength(2);
    const list = screen.getByRole('list').parentElement;
    expect(list?.className).not.toContain('is-stale');
    expect(list?.getAttribute('aria-busy')).toBe('false');
    expect(screen.getByRole('navigation', { name: 'Pages' }).hasAttribute('aria-busy')).toBe(false);
  });

  it('says "Nothing yet." of its own empty answer, and that it is loading before the first', () => {
    state.answer = () => ({ ...own(1), data: { items: [], meta: { page: 1, page_size: 10, total: 0 } } });
    show();
    expect(screen.getByText('Nothing yet.')).toBeTruthy();
    cleanup();
    state.answer = () => ({ ...own(1), data: undefined, isPending: true, isFetching: true });
    show();
    expect(screen.getByRole('status').textContent).toContain('Loading your notifications…');
  });
});
