import { describe, expect, it } from 'vitest';
import { ApiError, apiErrorFrom, explainError, NETWORK_DETAIL, splitFieldErrors } from './errors';

describe('apiErrorFrom', () => {
  it('takes detail and field errors from the contract body', () => {
    const e = apiErrorFrom(422, { detail: 'Invalid input', errors: { email: ['Enter a valid email address.'], capacity: 'too big' } });
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(422);
    expect(e.detail).toBe('Invalid input');
    expect(e.fieldErrors).toEqual({ email: ['Enter a valid email address.'], capacity: ['too big'] });
  });

  it('falls back to plain words when the body has no detail', () => {
    expect(apiErrorFrom(500, null).detail).toMatch(/server had a problem/);
    expect(apiErrorFrom(403, 'html').detail).toMatch(/not allowed/);
    expect(apiErrorFrom(418, {}).detail).toBe('Request failed (HTTP 418).');
  });

  it('reads Retry-After', () => {
    expect(apiErrorFrom(429, { detail: 'Rate limit exceeded' }, '30').retryAfter).toBe(30);
    expect(apiErrorFrom(429, { detail: 'Rate limit exceeded' }, 'soon').retryAfter).toBeNull();
  });
});

describe('explainError', () => {
  it('shows the detail as is by default', () => {
    expect(explainError(new ApiError(409, 'Not enough seats available: 2 left'))).toBe('Not enough seats available: 2 left');
    expect(explainError(new ApiError(400, 'Email already registered'))).toBe('Email already registered');
  });

  it('explains network failures', () => {
    expect(explainError(new ApiError(0, 'Network error'))).toBe(NETWORK_DETAIL);
  });

  it('puts capacity conflicts in plain words', () => {
    expect(explainError(new ApiError(409, 'capacity 5 < booked_count 8'))).toBe(
      "The capacity can't be 5: 8 seats are already booked. Choose at least 8.",
    );
  });

  it('says to deactivate an event that has bookings', () => {
    expect(explainError(new ApiError(409, 'Event has bookings; deactivate it instead'))).toMatch(/Deactivate it instead/);
  });

  it('explains the last-admin rule and rate limits', () => {
    expect(explainError(new ApiError(409, 'Cannot remove the last admin'))).toMatch(/last admin.*someone else/);
    expect(explainError(new ApiError(429, 'Rate limit exceeded', {}, 12))).toBe('Rate limit exceeded. Try again in 12 seconds.');
  });

  it('handles non-API errors', () => {
    expect(explainError(new Error('boom'))).toBe('boom');
    expect(explainError('??')).toBe('Something went wrong.');
  });
});

describe('splitFieldErrors', () => {
  it('keeps known fields and summarises the rest', () => {
    const e = new ApiError(422, 'Invalid', { name: ['Required'], non_field_errors: ['end_time must be after start_time'], foo: ['bad'] });
    expect(splitFieldErrors(e, ['name'])).toEqual({
      fields: { name: ['Required'] },
      other: ['end_time must be after start_time', 'foo: bad'],
    });
    expect(splitFieldErrors(new Error('x'), ['name'])).toEqual({ fields: {}, other: [] });
  });
});
