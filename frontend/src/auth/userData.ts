import type { QueryClient } from '@tanstack/react-query';

/**
 * The first parts of the query keys (hooks/queries `keys`) whose data is the same for anyone:
 * the events list, an event, its seat map, the home page's figures. Everything else in the
 * cache belongs to whoever was logged in (bookings, tickets, notifications, /auth/me, admin
 * pages), and so does any key added later until it is listed here.
 */
const PUBLIC_ROOTS: ReadonlySet<unknown> = new Set(['events', 'event', 'seats', 'homepage-stats']);

export function isPublicQuery(queryKey: readonly unknown[]): boolean {
  return PUBLIC_ROOTS.has(queryKey[0]);
}

/**
 * Forget every cached answer that belongs to a person, when who is logged in changes (log in,
 * log out, a token refused with 401): the next person on this tab must never see the last
 * one's bookings, ticket codes or unread count, not even for the 15 s they would stay fresh.
 */
export function clearUserData(queryClient: QueryClient): void {
  queryClient.removeQueries({ predicate: (query) => !isPublicQuery(query.queryKey) });
}
