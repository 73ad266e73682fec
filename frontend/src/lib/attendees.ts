import type { Attendee } from '../api/types';

/** Attendees whose name or email contains every word of `query` (case- and accent-insensitive). */
export function filterAttendees(list: readonly Attendee[], query: string): Attendee[] {
  const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...list];
  return list.filter((a) => {
    const hay = fold(`${a.user.name} ${a.user.email}`);
    return words.every((w) => hay.includes(w));
  });
}

export interface AttendeeCounts {
  /** CONFIRMED bookings. */
  bookings: number;
  /** Tickets (seats) they hold. */
  tickets: number;
  /** Tickets admitted at the doors. */
  checkedIn: number;
}

export function attendeeCounts(list: readonly Attendee[]): AttendeeCounts {
  return list.reduce(
    (c, a) => ({ bookings: c.bookings + 1, tickets: c.tickets + a.qty, checkedIn: c.checkedIn + (a.checked_in_count ?? (a.checked_in ? 1 : 0)) }),
    { bookings: 0, tickets: 0, checkedIn: 0 },
  );
}
