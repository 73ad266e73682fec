import { cleanup, render } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import type { Booking } from '../api/types';
import { BookingResult } from './BookingResult';

afterEach(cleanup);

function confirmed(seatLabels: string[], qty = Math.max(1, seatLabels.length)): Booking {
  return {
    id: 1, user_id: 1, event_id: 7, qty, status: 'CONFIRMED', created_at: '2031-01-01T10:00:00Z',
    seat_labels: seatLabels, waitlist_position: null, event: { id: 7, name: 'Jazz' } as Booking['event'],
  };
}

function text(booking: Booking): string {
  return render(<MemoryRouter><BookingResult booking={booking} /></MemoryRouter>).container.textContent ?? '';
}

describe('BookingResult', () => {
  it('names one seat as a seat and several as seats', () => {
    expect(text(confirmed(['B-1']))).toContain("You're booked! 1 ticket — seat B-1. See my bookings");
    cleanup();
    expect(text(confirmed(['A-3', 'A-4']))).toContain('2 tickets — seats A-3, A-4. See my bookings');
  });

  it('names no seats for an event without a seat map', () => {
    expect(text(confirmed([], 2))).toContain("You're booked! 2 tickets. See my bookings");
  });
});
