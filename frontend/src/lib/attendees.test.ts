import { describe, expect, it } from 'vitest';
import type { Attendee } from '../api/types';
import { filenameFrom } from '../api/download';
import { attendeeCounts, filterAttendees } from './attendees';

const a = (id: number, name: string, email: string, qty: number, checked: number): Attendee => ({
  booking_id: id,
  user: { id, name, email },
  qty,
  seat_labels: [],
  status: 'CONFIRMED',
  checked_in: checked > 0,
  checked_in_count: checked,
  created_at: '2031-01-01T10:00:00Z',
});

const list = [a(1, 'Zoë Müller', 'zoe@example.com', 2, 2), a(2, 'Ada Lovelace', 'ada@math.org', 3, 1), a(3, 'Bob', 'bob@example.com', 1, 0)];

describe('attendees', () => {
  it('searches names and emails, ignoring case and accents, every word must match', () => {
    expect(filterAttendees(list, '').map((x) => x.booking_id)).toEqual([1, 2, 3]);
    expect(filterAttendees(list, 'zoe mul').map((x) => x.booking_id)).toEqual([1]);
    expect(filterAttendees(list, 'EXAMPLE.com').map((x) => x.booking_id)).toEqual([1, 3]);
    expect(filterAttendees(list, 'math.org ada').map((x) => x.booking_id)).toEqual([2]);
    expect(filterAttendees(list, 'nobody')).toEqual([]);
  });

  it('counts bookings, tickets and tickets checked in', () => {
    expect(attendeeCounts(list)).toEqual({ bookings: 3, tickets: 6, checkedIn: 3 });
    expect(attendeeCounts([])).toEqual({ bookings: 0, tickets: 0, checkedIn: 0 });
  });

  it("takes the CSV's file name from Content-Disposition", () => {
    expect(filenameFrom('attachment; filename="event-7-attendees.csv"', 'x.csv')).toBe('event-7-attendees.csv');
    expect(filenameFrom("attachment; filename*=UTF-8''caf%C3%A9.csv", 'x.csv')).toBe('café.csv');
    expect(filenameFrom(null, 'x.csv')).toBe('x.csv');
  });
});
