import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/endpoints';
import type { Booking, EventPatch, EventInput, EventQuery, Role } from '../api/types';
import { useAuth } from '../auth/AuthContext';

export const keys = {
  events: (query: EventQuery) => ['events', query] as const,
  allEvents: ['events'] as const,
  event: (id: number) => ['event', id] as const,
  allEventDetails: ['event'] as const,
  seats: (id: number) => ['seats', id] as const,
  myBookings: ['my-bookings'] as const,
  users: (role: string) => ['admin-users', role] as const,
  analytics: ['analytics'] as const,
  homepageStats: ['homepage-stats'] as const,
  /** Everything under `notifications`: the unread count, the pages of the list. */
  allNotifications: ['notifications'] as const,
  unreadCount: ['notifications', 'unread-count'] as const,
  notifications: (page: number, pageSize: number) => ['notifications', 'page', page, pageSize] as const,
};

export function useEvents(query: EventQuery) {
  return useQuery({ queryKey: keys.events(query), queryFn: () => api.events(query), placeholderData: keepPreviousData });
}

export function useEvent(id: number) {
  return useQuery({ queryKey: keys.event(id), queryFn: () => api.event(id) });
}

/** The public figures of the home page (cached by the server; refreshed every minute here). */
export function useHomepageStats() {
  return useQuery({ queryKey: keys.homepageStats, queryFn: api.homepageStats, staleTime: 60_000 });
}

export function useSeats(id: number, enabled = true) {
  return useQuery({ queryKey: keys.seats(id), queryFn: () => api.seats(id), enabled });
}

export function useMyBookings() {
  const { token } = useAuth();
  return useQuery({ queryKey: keys.myBookings, queryFn: api.myBookings, enabled: token !== null });
}

/** After anything that moves inventory: events, seats and bookings are all stale. */
export function useInvalidateInventory() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: keys.allEvents }),
      queryClient.invalidateQueries({ queryKey: keys.allEventDetails }),
      queryClient.invalidateQueries({ queryKey: ['seats'] }),
      queryClient.invalidateQueries({ queryKey: keys.myBookings }),
      queryClient.invalidateQueries({ queryKey: keys.analytics }),
      // A booking, cancellation or promotion writes a notification in the same transaction.
      queryClient.invalidateQueries({ queryKey: keys.allNotifications }),
    ]);
}

/**
 * Not cancelled: the booking the person chose to leave the waitlist with was promoted meanwhile
 * (`booking` is it now, with its seats). `DELETE /bookings/{id}` cancels whatever the booking
 * is, so leaving a queue would otherwise give up seats the page never showed.
 */
export class BookingChanged extends Error {
  constructor(readonly booking: Booking) {
    super('The booking was promoted from the waitlist meanwhile');
    this.name = 'BookingChanged';
  }
}

/** Cancel the booking as shown (`shown`); a waiting one is checked first (BookingChanged). */
export function useCancelBooking() {
  const invalidate = useInvalidateInventory();
  return useMutation({
    mutationFn: async (shown: Booking) => {
      if (shown.status === 'WAITLISTED') {
        const now = (await api.myBookings()).find((b) => b.id === shown.id);
        if (now?.status === 'CONFIRMED') throw new BookingChanged(now);
      }
      return api.cancelBooking(shown.id);
    },
    onSuccess: invalidate,
    onError: (error) => {
      if (error instanceof BookingChanged) void invalidate();
    },
  });
}

export function useCreateEvent() {
  const invalidate = useInvalidateInventory();
  return useMutation({ mutationFn: (body: EventInput) => api.createEvent(body), onSuccess: invalidate });
}

export function useUpdateEvent() {
  const invalidate = useInvalidateInventory();
  return useMutation({
    mutationFn: ({ id, patch }: { id: number; patch: EventPatch }) => api.updateEvent(id, patch),
    onSuccess: invalidate,
  });
}

export function useDeactivateEvent() {
  const invalidate = useInvalidateInventory();
  return useMutation({ mutationFn: (id: number) => api.deactivateEvent(id), onSuccess: invalidate });
}

export function useDeleteEvent() {
  const invalidate = useInvalidateInventory();
  return useMutation({ mutationFn: (id: number) => api.deleteEvent(id), onSuccess: invalidate });
}

export function useGenerateSeats() {
  const invalidate = useInvalidateInventory();
  return useMutation({
    mutationFn: ({ id, rows, cols }: { id: number; rows: number; cols: number }) => api.generateSeats(id, { rows, cols }),
    onSuccess: invalidate,
  });
}

export function useUsers(role: Role | '') {
  return useQuery({ queryKey: keys.users(role), queryFn: () => api.users(role) });
}

export function useSetRole() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, role }: { id: number; role: Role }) => api.setRole(id, role),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['admin-users'] }),
        queryClient.invalidateQueries({ queryKey: ['me'] }),
        queryClient.invalidateQueries({ queryKey: keys.analytics }),
      ]),
  });
}

export function useAnalytics() {
  return useQuery({ queryKey: keys.analytics, queryFn: () => api.analytics(false) });
}

export function useRefreshAnalytics() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.analytics(true),
    onSuccess: (data) => queryClient.setQueryData(keys.analytics, data),
  });
}

/** Who is coming to an event (admin or door staff): its CONFIRMED bookings with their holders. */
export function useAttendees(eventId: number) {
  return useQuery({ queryKey: ['attendees', eventId] as const, queryFn: () => api.attendees(eventId) });
}
