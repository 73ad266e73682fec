import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/errors';
import type { EventInput, EventItem } from '../../api/types';
import { EventForm, eventPatch } from './EventForm';

const berlinEvent: EventItem = {
  id: 7,
  name: 'Jazz',
  venue: 'Hall',
  start_time: '2031-03-29T18:00:00Z', // 19:00 CET, the day before the clocks go forward
  end_time: '2031-03-29T21:00:00Z',
  capacity: 50,
  booked_count: 0,
  status: 'active',
  waitlisted_count: 0,
  available: 50,
  utilization_pct: 0,
  timezone: 'Europe/Berlin',
  sale_state: 'on_sale',
};

function renderForm(initial: EventItem | undefined, onSubmit: (v: EventInput) => void, error: unknown = null) {
  render(<EventForm initial={initial} busy={false} error={error} submitLabel="Save" onSubmit={onSubmit} onCancel={() => {}} />);
}

afterEach(cleanup);

describe('EventForm', () => {
  it("shows an event's times in its own zone and sends a typed time in that zone as UTC", () => {
    const onSubmit = vi.fn();
    renderForm(berlinEvent, onSubmit);
    expect(screen.getByLabelText('Starts')).toHaveProperty('value', '2031-03-29T19:00');
    expect(screen.getByLabelText('Time zone')).toHaveProperty('value', 'Europe/Berlin');
    // Moved a day later, across the change to summer time: still 19:00 on the venue's clocks.
    fireEvent.change(screen.getByLabelText('Starts'), { target: { value: '2031-03-30T19:00' } });
    fireEvent.change(screen.getByLabelText('Ends'), { target: { value: '2031-03-30T22:00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    const values = onSubmit.mock.calls[0]![0] as EventInput;
    expect(values).toMatchObject({ start_time: '2031-03-30T17:00:00Z', end_time: '2031-03-30T20:00:00Z', timezone: 'Europe/Berlin' });
    expect(eventPatch(berlinEvent, values)).toEqual({ start_time: '2031-03-30T17:00:00Z', end_time: '2031-03-30T20:00:00Z' });
  });

  it('keeps the wall-clock times when the zone changes, so the instants move', () => {
    const onSubmit = vi.fn();
    renderForm(berlinEvent, onSubmit);
    fireEvent.change(screen.getByLabelText('Time zone'), { target: { value: 'America/Los_Angeles' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    const values = onSubmit.mock.calls[0]![0] as EventInput;
    expect(eventPatch(berlinEvent, values)).toEqual({
      start_time: '2031-03-30T02:00:00Z', // 19:00 PDT
      end_time: '2031-03-30T05:00:00Z',
      timezone: 'America/Los_Angeles',
    });
  });

  it('sends nothing when nothing changed', () => {
    const onSubmit = vi.fn();
    renderForm(berlinEvent, onSubmit);
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(eventPatch(berlinEvent, onSubmit.mock.calls[0]![0] as EventInput)).toEqual({});
  });

  it('leaves times with seconds (set through the API) alone when only the name is edited', () => {
    // The form shows minutes only; sending 19:00:00 back for 19:00:30 moved the event by 30 s
    // and told every ticket holder that its time had changed (event_changed).
    const withSeconds = { ...berlinEvent, start_time: '2031-03-29T18:00:30Z', end_time: '2031-03-29T21:00:45.500000Z' };
    const onSubmit = vi.fn();
    renderForm(withSeconds, onSubmit);
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Jazz night' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(eventPatch(withSeconds, onSubmit.mock.calls[0]![0] as EventInput)).toEqual({ name: 'Jazz night' });
  });

  it('after a refused save, focus goes to the first field with an error, not to the page', () => {
    const props = { initial: berlinEvent, busy: false, submitLabel: 'Save', onSubmit: vi.fn(), onCancel: () => {} };
    const { rerender } = render(<EventForm {...props} error={null} />);
    // The Save button was disabled while the request ran: focus fell to <body>.
    rerender(<EventForm {...props} busy error={null} />);
    (document.activeElement as HTMLElement | null)?.blur();
    rerender(<EventForm {...props} error={new ApiError(422, 'Validation failed', { venue: ['This field may not be blank.'] })} />);
    expect(document.activeElement).toBe(screen.getByLabelText('Venue'));
  });

  it("warns about a time the clocks skip, and words the server's unknown-zone error", () => {
    const error = new ApiError(422, 'Validation failed', { timezone: ["unknown time zone 'Mars/Base'; use an IANA name such as Europe/Berlin"] });
    renderForm(berlinEvent, vi.fn(), error);
    fireEvent.change(screen.getByLabelText('Starts'), { target: { value: '2031-03-30T02:30' } });
    expect(screen.getByText(/doesn't exist in Europe\/Berlin .*it becomes 03:30/)).toBeTruthy();
    expect(screen.getByText('Pick a time zone from the list, like Europe/Berlin.')).toBeTruthy();
    expect(screen.queryByText(/unknown time zone/)).toBeNull();
  });
});
