import { request } from './client';
import type {
  AnalyticsSummary,
  Booking,
  BookingRequest,
  EventInput,
  EventItem,
  EventPatch,
  EventQuery,
  GenerateSeatsResult,
  Page,
  Role,
  Seat,
  TokenResponse,
  User,
} from './types';

export const api = {
  signup: (body: { name: string; email: string; password: string }) =>
    request<User>('/auth/signup', { method: 'POST', body, auth: false }),
  login: (body: { email: string; password: string }) =>
    request<TokenResponse>('/auth/login', { method: 'POST', body, auth: false }),
  me: () => request<User>('/auth/me'),

  events: (query: EventQuery) => request<Page<EventItem>>('/events', { query: { ...query } }),
  event: (id: number) => request<EventItem>(`/events/${id}`),
  seats: (id: number) => request<Seat[]>(`/events/${id}/seats`),

  book: (eventId: number, body: BookingRequest, idempotencyKey: string) =>
    request<Booking>(`/events/${eventId}/book`, {
      method: 'POST',
      body,
      headers: { 'Idempotency-Key': idempotencyKey },
    }),
  myBookings: () => request<Booking[]>('/me/bookings'),
  cancelBooking: (id: number) => request<Booking>(`/bookings/${id}`, { method: 'DELETE' }),

  createEvent: (body: EventInput) => request<EventItem>('/admin/events', { method: 'POST', body }),
  updateEvent: (id: number, body: EventPatch) => request<EventItem>(`/admin/events/${id}`, { method: 'PATCH', body }),
  deactivateEvent: (id: number) => request<EventItem>(`/admin/events/${id}/deactivate`, { method: 'POST' }),
  deleteEvent: (id: number) => request<null>(`/admin/events/${id}`, { method: 'DELETE' }),
  generateSeats: (id: number, body: { rows: number; cols: number }) =>
    request<GenerateSeatsResult>(`/admin/events/${id}/seats/generate`, { method: 'POST', body }),

  users: (role?: Role | '') => request<User[]>('/admin/users', { query: { role } }),
  setRole: (id: number, role: Role) => request<User>(`/admin/users/${id}/role`, { method: 'PATCH', body: { role } }),

  analytics: (refresh = false) =>
    request<AnalyticsSummary>('/admin/analytics/summary', { query: { refresh: refresh ? 1 : undefined } }),
};
