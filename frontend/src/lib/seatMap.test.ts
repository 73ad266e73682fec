import { describe, expect, it } from 'vitest';
import type { Seat } from '../api/types';
import {
  columnNumbers,
  compareSeatLabels,
  countSeats,
  groupSeatsIntoRows,
  moveFocus,
  seatAriaLabel,
  seatState,
  sortSeatLabels,
  toggleSeat,
} from './seatMap';

function seat(label: string, reserved = false, id = 0): Seat {
  const [row = '', col = '0'] = label.split('-');
  return { id: id || label.length * 1000 + Number(col) + row.charCodeAt(0) * 10, event_id: 1, label, row_label: row, col_number: Number(col), reserved };
}

describe('natural order', () => {
  it('puts row B before AA and seat 2 before seat 10', () => {
    expect(sortSeatLabels(['AA-1', 'B-10', 'B-2', 'A-1', 'Z-3'])).toEqual(['A-1', 'B-2', 'B-10', 'Z-3', 'AA-1']);
    expect(compareSeatLabels('A-9', 'A-10')).toBeLessThan(0);
  });
});

describe('groupSeatsIntoRows', () => {
  it('groups by row in natural order, seats by number', () => {
    const rows = groupSeatsIntoRows([seat('AA-2'), seat('B-10'), seat('A-2'), seat('B-2'), seat('A-1'), seat('AA-1')]);
    expect(rows.map((r) => r.label)).toEqual(['A', 'B', 'AA']);
    expect(rows[1]?.seats.map((s) => s.label)).toEqual(['B-2', 'B-10']);
  });

  it('keeps the API order when it is already natural, and handles no seats', () => {
    expect(groupSeatsIntoRows([])).toEqual([]);
    const seats = Array.from({ length: 2000 }, (_, i) => seat(`${String.fromCharCode(65 + Math.floor(i / 100))}-${(i % 100) + 1}`, false, i + 1));
    const rows = groupSeatsIntoRows(seats);
    expect(rows).toHaveLength(20);
    expect(rows.flatMap((r) => r.seats.map((s) => s.id))).toEqual(seats.map((s) => s.id));
  });
});

describe('seat states', () => {
  const [row] = groupSeatsIntoRows([seat('A-1'), seat('A-2', true), seat('A-3', true), seat('A-4')]);
  const cells = row!.seats;
  const selected = new Set(['A-4']);
  const mine = new Set(['A-3']);

  it('tells free, taken, selected and yours apart', () => {
    expect(cells.map((c) => seatState(c, selected, mine))).toEqual(['free', 'taken', 'yours', 'selected']);
  });

  it('labels seats for screen readers', () => {
    expect(seatAriaLabel(cells[0]!, 'free')).toBe('Seat A-1, free');
    expect(seatAriaLabel(cells[1]!, 'taken')).toBe('Seat A-2, taken');
  });

  it('counts seats', () => {
    expect(countSeats([row!], mine)).toEqual({ free: 2, taken: 1, yours: 1, total: 4 });
  });

  it('toggles free seats, refuses taken ones and a full selection', () => {
    const picked = toggleSeat(new Set(), cells[0]!, 2);
    expect([...picked.next]).toEqual(['A-1']);
    expect(toggleSeat(picked.next, cells[0]!, 2).next.size).toBe(0);
    expect(toggleSeat(new Set(), cells[1]!, 2).refused).toBe('unavailable');
    const full = new Set(['A-1', 'X-1']);
    expect(toggleSeat(full, cells[3]!, 2)).toEqual({ next: full, refused: 'limit' });
  });
});

describe('moveFocus', () => {
  const rows = groupSeatsIntoRows([seat('A-1'), seat('A-2'), seat('A-3'), seat('B-1'), seat('B-2')]);
  it('moves with arrows and clamps to shorter rows', () => {
    expect(moveFocus(rows, [0, 0], 'ArrowRight')).toEqual([0, 1]);
    expect(moveFocus(rows, [0, 2], 'ArrowRight')).toBeNull();
    expect(moveFocus(rows, [0, 2], 'ArrowDown')).toEqual([1, 1]);
    expect(moveFocus(rows, [1, 0], 'ArrowUp')).toEqual([0, 0]);
    expect(moveFocus(rows, [0, 1], 'End')).toEqual([0, 2]);
    expect(moveFocus(rows, [0, 1], 'Home')).toEqual([0, 0]);
    expect(moveFocus(rows, [0, 0], 'x')).toBeNull();
  });
});

describe('columnNumbers', () => {
  it('numbers the columns of the longest row (a shrunk map has shorter last rows)', () => {
    const rows = groupSeatsIntoRows([seat('A-1'), seat('A-2'), seat('A-3'), seat('B-1'), seat('B-2')]);
    expect(columnNumbers(rows)).toEqual([1, 2, 3]);
    expect(columnNumbers([])).toEqual([]);
  });
});
