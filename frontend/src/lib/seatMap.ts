/** The seat-map model: seats grouped into rows in natural order, each with a display state. */
import type { Seat } from '../api/types';

export type SeatState = 'free' | 'taken' | 'selected' | 'yours';

export interface SeatCell {
  id: number;
  label: string;
  col: number;
  reserved: boolean;
}

export interface SeatRow {
  label: string;
  seats: SeatCell[];
}

/** Rows run A…Z, then AA, AB…: shorter labels first, then alphabetical. */
export function compareRowLabels(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Split a seat label like "AA-12" into row and number. */
export function parseSeatLabel(label: string): { row: string; col: number } | null {
  const match = /^([A-Za-z]+)-(\d+)$/.exec(label.trim());
  if (!match || !match[1] || !match[2]) return null;
  return { row: match[1].toUpperCase(), col: Number(match[2]) };
}

/** Natural order of seat labels: row B before AA, seat 2 before seat 10. */
export function compareSeatLabels(a: string, b: string): number {
  const pa = parseSeatLabel(a);
  const pb = parseSeatLabel(b);
  if (!pa || !pb) return a.localeCompare(b);
  return compareRowLabels(pa.row, pb.row) || pa.col - pb.col;
}

export function sortSeatLabels(labels: Iterable<string>): string[] {
  return [...labels].sort(compareSeatLabels);
}

/** Group seats into rows in natural order (the API already sends them so; this keeps it true). */
export function groupSeatsIntoRows(seats: readonly Seat[]): SeatRow[] {
  const byRow = new Map<string, SeatCell[]>();
  for (const seat of seats) {
    const cells = byRow.get(seat.row_label) ?? [];
    cells.push({ id: seat.id, label: seat.label, col: seat.col_number, reserved: seat.reserved });
    byRow.set(seat.row_label, cells);
  }
  return [...byRow.entries()]
    .sort(([a], [b]) => compareRowLabels(a, b))
    .map(([label, cells]) => ({ label, seats: cells.sort((x, y) => x.col - y.col) }));
}

/** The column numbers to print above the map: those of the longest row (rows are left-aligned). */
export function columnNumbers(rows: readonly SeatRow[]): number[] {
  let longest: SeatRow | undefined;
  for (const row of rows) if (!longest || row.seats.length > longest.seats.length) longest = row;
  return longest ? longest.seats.map((s) => s.col) : [];
}

/**
 * State of one seat for this person. "yours" = held by one of their confirmed bookings,
 * "taken" = reserved by someone else, "selected" = picked in the current selection.
 */
export function seatState(seat: SeatCell, selected: ReadonlySet<string>, mine: ReadonlySet<string>): SeatState {
  if (seat.reserved) return mine.has(seat.label) ? 'yours' : 'taken';
  return selected.has(seat.label) ? 'selected' : 'free';
}

export const SEAT_STATE_TEXT: Record<SeatState, string> = {
  free: 'free',
  taken: 'taken',
  selected: 'selected',
  yours: 'yours',
};

export function seatAriaLabel(seat: SeatCell, state: SeatState): string {
  return `Seat ${seat.label}, ${SEAT_STATE_TEXT[state]}`;
}

/** Toggle a seat in the selection; taken/yours seats and a full selection are left alone. */
export function toggleSeat(
  selected: ReadonlySet<string>,
  seat: SeatCell,
  max: number,
): { next: ReadonlySet<string>; refused: 'unavailable' | 'limit' | null } {
  if (seat.reserved) return { next: selected, refused: 'unavailable' };
  const next = new Set(selected);
  if (next.has(seat.label)) {
    next.delete(seat.label);
    return { next, refused: null };
  }
  if (next.size >= max) return { next: selected, refused: 'limit' };
  next.add(seat.label);
  return { next, refused: null };
}

export interface SeatCounts {
  free: number;
  taken: number;
  yours: number;
  total: number;
}

export function countSeats(rows: readonly SeatRow[], mine: ReadonlySet<string>): SeatCounts {
  const counts: SeatCounts = { free: 0, taken: 0, yours: 0, total: 0 };
  for (const row of rows) {
    for (const seat of row.seats) {
      counts.total += 1;
      if (!seat.reserved) counts.free += 1;
      else if (mine.has(seat.label)) counts.yours += 1;
      else counts.taken += 1;
    }
  }
  return counts;
}

/**
 * Keyboard movement in the grid: arrows move within/between rows (clamped to the row's
 * length), Home/End go to the row's ends. Returns [rowIndex, seatIndex] or null.
 */
export function moveFocus(
  rows: readonly SeatRow[],
  from: readonly [number, number],
  key: string,
): [number, number] | null {
  const [r, c] = from;
  const row = rows[r];
  if (!row) return null;
  const clampCol = (rowIndex: number, col: number): number => {
    const target = rows[rowIndex];
    return Math.max(0, Math.min(col, (target?.seats.length ?? 1) - 1));
  };
  switch (key) {
    case 'ArrowRight':
      return c < row.seats.length - 1 ? [r, c + 1] : null;
    case 'ArrowLeft':
      return c > 0 ? [r, c - 1] : null;
    case 'ArrowDown':
      return r < rows.length - 1 ? [r + 1, clampCol(r + 1, c)] : null;
    case 'ArrowUp':
      return r > 0 ? [r - 1, clampCol(r - 1, c)] : null;
    case 'Home':
      return [r, 0];
    case 'End':
      return [r, row.seats.length - 1];
    default:
      return null;
  }
}
