import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/errors';
import type { Booking, BookingRequest, EventItem, Seat } from '../api/types';
import { BookingPanel } from './BookingPanel';

interface MutateCallbacks {
  onSuccess?: (b: Booking) => void;
  onError?: (e: unknown) => void;
}

// The booking mutation as the panel sees it; each test moves it through its states.
const booking = {
  isPending: false,
  isSuccess: false,
  isError: false,
  error: null as unknown,
  data: undefined as Booking | undefined,
  variables: undefined as BookingRequest | undefined,
  submittedAt: 0,
  mutate: vi.fn(),
};

vi.mock('../auth/AuthContext', () => ({ useAuth: () => ({ token: 't' }) }));
vi.mock('../hooks/useBooking', () => ({ useBooking: () => booking }));

const event: EventItem = {
  id: 1,
  name: 'Jazz',
  venue: 'Hall',
  start_time: '2031-03-29T18:00:00Z',
  end_time: '2031-03-29T21:00:00Z',
  capacity: 2,
  booked_count: 0,
  status: 'active',
  waitlisted_count: 0,
  available: 2,
  utilization_pct: 0,
  timezone: 'UTC',
  sale_state: 'on_sale',
};

function seats(reserved: string[]): Seat[] {
  return ['A-1', 'A-2'].map((label, i) => ({
    id: i + 1,
    event_id: 1,
    label,
    row_label: 'A',
    col_number: i + 1,
    reserved: reserved.includes(label),
  }));
}

function panel(reserved: string[], mine: string[] = []) {
  return (
    <MemoryRouter>
      <BookingPanel event={event} seats={seats(reserved)} mine={new Set(mine)} waiting={[]} />
    </MemoryRouter>
  );
}

const someoneElse = /just booked by someone else/;

beforeEach(() => {
  Object.assign(booking, { isPending: false, isSuccess: false, isError: false, error: null, data: undefined, variables: undefined });
  booking.mutate.mockReset();
});
afterEach(cleanup);

describe('BookingPanel', () => {
  it('takes a picked seat the map shows booked by someone else out of the selection, and says so', () => {
    const view = render(panel([]));
    fireEvent.click(screen.getByTitle('A-2'));
    expect(screen.getByText('Selected: A-2')).toBeTruthy();
    view.rerender(panel(['A-2']));
    expect(screen.getByText('No seats selected.')).toBeTruthy();
    expect(screen.getAllByText(someoneElse)).toHaveLength(1);
  });

  it("names nobody else for the person's own booking whose seats the map, read again first, shows taken", () => {
    const view = render(panel([]));
    fireEvent.click(screen.getByTitle('A-2'));
    fireEvent.click(screen.getByRole('button', { name: 'Book 1 seat' }));
    const [body, callbacks] = booking.mutate.mock.calls[0]! as [BookingRequest, MutateCallbacks];
    // The booking is still settling: the seat map is read again before "my bookings" is.
    Object.assign(booking, { isPending: true, variables: body });
    view.rerender(panel(['A-2']));
    expect(screen.queryByText(someoneElse)).toBeNull();
    // Then the booking's answer and the person's bookings.
    const result = { id: 9, status: 'CONFIRMED', seat_labels: ['A-2'], qty: 1, event: { id: 1, name: 'Jazz' } } as unknown as Booking;
    act(() => {
      Object.assign(booking, { isPending: false, isSuccess: true, data: result });
      callbacks.onSuccess?.(result);
      view.rerender(panel(['A-2'], ['A-2']));
    });
    expect(screen.queryByText(someoneElse)).toBeNull();
  });

  it('says once that a seat was taken when the booking is refused for it', () => {
    const view = render(panel([]));
    fireEvent.click(screen.getByTitle('A-2'));
    fireEvent.click(screen.getByRole('button', { name: 'Book 1 seat' }));
    const [body, callbacks] = booking.mutate.mock.calls[0]! as [BookingRequest, MutateCallbacks];
    Object.assign(booking, { isPending: true, variables: body });
    view.rerender(panel(['A-2'])); // the seat map is read again while the refusal settles
    const refused = new ApiError(409, 'Seats already taken: A-2', {}, null, { detail: 'Seats already taken: A-2', seats: ['A-2'] });
    act(() => {
      Object.assign(booking, { isPending: false, isError: true, error: refused });
      callbacks.onError?.(refused);
      view.rerender(panel(['A-2']));
    });
    expect(screen.getAllByText(someoneElse)).toHaveLength(1);
  });
});
