import { describe, expect, it } from 'vitest';
import type { Booking } from '../api/types';
import { myPlaceAt, waitingText } from './myPlace';

function booking(id: number, eventId: number, status: Booking['status'], extra: Partial<Booking> = {}): Booking {
  return {
    id,
    user_id: 1,
    event_id: eventId,
    qty: 1,
    status,
    created_at: '2026-01-01T10:00:00Z',
    seat_labels: [],
    waitlist_position: null,
    event: { id: eventId, name: 'Jazz Night' } as Booking['event'],
    ...extra,
  };
}

describe('myPlaceAt', () => {
  it("has the event's held seats and waitlist places, nothing of other events or cancelled bookings", () => {
    const place = myPlaceAt(
      [
        booking(1, 7, 'CONFIRMED', { qty: 2, seat_labels: ['A-1', 'A-2'] }),
        booking(2, 7, 'WAITLISTED', { qty: 3, waitlist_position: 4 }),
        booking(3, 7, 'WAITLISTED', { qty: 1, waitlist_position: 2 }),
        booking(4, 7, 'CANCELLED', { qty: 1 }),
        booking(5, 8, 'WAITLISTED', { qty: 1, waitlist_position: 1 }),
        booking(6, 8, 'CONFIRMED', { seat_labels: ['B-1'] }),
      ],
      7,
    );
    expect([...place.seats]).toEqual(['A-1', 'A-2']);
    expect(place.waiting).toEqual([
      { bookingId: 3, position: 2, qty: 1 },
      { bookingId: 2, position: 4, qty: 3 },
    ]);
  });

  it('nothing while the bookings are unknown', () => {
    expect(myPlaceAt(undefined, 7)).toEqual({ seats: new Set(), waiting: [] });
  });
});

describe('waitingText', () => {
  it('gives the place in the queue', () => {
    expect(waitingText([{ bookingId: 2, position: 1, qty: 2 }])).toBe("You're on the waitlist (#1) for 2 tickets.");
    expect(waitingText([{ bookingId: 2, position: 1, qty: 1 }, { bookingId: 3, position: 3, qty: 2 }])).toBe("You're on the waitlist (#1, #3) for 3 tickets.");
  });
});
