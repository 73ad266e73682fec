import { beforeEach, describe, expect, it } from 'vitest';
import type { Booking, Notification } from '../api/types';
import { loadMemory, promotedBookingIds, promotionsToAnnounce, promotionText, saveMemory } from './promotions';

function booking(id: number, status: Booking['status'], seats: string[] = []): Booking {
  return {
    id,
    user_id: 1,
    event_id: 7,
    qty: Math.max(1, seats.length),
    status,
    created_at: '2026-01-01T10:00:00Z',
    seat_labels: seats,
    waitlist_position: status === 'WAITLISTED' ? 1 : null,
    event: { id: 7, name: 'Jazz Night' } as Booking['event'],
  };
}

function notification(kind: Notification['kind'], bookingId: number | null): Notification {
  return {
    id: bookingId ?? 0, kind, booking_id: bookingId, event_id: 7, title: 't', body: 'b',
    created_at: '2026-01-01T10:00:00Z', read_at: null, delivery: 'sent',
  };
}

describe('promotionsToAnnounce', () => {
  it('announces a booking a waitlist_promoted notification names, once', () => {
    const ids = promotedBookingIds([notification('waitlist_promoted', 3), notification('booking_confirmed', 4)]);
    const first = promotionsToAnnounce([booking(3, 'CONFIRMED', ['A-4', 'A-5']), booking(4, 'CONFIRMED', ['B-1'])], ids, { shown: [], statuses: {} });
    expect(first.announce.map(promotionText)).toEqual(['You got seats from the waitlist: A-4, A-5']);
    const again = promotionsToAnnounce([booking(3, 'CONFIRMED', ['A-4', 'A-5'])], ids, first.memory);
    expect(again.announce).toEqual([]);
  });

  it('announces a booking seen WAITLISTED and now CONFIRMED, without any notification', () => {
    const seen = promotionsToAnnounce([booking(5, 'WAITLISTED')], new Set(), { shown: [], statuses: {} });
    expect(seen.announce).toEqual([]);
    const now = promotionsToAnnounce([booking(5, 'CONFIRMED', ['C-2'])], new Set(), seen.memory);
    expect(now.announce.map((p) => p.bookingId)).toEqual([5]);
    expect(now.memory.shown).toEqual([5]);
  });

  it('never announces a plain confirmed booking, a still-waiting one or a cancelled one', () => {
    const ids = promotedBookingIds([notification('waitlist_promoted', 9)]);
    const r = promotionsToAnnounce([booking(1, 'CONFIRMED', ['A-1']), booking(2, 'WAITLISTED'), booking(9, 'CANCELLED')], ids, { shown: [], statuses: {} });
    expect(r.announce).toEqual([]);
  });

  it('forgets bookings that are gone and says tickets when there are no seat labels', () => {
    const r = promotionsToAnnounce([booking(2, 'CONFIRMED')], new Set([2]), { shown: [1], statuses: { '1': 'WAITLISTED' } });
    expect(r.memory.shown).toEqual([2]);
    expect(Object.keys(r.memory.statuses)).toEqual(['2']);
    expect(promotionText(r.announce[0]!)).toBe('You got seats from the waitlist: 1 ticket');
  });
});

describe('memory in localStorage', () => {
  beforeEach(() => localStorage.clear());
  it('round-trips per user and survives garbage', () => {
    saveMemory(1, { shown: [3], statuses: { '3': 'CONFIRMED' } });
    expect(loadMemory(1)).toEqual({ shown: [3], statuses: { '3': 'CONFIRMED' } });
    expect(loadMemory(2)).toEqual({ shown: [], statuses: {} });
    localStorage.setItem('evently.promotions.1', '{nope');
    expect(loadMemory(1)).toEqual({ shown: [], statuses: {} });
  });
});
