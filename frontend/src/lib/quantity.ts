/** A typed ticket quantity, checked against the per-booking maximum (never clamped silently). */
export interface ParsedQuantity {
  /** The quantity to book, or null while the text isn't a valid one. */
  qty: number | null;
  /** Why it isn't valid, in plain words (null when it is). */
  error: string | null;
}

export function parseQuantity(raw: string, max: number): ParsedQuantity {
  const text = raw.trim();
  if (text === '') return { qty: null, error: 'Enter how many tickets you want.' };
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) return { qty: null, error: `Enter a whole number from 1 to ${max}.` };
  if (n > max) return { qty: null, error: `At most ${max} tickets per booking.` };
  return { qty: n, error: null };
}
