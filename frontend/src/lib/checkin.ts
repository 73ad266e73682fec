/**
 * Door check-in, the pure part: what a scan answered, in one of a few unmistakable outcomes,
 * and what a scanned or typed text means as a ticket code.
 */
import { ApiError, explainError } from '../api/errors';
import type { CheckInResult } from '../api/types';

export type ScanOutcome =
  | { kind: 'admitted'; code: string; seat: string; holder: string }
  | { kind: 'already'; code: string; checkedInAt: string | null }
  | { kind: 'void'; code: string }
  | { kind: 'other-event'; code: string }
  | { kind: 'not-found'; code: string }
  /** Anything else (no answer, 403, 429, …): the scan did not happen; the message says why. */
  | { kind: 'error'; code: string; message: string };

/** The outcome of `POST /admin/events/{id}/checkin` for `code`: its 200 body or its error. */
export function outcomeOf(code: string, answer: { result: CheckInResult } | { error: unknown }): ScanOutcome {
  if ('result' in answer) {
    const { ticket, holder } = answer.result;
    return { kind: 'admitted', code, seat: ticket.seat_label, holder: holder.name };
  }
  const { error } = answer;
  if (error instanceof ApiError) {
    // The event itself is gone (a stale or mistyped `?event=`): the ticket may well be real.
    if (error.status === 404 && /event/i.test(error.detail)) {
      return { kind: 'error', code, message: 'There is no event with this number any more: choose the event at this door again.' };
    }
    if (error.status === 404) return { kind: 'not-found', code };
    // A code the API refuses outright (longer than any ticket code: a scanned link or other QR
    // code) is no ticket either.
    if (error.status === 422 && 'code' in error.fieldErrors) return { kind: 'not-found', code };
    if (error.status === 409) {
      if (/already checked in/i.test(error.detail)) {
        const body = error.body as { checked_in_at?: unknown } | null;
        const at = body && typeof body.checked_in_at === 'string' ? body.checked_in_at : null;
        return { kind: 'already', code, checkedInAt: at };
      }
      if (/void/i.test(error.detail)) return { kind: 'void', code };
      if (/another event/i.test(error.detail)) return { kind: 'other-event', code };
    }
  }
  return { kind: 'error', code, message: explainError(error) };
}

const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** "HH:MM" in the browser's zone (24-hour), or '' for a missing/invalid instant. */
export function formatClock(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : timeOfDay.format(d);
}

/**
 * A ticket code from what was typed, pasted or read from a QR code: trimmed, and when it is
 * a link (…/tickets/<code>/qr.svg or …/<code>), its last meaningful path segment. '' if empty.
 */
export function normalizeCode(raw: string): string {
  const text = raw.trim();
  if (!/^https?:\/\//i.test(text)) return text.replace(/\s+/g, '');
  try {
    const parts = new URL(text).pathname.split('/').filter(Boolean);
    const i = parts.indexOf('tickets');
    const after = i >= 0 ? parts[i + 1] : undefined;
    if (after) return decodeURIComponent(after);
    return decodeURIComponent(parts[parts.length - 1] ?? '');
  } catch {
    return text;
  }
}

/** The big headline and colour of an outcome (colour is never the only signal: the words differ). */
export function outcomeHeadline(outcome: ScanOutcome): { title: string; tone: 'ok' | 'warn' | 'bad' } {
  switch (outcome.kind) {
    case 'admitted':
      return { title: 'ADMITTED', tone: 'ok' };
    case 'already': {
      const at = formatClock(outcome.checkedInAt);
      return { title: at ? `ALREADY CHECKED IN at ${at}` : 'ALREADY CHECKED IN', tone: 'warn' };
    }
    case 'void':
      return { title: 'VOID', tone: 'bad' };
    case 'other-event':
      return { title: 'OTHER EVENT', tone: 'bad' };
    case 'not-found':
      return { title: 'NOT FOUND', tone: 'bad' };
    case 'error':
      return { title: 'NOT CHECKED', tone: 'bad' };
  }
}

/**
 * A camera sees the same QR code many times a second: let a code through once, then not
 * again until `quietMs` have passed without it being let through.
 */
export class RepeatFilter {
  private last: { code: string; at: number } | null = null;
  constructor(private readonly quietMs = 3000) {}

  accept(code: string, now: number): boolean {
    if (this.last && this.last.code === code && now - this.last.at < this.quietMs) return false;
    this.last = { code, at: now };
    return true;
  }
}
