import { describe, expect, it } from 'vitest';
import { ApiError, apiErrorFrom } from '../api/errors';
import type { CheckInResult } from '../api/types';
import { formatClock, normalizeCode, outcomeHeadline, outcomeOf, RepeatFilter } from './checkin';

const result: CheckInResult = {
  ticket: { id: 1, code: 'abc', booking_id: 7, event_id: 3, seat_label: 'A-3', status: 'checked_in', checked_in_at: '2026-05-01T18:05:00Z' },
  booking_id: 7,
  holder: { name: 'Ada Lovelace' },
};

describe('outcomeOf', () => {
  it('admits with the seat and the holder', () => {
    expect(outcomeOf('abc', { result })).toEqual({ kind: 'admitted', code: 'abc', seat: 'A-3', holder: 'Ada Lovelace' });
  });

  it('maps each refusal of the contract', () => {
    const already = apiErrorFrom(409, { detail: 'Already checked in', checked_in_at: '2026-05-01T18:05:00Z' });
    expect(outcomeOf('abc', { error: already })).toEqual({ kind: 'already', code: 'abc', checkedInAt: '2026-05-01T18:05:00Z' });
    expect(outcomeOf('abc', { error: apiErrorFrom(409, { detail: 'Ticket void (booking cancelled)' }) }).kind).toBe('void');
    expect(outcomeOf('abc', { error: apiErrorFrom(409, { detail: 'Ticket is for another event' }) }).kind).toBe('other-event');
    expect(outcomeOf('abc', { error: apiErrorFrom(404, { detail: 'Not found' }) }).kind).toBe('not-found');
  });

  it('keeps other failures apart from refusals, in plain words', () => {
    const outcome = outcomeOf('abc', { error: new ApiError(0, 'Network error') });
    expect(outcome.kind).toBe('error');
    expect(outcome.kind === 'error' && outcome.message).toMatch(/could not reach the server/i);
    expect(outcomeOf('abc', { error: apiErrorFrom(403, { detail: 'Forbidden' }) }).kind).toBe('error');
  });

  it("reads a code the API refuses as no code at all (a poster's long QR link) as NOT FOUND, not in DRF's words", () => {
    const tooLong = apiErrorFrom(422, {
      detail: 'code: Ensure this field has no more than 64 characters.',
      errors: { code: ['Ensure this field has no more than 64 characters.'] },
    });
    expect(outcomeOf('x'.repeat(65), { error: tooLong })).toEqual({ kind: 'not-found', code: 'x'.repeat(65) });
  });

  it('never says NOT FOUND about a ticket when it is the event that does not exist', () => {
    const outcome = outcomeOf('abc', { error: apiErrorFrom(404, { detail: 'Event not found' }) });
    expect(outcome.kind).toBe('error');
    expect(outcome.kind === 'error' && outcome.message).toMatch(/no event/i);
    expect(outcomeOf('abc', { error: apiErrorFrom(404, { detail: 'Ticket not found' }) }).kind).toBe('not-found');
  });

  it('copes with an "already checked in" without a time', () => {
    const outcome = outcomeOf('abc', { error: apiErrorFrom(409, { detail: 'Already checked in' }) });
    expect(outcome).toEqual({ kind: 'already', code: 'abc', checkedInAt: null });
    expect(outcomeHeadline(outcome).title).toBe('ALREADY CHECKED IN');
  });
});

describe('outcomeHeadline', () => {
  it('says the time of the first admit as HH:MM', () => {
    const at = new Date(2026, 4, 1, 9, 7).toISOString();
    expect(outcomeHeadline({ kind: 'already', code: 'x', checkedInAt: at })).toEqual({ title: 'ALREADY CHECKED IN at 09:07', tone: 'warn' });
    expect(outcomeHeadline({ kind: 'admitted', code: 'x', seat: 'A-1', holder: 'A' }).tone).toBe('ok');
    expect(outcomeHeadline({ kind: 'void', code: 'x' })).toEqual({ title: 'VOID', tone: 'bad' });
    expect(outcomeHeadline({ kind: 'other-event', code: 'x' })).toEqual({ title: 'OTHER EVENT', tone: 'bad' });
    expect(outcomeHeadline({ kind: 'not-found', code: 'x' })).toEqual({ title: 'NOT FOUND', tone: 'bad' });
  });

  it('formats clocks and ignores bad instants', () => {
    expect(formatClock(new Date(2026, 0, 2, 21, 30).toISOString())).toBe('21:30');
    expect(formatClock(null)).toBe('');
    expect(formatClock('nonsense')).toBe('');
  });
});

describe('normalizeCode', () => {
  it('trims typed and pasted codes', () => {
    expect(normalizeCode('  Zx_9-aB \n')).toBe('Zx_9-aB');
    expect(normalizeCode('')).toBe('');
  });

  it('takes the code out of a ticket link', () => {
    expect(normalizeCode('https://evently.example/tickets/Zx_9-aB/qr.svg')).toBe('Zx_9-aB');
    expect(normalizeCode('https://evently.example/t/Zx_9-aB')).toBe('Zx_9-aB');
  });
});

describe('RepeatFilter', () => {
  it('lets a code through once per quiet period, other codes at once', () => {
    const f = new RepeatFilter(3000);
    expect(f.accept('a', 0)).toBe(true);
    expect(f.accept('a', 500)).toBe(false);
    expect(f.accept('b', 600)).toBe(true);
    expect(f.accept('a', 700)).toBe(true);
    expect(f.accept('a', 3800)).toBe(true);
    expect(f.accept('a', 3900)).toBe(false);
  });
});
