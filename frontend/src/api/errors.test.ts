import { describe, expect, it } from 'vitest';
import { ApiError, apiErrorFrom, explainError, formErrors, humanFieldMessage, mayPassOnRetry, NETWORK_DETAIL } from './errors';

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

describe('humanFieldMessage', () => {
  it('words the API messages the way people say them', () => {
    expect(humanFieldMessage('name', 'This field may not be blank.', { what: 'your name' })).toBe('Enter your name.');
    expect(humanFieldMessage('email', 'This field is required.', { what: 'your email address' })).toBe('Enter your email address.');
    expect(humanFieldMessage('email', 'Enter a valid email address.')).toBe('Enter a valid email address, like name@example.com.');
    expect(humanFieldMessage('password', 'Password must be at least 8 characters long.')).toBe('Use at least 8 characters for your password.');
    expect(
      humanFieldMessage('start_time', 'Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].', {
        what: 'when it starts',
        missing: 'Enter the date and time it starts.',
      }),
    ).toBe('Enter the date and time it starts.');
    expect(humanFieldMessage('end_time', 'end_time must be after start_time.')).toBe('The end must be after the start.');
    expect(humanFieldMessage('end_time', 'end_time: end_time must be after start_time.')).toBe('The end must be after the start.');
    expect(humanFieldMessage('capacity', 'Ensure this value is greater than or equal to 1.')).toBe('Enter 1 or more.');
    expect(humanFieldMessage('capacity', 'Ensure this value is less than or equal to 100000.')).toBe('Enter 100000 or less.');
    expect(humanFieldMessage('capacity', 'A valid integer is required.')).toBe('Enter a whole number.');
    expect(humanFieldMessage('name', 'Ensure this field has no more than 200 characters.')).toBe('Use at most 200 characters.');
    expect(humanFieldMessage('rows', 'rows × cols must be at most 100000.')).toBe('Rows × seats per row must be at most 100000.');
    expect(humanFieldMessage('venue', 'Something new.')).toBe('Something new.');
  });
});

describe('formErrors', () => {
  const words = { name: { what: 'your name' }, email: { what: 'your email address' }, password: { what: 'a password' } };

  it('puts each message under its field and adds no summary repeating them', () => {
    const e = apiErrorFrom(422, {
      detail: 'name: This field may not be blank. (and 2 more)',
      errors: { name: ['This field may not be blank.'], email: ['This field may not be blank.'], password: ['This field may not be blank.'] },
    });
    expect(formErrors(e, words)).toEqual({
      fields: { name: ['Enter your name.'], email: ['Enter your email address.'], password: ['Enter a password.'] },
      summary: [],
    });
  });

  it('summarises only what belongs to no field of the form', () => {
    const e = new ApiError(422, 'Invalid', { name: ['This field may not be blank.'], non_field_errors: ['end_time must be after start_time.'] });
    expect(formErrors(e, words)).toEqual({ fields: { name: ['Enter your name.'] }, summary: ['The end must be after the start.'] });
  });

  it('shows a non-422 answer (or no answer) as one summary', () => {
    expect(formErrors(new ApiError(400, 'Email already registered'), words)).toEqual({ fields: {}, summary: ['Email already registered'] });
    expect(formErrors(new ApiError(0, ''), words).summary).toEqual([NETWORK_DETAIL]);
    expect(formErrors(null, words)).toEqual({ fields: {}, summary: [] });
  });
});

describe('mayPassOnRetry', () => {
  it('offers a retry only where another try can answer differently', () => {
    expect(mayPassOnRetry(new ApiError(0, ''))).toBe(true);
    expect(mayPassOnRetry(new ApiError(503, 'Service unavailable, retry'))).toBe(true);
    expect(mayPassOnRetry(new ApiError(429, 'Rate limit exceeded'))).toBe(true);
    expect(mayPassOnRetry(new ApiError(404, 'Event not found'))).toBe(false);
    expect(mayPassOnRetry(new ApiError(403, 'Forbidden'))).toBe(false);
  });
});
