import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/endpoints';
import type { Notification } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { keys } from './queries';

/** How often the bell asks again while the page stays open (it also asks on focus). */
export const UNREAD_POLL_MS = 60_000;

/**
 * The number of unread notifications (`GET /me/notifications?unread=true&page_size=1` →
 * `meta.total`), for the bell: refetched every minute and whenever the window gets focus.
 */
export function useUnreadCount() {
  const { token } = useAuth();
  return useQuery({
    queryKey: keys.unreadCount,
    queryFn: async () => (await api.notifications({ unread: true, page_size: 1 })).meta.total,
    enabled: token !== null,
    refetchInterval: UNREAD_POLL_MS,
    refetchOnWindowFocus: true,
    staleTime: 10_000,
    retry: false,
  });
}

/** One page of the caller's notifications, newest first. */
export function useNotifications(page: number, pageSize: number, enabled = true) {
  const { token } = useAuth();
  return useQuery({
    queryKey: keys.notifications(page, pageSize),
    queryFn: () => api.notifications({ page, page_size: pageSize }),
    enabled: enabled && token !== null,
    placeholderData: keepPreviousData,
    refetchOnWindowFocus: true,
  });
}

export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.markNotificationRead(id),
    onSettled: () => queryClient.invalidateQueries({ queryKey: keys.allNotifications }),
  });
}

/** All unread ids, page by page (100 a page; the contract has no bulk "read all"). */
async function allUnread(): Promise<Notification[]> {
  const out: Notification[] = [];
  for (let page = 1; page <= 50; page += 1) {
    const { items, meta } = await api.notifications({ unread: true, page, page_size: 100 });
    out.push(...items);
    if (page * meta.page_size >= meta.total || items.length === 0) break;
  }
  return out;
}

/**
 * "Mark all as read": `POST /me/notifications/{id}/read` for each unread one, a few at a
 * time. Resolves to the number marked.
 */
export function useMarkAllRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      const unread = await allUnread();
      for (let i = 0; i < unread.length; i += 4) {
        await Promise.all(unread.slice(i, i + 4).map((n) => api.markNotificationRead(n.id)));
      }
      return unread.length;
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: keys.allNotifications }),
  });
}
