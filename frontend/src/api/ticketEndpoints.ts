/**
 * Tickets, calendar files and door check-in (contract: "Tickets and check-in"). Kept apart
 * from endpoints.ts so the ticket screens stay one self-contained piece.
 */
import { request, requestBlob } from './client';
import type { CheckInResult, Ticket } from './types';

export const ticketsApi = {
  /** `GET /me/bookings/{id}/tickets` → the booking's tickets in seat order (owner or admin). */
  bookingTickets: (bookingId: number) => request<Ticket[]>(`/me/bookings/${bookingId}/tickets`),
  /** `GET /tickets/{code}/qr.svg` (owner or admin) → the QR code as an SVG blob. */
  // (No specific Accept: DRF's content negotiation answers 406 to `image/svg+xml` / `text/calendar`.)
  qrSvg: (code: string, signal?: AbortSignal) => requestBlob(`/tickets/${encodeURIComponent(code)}/qr.svg`, { signal }),
  /** `GET /me/bookings/{id}/calendar.ics` (owner) → the booking's iCalendar file, with its seats. */
  bookingCalendar: (bookingId: number) => requestBlob(`/me/bookings/${bookingId}/calendar.ics`),
  /** `POST /admin/events/{id}/checkin` (admin or checkin): admit a ticket. */
  checkIn: (eventId: number, code: string, idempotencyKey: string) =>
    request<CheckInResult>(`/admin/events/${eventId}/checkin`, {
      method: 'POST',
      body: { code },
      headers: { 'Idempotency-Key': idempotencyKey },
    }),
  /** `DELETE /admin/events/{id}/checkin/{code}`: undo a mistaken admit → the ticket, valid again. */
  undoCheckIn: (eventId: number, code: string) =>
    request<Ticket>(`/admin/events/${eventId}/checkin/${encodeURIComponent(code)}`, { method: 'DELETE' }),
};

/** The public calendar file of an event (`GET /events/{id}/calendar.ics`), usable as a plain link. */
export function eventCalendarPath(eventId: number): string {
  return `/events/${eventId}/calendar.ics`;
}
