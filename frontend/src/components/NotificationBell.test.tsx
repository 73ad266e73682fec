import { cleanup, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bellLabel, NotificationBell } from './NotificationBell';

const unread = { data: undefined as number | undefined };
vi.mock('../hooks/notifications', () => ({ useUnreadCount: () => unread }));

afterEach(cleanup);

function bell() {
  render(
    <MemoryRouter>
      <NotificationBell />
    </MemoryRouter>,
  );
  return screen.getByRole('link');
}

describe('the notification bell', () => {
  it('says "none unread" only once the server said so, not while the count loads or could not be read', () => {
    unread.data = undefined;
    expect(bell().getAttribute('aria-label')).toBe('Notifications');
    expect(screen.queryByTestId('unread-count')).toBeNull();
    cleanup();
    unread.data = 0;
    expect(bell().getAttribute('aria-label')).toBe('Notifications, none unread');
  });

  it('names the count, and shows it', () => {
    unread.data = 3;
    expect(bell().getAttribute('aria-label')).toBe('Notifications, 3 unread');
    expect(screen.getByTestId('unread-count').textContent).toBe('3');
  });

  it('labels', () => {
    expect([undefined, 0, 1, 120].map(bellLabel)).toEqual(['Notifications', 'Notifications, none unread', 'Notifications, 1 unread', 'Notifications, 120 unread']);
  });
});
