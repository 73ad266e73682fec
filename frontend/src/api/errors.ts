/** Errors from the API, mapped from the contract's `{"detail", "errors"?}` bodies. */
import type { ValidationErrorBody } from './types';

/** A 422's `errors`: messages per field (the body may have none: then `{}`). */
export type FieldErrors = NonNullable<ValidationErrorBody['errors']>;

/** status 0 means the request never got an HTTP answer (network down, CORS, aborted). */
export class ApiError extends Error {
  readonly status: number;
  readonly detail: string;
  readonly fieldErrors: FieldErrors;
  readonly retryAfter: number | null;
  /** The whole parsed JSON body (null when none), for answers with more than `detail` (e.g. `checked_in_at`). */
  readonly body: unknown;

  constructor(status: number, detail: string, fieldErrors: FieldErrors = {}, retryAfter: number | null = null, body: unknown = null) {
    super(detail);
    this.body = body;
    this.name = 'ApiError';
    this.status = status;
    this.detail = detail;
    this.fieldErrors = fieldErrors;
    this.retryAfter = retryAfter;
  }

  get isNetworkError(): boolean {
    return this.status === 0;
  }
}

export const NETWORK_DETAIL = 'Could not reach the server. Check your connection and try again.';

function statusFallback(status: number): string {
  if (status === 401) return 'Please log in again.';
  if (status === 403) return 'You are not allowed to do that.';
  if (status === 404) return 'Not found.';
  if (status === 429) return 'Too many requests. Please wait a moment and try again.';
  if (status >= 500) return 'The server had a problem. Please try again in a moment.';
  return `Request failed (HTTP ${status}).`;
}

function normalizeFieldErrors(raw: unknown): FieldErrors {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
  const out: FieldErrors = {};
  for (const [field, value] of Object.entries(raw as Record<string, unknown>)) {
    if (Array.isArray(value)) out[field] = value.map((v) => String(v));
    else if (value !== null && value !== undefined) out[field] = [String(value)];
  }
  return out;
}

function parseRetryAfter(value: string | null): number | null {
  if (!value) return null;
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : null;
}

/** Build an ApiError from a status, a parsed JSON body (or null) and the Retry-After header. */
export function apiErrorFrom(status: number, body: unknown, retryAfterHeader: string | null = null): ApiError {
  let detail = '';
  let fieldErrors: FieldErrors = {};
  if (body && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    if (typeof record.detail === 'string') detail = record.detail;
    else if (Array.isArray(record.detail)) detail = record.detail.map(String).join(' ');
    fieldErrors = normalizeFieldErrors(record.errors);
  }
  return new ApiError(status, detail || statusFallback(status), fieldErrors, parseRetryAfter(retryAfterHeader), body ?? null);
}

/**
 * Whether asking again could give another answer: no answer at all, a timeout, a rate limit
 * or a server error. A 404, 403 or 409 answers the same way every time, so no "Try again".
 */
export function mayPassOnRetry(error: unknown): boolean {
  if (!(error instanceof ApiError)) return true;
  return error.status === 0 || error.status === 408 || error.status === 429 || error.status >= 500;
}

const CAPACITY_BELOW_BOOKED = /capacity\s+(\d+)\s*<\s*booked_count\s+(\d+)/i;

/**
 * The contract's `detail` in plain words: known messages get a friendlier sentence,
 * anything else is shown as the server wrote it.
 */
export function explainError(error: unknown): string {
  if (!(error instanceof ApiError)) {
    return error instanceof Error && error.message ? error.message : 'Something went wrong.';
  }
  if (error.isNetworkError) return NETWORK_DETAIL;
  const { status, detail } = error;
  const capacity = CAPACITY_BELOW_BOOKED.exec(detail);
  if (status === 409 && capacity) {
    return `The capacity can't be ${capacity[1]}: ${capacity[2]} seats are already booked. Choose at least ${capacity[2]}.`;
  }
  if (status === 409 && /has (any )?bookings?/i.test(detail)) {
    return "This event already has bookings, so it can't be deleted. Deactivate it instead: it disappears from sale and its bookings are kept.";
  }
  if (status === 409 && /last admin/i.test(detail)) {
    return "You can't remove the last admin. Make someone else an admin first.";
  }
  if (status === 429) {
    const wait = error.retryAfter !== null ? ` Try again in ${error.retryAfter} seconds.` : ' Try again shortly.';
    return `${detail.replace(/\.?$/, '.')}${wait}`;
  }
  return detail;
}

