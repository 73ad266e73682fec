/**
 * The contract's shapes, taken from the types generated from the backend's OpenAPI schema
 * (`schema.d.ts`; regenerate with `scripts/gen-api-types.sh`, never edit it by hand).
 *
 * Each alias is looked up by path, method and status rather than by component name: paths
 * and statuses are fixed by the contract (shared/API.md) while component names are the
 * backend's choice, so renaming a serializer doesn't break the app. Nothing here is written
 * by hand: client-side shapes (form state, filters) live next to their code, e.g.
 * lib/eventFilters.ts. types.typecheck.ts fails the typecheck if an alias stops resolving.
 */
import type { paths } from './schema';

type Method = 'get' | 'post' | 'patch' | 'delete';
type JsonContent<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;
type OperationOf<P extends keyof paths, M extends Method> = M extends keyof paths[P] ? paths[P][M] : never;

/** The JSON body `M P` answers with status `S` (200 unless given). */
export type ResponseBody<P extends keyof paths, M extends Method, S extends number = 200> =
  OperationOf<P, M> extends { responses: infer Responses }
    ? S extends keyof Responses
      ? JsonContent<Responses[S]>
      : never
    : never;

/** The JSON body `M P` takes. */
export type RequestBody<P extends keyof paths, M extends Method> =
  OperationOf<P, M> extends { requestBody?: infer Body } ? JsonContent<NonNullable<Body>> : never;

/** The query parameters `M P` takes. */
export type QueryParams<P extends keyof paths, M extends Method> =
  OperationOf<P, M> extends { parameters: { query?: infer Query } } ? NonNullable<Query> : never;

// --- Resources ---------------------------------------------------------------------------

export type User = ResponseBody<'/auth/me', 'get'>;
export type Role = NonNullable<RequestBody<'/admin/users/{user_id}/role', 'patch'>['role']>;
export type TokenResponse = ResponseBody<'/auth/login', 'post'>;

export type EventItem = ResponseBody<'/events/{event_id}', 'get'>;
export type EventStatus = NonNullable<EventItem['status']>;
/** `GET /events`: `{items, meta: {page, page_size, total}}`. */
export type EventPage = ResponseBody<'/events', 'get'>;
export type Seat = ResponseBody<'/events/{event_id}/seats', 'get'>[number];

export type Booking = ResponseBody<'/events/{event_id}/book', 'post'>;
export type BookingStatus = Booking['status'];
export type EventSummary = Booking['event'];

export type AnalyticsSummary = ResponseBody<'/admin/analytics/summary', 'get'>;
export type AnalyticsEventRow = AnalyticsSummary['events'][number];
export type DayCount = AnalyticsSummary['timeseries_7d']['bookings'][number];
/** `GET /stats/homepage`: `{total_events, total_tickets_sold, total_customers, cities_covered}`. */
export type HomepageStats = ResponseBody<'/stats/homepage', 'get'>;
export type GenerateSeatsResult = ResponseBody<'/admin/events/{event_id}/seats/generate', 'post'>;
/** `GET /me/notifications`: `{items, meta: {page, page_size, total}}`, newest first. */
export type NotificationPage = ResponseBody<'/me/notifications', 'get'>;
export type Notification = ResponseBody<'/me/notifications/{notification_id}/read', 'post'>;
export type NotificationKind = Notification['kind'];
/** `POST /auth/password-reset` → 202 `{detail}`. */
export type PasswordResetAccepted = ResponseBody<'/auth/password-reset', 'post', 202>;

// --- Requests ----------------------------------------------------------------------------

export type SignupRequest = RequestBody<'/auth/signup', 'post'>;
export type LoginRequest = RequestBody<'/auth/login', 'post'>;
export type EventQuery = QueryParams<'/events', 'get'>;
export type EventSort = NonNullable<EventQuery['sort']>;
export type SortOrder = NonNullable<EventQuery['order']>;
export type BookingRequest = RequestBody<'/events/{event_id}/book', 'post'>;
export type EventInput = RequestBody<'/admin/events', 'post'>;
export type EventPatch = RequestBody<'/admin/events/{event_id}', 'patch'>;
export type GenerateSeatsRequest = RequestBody<'/admin/events/{event_id}/seats/generate', 'post'>;
export type UserQuery = QueryParams<'/admin/users', 'get'>;
export type AnalyticsQuery = QueryParams<'/admin/analytics/summary', 'get'>;
export type NotificationQuery = QueryParams<'/me/notifications', 'get'>;
export type PasswordResetRequest = RequestBody<'/auth/password-reset', 'post'>;
export type PasswordResetConfirmRequest = RequestBody<'/auth/password-reset/confirm', 'post'>;

/** The 422 body: `{detail, errors: {field: [message, ...]}}`. */
export type ValidationErrorBody = ResponseBody<'/events', 'get', 422>;

// --- Tickets and check-in (issue 13) -----------------------------------------------------

/** `{id, code, booking_id, event_id, seat_label, status, checked_in_at}`. */
export type Ticket = ResponseBody<'/me/bookings/{booking_id}/tickets', 'get'>[number];
export type TicketStatus = Ticket['status'];
/** `POST /admin/events/{id}/checkin` → `{ticket, booking_id, holder: {name}}`. */
export type CheckInResult = ResponseBody<'/admin/events/{event_id}/checkin', 'post'>;
export type CheckInRequest = RequestBody<'/admin/events/{event_id}/checkin', 'post'>;

// --- Time zones, sale state and organizer tools (issue 15) -----------------------------------

export type SaleState = EventItem['sale_state'];
export type EventWhen = NonNullable<EventQuery['when']>;
/** `GET /admin/events/{id}/attendees`: one CONFIRMED booking with its holder. */
export type Attendee = ResponseBody<'/admin/events/{event_id}/attendees', 'get'>[number];
