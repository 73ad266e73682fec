/** Errors from the API, mapped from the contract's `{"detail", "errors"?}` bodies. */
import type { ValidationErrorBody } from './types';

/** A 422's `errors`: messages per field. */
export type FieldErrors = ValidationErrorBody['errors'];

/** status 0 means the request never got an HTTP answer (network down, CORS, aborted). */
export class ApiError extends Error {
  readonly status: number;
  readonly detail: string;
  readonly fieldErrors: FieldErrors;
  readonly retryAfter: number | null;

  constructor(status: number, detail: string, fieldErrors: FieldErrors = {}, retryAfter: number | null = null) {
    super(detail);
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
  return new ApiError(status, detail || statusFallback(status), fieldErrors, parseRetryAfter(retryAfterHeader));
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

/** Field errors for a form, plus a summary of any that don't belong to a known field. */
export function splitFieldErrors(error: unknown, knownFields: readonly string[]): { fields: FieldErrors; other: string[] } {
  if (!(error instanceof ApiError)) return { fields: {}, other: [] };
  const fields: FieldErrors = {};
  const other: string[] = [];
  for (const [field, messages] of Object.entries(error.fieldErrors)) {
    if (knownFields.includes(field)) fields[field] = messages;
    else other.push(...messages.map((m) => (field === 'non_field_errors' || field === '__all__' ? m : `${field}: ${m}`)));
  }
  return { fields, other };
}
