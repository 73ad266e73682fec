/**
 * "You got seats from the waitlist": which promoted bookings to announce on My bookings.
 *
 * A booking counts as promoted when a `waitlist_promoted` notification names it, or when this
 * browser last saw it WAITLISTED and now sees it CONFIRMED. Each is announced once: the ids
 * already shown are kept in localStorage per user, with the statuses last seen.
 */
import type { Booking, BookingStatus, Notification } from '../api/types';

export interface PromotionMemory {
  /** Booking ids already announced. */
  shown: number[];
  /** The status of each booking when My bookings was last shown. */
  statuses: Record<string, BookingStatus>;
}

export interface Promotion {
  bookingId: number;
  eventName: string;
  seatLabels: string[];
  qty: number;
}

const EMPTY: PromotionMemory = { shown: [], statuses: {} };

/** The booking ids that `waitlist_promoted` notifications name. */
export function promotedBookingIds(notifications: readonly Notification[]): Set<number> {
  const ids = new Set<number>();
  for (const n of notifications) if (n.kind === 'waitlist_promoted' && n.booking_id !== null) ids.add(n.booking_id);
  return ids;
}

/**
 * The promotions to announce now and the memory to store after showing them. Pure: the
 * caller reads and writes localStorage (see loadMemory / saveMemory).
 */
export function promotionsToAnnounce(
  bookings: readonly Booking[],
  promotedIds: ReadonlySet<number>,
  memory: PromotionMemory,
): { announce: Promotion[]; memory: PromotionMemory } {
  const shown = new Set(memory.shown);
  const announce: Promotion[] = [];
  const statuses: Record<string, BookingStatus> = {};
  for (const b of bookings) {
    statuses[String(b.id)] = b.status;
    if (b.status !== 'CONFIRMED' || shown.has(b.id)) continue;
    const wasWaiting = memory.statuses[String(b.id)] === 'WAITLISTED';
    if (!promotedIds.has(b.id) && !wasWaiting) continue;
    announce.push({ bookingId: b.id, eventName: b.event.name, seatLabels: [...b.seat_labels], qty: b.qty });
    shown.add(b.id);
  }
  // Only ids of bookings that still exist are kept, so the memory never grows without bound.
  const present = new Set(bookings.map((b) => b.id));
  return { announce, memory: { shown: [...shown].filter((id) => present.has(id)), statuses } };
}

/** "You got seats from the waitlist: A-4, A-5" (or "2 tickets" when there is no seat map). */
export function promotionText(p: Promotion): string {
  const what = p.seatLabels.length > 0 ? p.seatLabels.join(', ') : `${p.qty} ${p.qty === 1 ? 'ticket' : 'tickets'}`;
  return `You got seats from the waitlist: ${what}`;
}

const storageKey = (userId: number) => `evently.promotions.${userId}`;

export function loadMemory(userId: number): PromotionMemory {
  try {
    const raw = localStorage.getItem(storageKey(userId));
    if (!raw) return EMPTY;
    const parsed = JSON.parse(raw) as Partial<PromotionMemory>;
    return {
      shown: Array.isArray(parsed.shown) ? parsed.shown.filter((x): x is number => typeof x === 'number') : [],
      statuses: parsed.statuses && typeof parsed.statuses === 'object' ? parsed.statuses : {},
    };
  } catch {
    return EMPTY;
  }
}

export function saveMemory(userId: number, memory: PromotionMemory): void {
  try {
    localStorage.setItem(storageKey(userId), JSON.stringify(memory));
  } catch {
    // Storage full or disabled: the banner may show again, nothing worse.
  }
}
