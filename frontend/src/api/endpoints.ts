import { request } from './client';
import type {
  Attendee,
  AnalyticsQuery,
  AnalyticsSummary,
  Booking,
  BookingRequest,
  EventInput,
  EventItem,
  EventPage,
  EventPatch,
  EventQuery,
  GenerateSeatsRequest,
  GenerateSeatsResult,
  HomepageStats,
  LoginRequest,
  Notification,
  NotificationPage,
  NotificationQuery,
  PasswordResetAccepted,
  PasswordResetConfirmRequest,
  PasswordResetRequest,
  Role,
  Seat,
  SignupRequest,
  TokenResponse,
  User,
  UserQuery,
} from './types';

export const api = {
  signup: (body: SignupRequest) =>
    request<User>('/auth/signup', { method: 'POST', body, auth: false }),
  login: (body: LoginRequest) =>
    request<TokenResponse>('/auth/login', { method: 'POST', body, auth: false }),
  me: () => request<User>('/auth/me'),
  requestPasswordReset: (body: PasswordResetRequest) =>
    request<PasswordResetAccepted>('/auth/password-reset', { method: 'POST', body, auth: false }),
  confirmPasswordReset: (body: PasswordResetConfirmRequest) =>
    request<User>('/auth/password-reset/confirm', { method: 'POST', body, auth: false }),

  notifications: (query: NotificationQuery) => request<NotificationPage>('/me/notifications', { query: { ...query } }),
  markNotificationRead: (id: number) => request<Notification>(`/me/notifications/${id}/read`, { method: 'POST' }),

  events: (query: EventQuery) => request<EventPage>('/events', { query: { ...query } }),
  event: (id: number) => request<EventItem>(`/events/${id}`),
  homepageStats: () => request<HomepageStats>('/stats/homepage', { auth: false }),
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
  generateSeats: (id: number, body: GenerateSeatsRequest) =>
    request<GenerateSeatsResult>(`/admin/events/${id}/seats/generate`, { method: 'POST', body }),

  users: (role?: Role | '') => {
    const query: UserQuery = role ? { role } : {};
    return request<User[]>('/admin/users', { query });
  },
  setRole: (id: number, role: Role) => request<User>(`/admin/users/${id}/role`, { method: 'PATCH', body: { role } }),

  analytics: (refresh = false) =>
  {
    const query: AnalyticsQuery = refresh ? { refresh: '1' } : {};
    return request<AnalyticsSummary>('/admin/analytics/summary', { query });
  },

  attendees: (eventId: number) => request<Attendee[]>(`/admin/events/${eventId}/attendees`),
};
