import { describe, expect, it } from 'vitest';
import { apiErrorFrom } from '../api/errors';
import { bookingRefusal, seatsTakenMessage, withoutSeats } from './bookingRefusal';

const taken = apiErrorFrom(409, { detail: 'Seats already taken: C-2', seats: ['C-2'] });
const noRoom = apiErrorFrom(409, { detail: 'Not enough seats available: 1 left', available: 1, waiting: 0 });

describe('bookingRefusal', () => {
  it('named seats taken: choose again, no waitlist (it would book seats never picked)', () => {
    const refusal = bookingRefusal(taken, { seat_ids: ['C-1', 'C-2'] });
    expect(refusal).toEqual({ kind: 'seats-taken', seats: ['C-2'] });
    expect(refusal).not.toHaveProperty('waitlist');
  });

  it('reads the taken seats from the detail when the body has no `seats`', () => {
    expect(bookingRefusal(apiErrorFrom(409, { detail: 'Seats already taken: C-2, C-3' }), { seat_ids: ['C-2', 'C-3'] })).toEqual({
      kind: 'seats-taken',
      seats: ['C-2', 'C-3'],
    });
  });

  it('no room: the waitlist for as many tickets', () => {
    expect(bookingRefusal(noRoom, { qty: 2 })).toEqual({ kind: 'no-room', waitlist: { qty: 2, waitlist: true }, named: false });
    expect(bookingRefusal(noRoom, { seat_ids: ['A-1', 'A-2', 'A-3'] })).toEqual({ kind: 'no-room', waitlist: { qty: 3, waitlist: true }, named: true });
  });

  it('anything else is only explained', () => {
    expect(bookingRefusal(apiErrorFrom(409, { detail: 'Event not active' }), { qty: 1 })).toEqual({ kind: 'other' });
    expect(bookingRefusal(apiErrorFrom(404, { detail: 'Seat not found: Z-9' }), { seat_ids: ['Z-9'] })).toEqual({ kind: 'other' });
    expect(bookingRefusal(noRoom, { qty: 2, waitlist: true })).toEqual({ kind: 'other' });
    expect(bookingRefusal(new Error('boom'), { qty: 1 })).toEqual({ kind: 'other' });
  });
});

describe('withoutSeats', () => {
  it('drops the taken seats and keeps the rest', () => {
    expect([...withoutSeats(new Set(['C-1', 'C-2']), ['C-2'])]).toEqual(['C-1']);
    const same = new Set(['A-1']);
    expect(withoutSeats(same, ['C-2'])).toBe(same);
  });
});

describe('seatsTakenMessage', () => {
  it('names the seats and asks to pick again', () => {
    expect(seatsTakenMessage(['C-2'])).toBe(
      'Seat C-2 was just booked by someone else, so we took it out of your selection. Nothing was booked: pick other seats and book again.',
    );
    expect(seatsTakenMessage(['C-2', 'C-3', 'D-1'])).toMatch(/^Seats C-2, C-3 and D-1 were just booked by someone else, so we took them out/);
  });
});
