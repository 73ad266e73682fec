import { NavLink } from 'react-router';
import { useUnreadCount } from '../hooks/notifications';

/** "99+" above 99, so the badge keeps its size. */
export function unreadBadge(count: number): string {
  return count > 99 ? '99+' : String(count);
}

/**
 * The bell's name: the unread count once the server has said it. Until then (loading, or the
 * count could not be read) it claims nothing: "none unread" would be a guess.
 */
export function bellLabel(count: number | undefined): string {
  if (count === undefined) return 'Notifications';
  return count === 0 ? 'Notifications, none unread' : `Notifications, ${count} unread`;
}

/** The header's bell: a link to the notifications page with the unread count. */
export function NotificationBell() {
  const unread = useUnreadCount();
  const count = unread.data ?? 0;
  const label = bellLabel(unread.data);
  return (
    <NavLink to="/notifications" className="bell" aria-label={label} title={label}>
      <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
        <path
          fill="currentColor"
          d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
        />
      </svg>
      {count > 0 && (
        <span className="bell-count" aria-hidden="true" data-testid="unread-count">
          {unreadBadge(count)}
        </span>
      )}
    </NavLink>
  );
}