/** What a form calls each field the API may name in `errors`: used to word its messages. */
export interface FieldWords {
  /** "your name", "the venue": the thing to enter, lower case. */
  what: string;
  /** "Enter your name." when the field is missing; defaults to `Enter ${what}.` */
  missing?: string;
}

const MISSING = /may not be (blank|null|empty)|this field is required|must not be empty|invisible characters/i;
const AT_LEAST_CHARS = /(at least|minimum of)\s+(\d+)\s+characters?/i;
const AT_MOST_CHARS = /(no more than|at most)\s+(\d+)\s+characters?/i;
const AT_LEAST_VALUE = /greater than or equal to\s+(-?\d+)/i;
const AT_MOST_VALUE = /less than or equal to\s+(-?\d+)/i;

/**
 * One 422 message about one field, in the words a person understands:
 * "This field may not be blank." on `name` → "Enter your name."; DRF's "Datetime has wrong
 * format. Use one of these formats instead: …" → "Enter a date and time."; "end_time must be
 * after start_time." → "The end must be after the start." Unknown messages are kept, minus
 * any `field:` prefix and with the API's field names replaced by the form's words.
 */
export function humanFieldMessage(field: string, message: string, words?: FieldWords): string {
  const what = words?.what ?? 'a value';
  const text = message.replace(new RegExp(`^${field}:\\s*`), '').trim();
  if (MISSING.test(text)) return words?.missing ?? `Enter ${what}.`;
  if (/valid email/i.test(text)) return 'Enter a valid email address, like name@example.com.';
  // A datetime-local input gives either nothing or a valid value: a wrong format means nothing.
  if (/datetime has wrong format|date has wrong format|valid date/i.test(text)) return words?.missing ?? 'Enter a date and time.';
  if (/end_time.*after.*start_time|end.*must be after.*start/i.test(text)) return 'The end must be after the start.';
  if (/unknown time zone/i.test(text)) return 'Pick a time zone from the list, like Europe/Berlin.';
  if (/valid integer|valid number/i.test(text)) return 'Enter a whole number.';
  let m = AT_LEAST_CHARS.exec(text);
  if (m) return field === 'password' ? `Use at least ${m[2]} characters for your password.` : `Use at least ${m[2]} characters.`;
  m = AT_MOST_CHARS.exec(text);
  if (m) return `Use at most ${m[2]} characters.`;
  m = AT_LEAST_VALUE.exec(text);
  if (m) return `Enter ${m[1]} or more.`;
  m = AT_MOST_VALUE.exec(text);
  if (m) return `Enter ${m[1]} or less.`;
  if (/rows\s*[×x*]\s*cols must be at most (\d+)/i.test(text)) {
    const max = /at most (\d+)/i.exec(text)?.[1];
    return `Rows × seats per row must be at most ${max}.`;
  }
  return text;
}

/**
 * A failed form submit, split for display: each field's messages in people's words (for
 * the fields the form shows), and a summary only for what belongs to no shown field (a
 * 409, a network error, or a 422 about a field the form doesn't have). Never both a
 * field's message and a summary repeating it.
 */
export function formErrors(error: unknown, words: Readonly<Record<string, FieldWords>>): { fields: FieldErrors; summary: string[] } {
  if (error === null || error === undefined) return { fields: {}, summary: [] };
  if (!(error instanceof ApiError)) return { fields: {}, summary: [explainError(error)] };
  const fields: FieldErrors = {};
  const summary: string[] = [];
  for (const [field, messages] of Object.entries(error.fieldErrors)) {
    const known = words[field];
    const human = messages.map((m) => humanFieldMessage(field, m, known));
    if (known) fields[field] = human;
    else summary.push(...human);
  }
  if (Object.keys(error.fieldErrors).length === 0) summary.push(explainError(error));
  return { fields, summary: [...new Set(summary)] };
}
