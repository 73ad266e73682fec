/**
 * What the signed-in person already has at one event, from `GET /me/bookings`: the seats they
 * hold (★ on the map) and their places in its waitlist, so the event page says "You're on the
 * waitlist (#2)" instead of offering a second, separate join.
 */
import type { Booking } from '../api/types';

export interface WaitingPlace {
  bookingId: number;
  /** 1-based place in the event's queue (null only if the server left it out). */
  position: number | null;
  qty: number;
}

export interface MyPlace {
  seats: ReadonlySet<string>;
  /** WAITLISTED bookings for the event, nearest the head of the queue first. */
  waiting: readonly WaitingPlace[];
}

export function myPlaceAt(bookings: readonly Booking[] | undefined, eventId: number): MyPlace {
  const seats = new Set<string>();
  const waiting: WaitingPlace[] = [];
  for (const b of bookings ?? []) {
    if (b.event_id !== eventId) continue;
    if (b.status === 'CONFIRMED') b.seat_labels.forEach((label) => seats.add(label));
    if (b.status === 'WAITLISTED') waiting.push({ bookingId: b.id, position: b.waitlist_position, qty: b.qty });
  }
  waiting.sort((a, b) => (a.position ?? Infinity) - (b.position ?? Infinity) || a.bookingId - b.bookingId);
  return { seats, waiting };
}

/** "You're on the waitlist (#2) for 3 tickets." (several requests: "(#2, #5)"). */
export function waitingText(waiting: readonly WaitingPlace[]): string {
  const places = waiting.map((w) => (w.position === null ? null : `#${w.position}`)).filter(Boolean);
  const where = places.length > 0 ? ` (${places.join(', ')})` : '';
  const qty = waiting.reduce((sum, w) => sum + w.qty, 0);
  return `You're on the waitlist${where} for ${qty} ${qty === 1 ? 'ticket' : 'tickets'}.`;
}
