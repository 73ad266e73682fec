/**
 * What the booking panel offers after the server refuses a booking (API.md "Booking (user)").
 *
 * - Named seats taken (409 `Seats already taken: C-2`, extra field `seats`): the caller
 *   chooses again. The taken seats leave the selection and the person picks others; no
 *   waitlist is offered, since a waitlisted request gets whatever seats free up first, never
 *   the ones named ("never swap in seats the caller did not name").
 * - No room (409 `Not enough seats available`: too few left, or people already waiting):
 *   the waitlist, for the same number of tickets.
 * - Anything else: the error in plain words.
 */
import { ApiError } from '../api/errors';
import type { BookingRequest } from '../api/types';

export type BookingRefusal =
  /** `seats`: the labels the server says are taken (in its order). */
  | { kind: 'seats-taken'; seats: string[] }
  /** `waitlist`: the request that joins the queue for as many tickets; `named` when the refused request named seats. */
  | { kind: 'no-room'; waitlist: BookingRequest; named: boolean }
  | { kind: 'other' };

/** The labels of a "Seats already taken" 409: its `seats` field, else the detail's list. */
function takenLabels(error: ApiError): string[] {
  const body = error.body as { seats?: unknown } | null;
  if (body && Array.isArray(body.seats)) return body.seats.map(String);
  const list = /already taken:\s*(.+)$/i.exec(error.detail)?.[1] ?? '';
  return list
    .split(',')
    .map((label) => label.trim())
    .filter(Boolean);
}

/** How many tickets `request` asked for (its qty, else its named seats). */
export function requestedQty(request: BookingRequest): number {
  return request.qty ?? request.quantity ?? request.seat_ids?.length ?? 0;
}

/** Classify a failed booking `request` (see the module comment). */
export function bookingRefusal(error: unknown, request: BookingRequest | undefined): BookingRefusal {
  if (!(error instanceof ApiError) || error.status !== 409 || !request) return { kind: 'other' };
  if (/already taken/i.test(error.detail)) return { kind: 'seats-taken', seats: takenLabels(error) };
  const qty = requestedQty(request);
  if (/not enough seats/i.test(error.detail) && !request.waitlist && qty > 0) {
    return { kind: 'no-room', waitlist: { qty, waitlist: true }, named: (request.seat_ids?.length ?? 0) > 0 };
  }
  return { kind: 'other' };
}

/** The selection without the seats someone else just took. */
export function withoutSeats(selected: ReadonlySet<string>, taken: readonly string[]): ReadonlySet<string> {
  const next = new Set(selected);
  for (const label of taken) next.delete(label);
  return next.size === selected.size ? selected : next;
}

/** "Someone just booked C-2: …" in plain words, asking to pick again. */
export function seatsTakenMessage(seats: readonly string[]): string {
  if (seats.length === 0) return 'Some of the seats you picked were just booked by someone else. Pick other seats.';
  return `${seatsGoneMessage(seats)} Nothing was booked: pick other seats and book again.`;
}

/** Picked seats the seat map, read again, shows booked by someone else (no booking tried). */
export function seatsGoneMessage(seats: readonly string[]): string {
  const names = seats.length === 1 ? `Seat ${seats[0]} was` : `Seats ${seats.slice(0, -1).join(', ')} and ${seats[seats.length - 1]} were`;
  const them = seats.length === 1 ? 'it' : 'them';
  return `${names} just booked by someone else, so we took ${them} out of your selection.`;
}
