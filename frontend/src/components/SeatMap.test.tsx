import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Seat } from '../api/types';
import * as model from '../lib/seatMap';
import { groupSeatsIntoRows, toggleSeat, type SeatCell } from '../lib/seatMap';
import { SeatMap } from './SeatMap';

// Count how many seats get (re)computed, to check that rows are memoized.
vi.mock('../lib/seatMap', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../lib/seatMap')>();
  return { ...actual, seatState: vi.fn(actual.seatState) };
});

function rowLabel(i: number): string {
  return i < 26 ? String.fromCharCode(65 + i) : `A${String.fromCharCode(65 + i - 26)}`;
}

function makeSeats(rows: number, cols: number, reserved: (label: string) => boolean = () => false): Seat[] {
  const seats: Seat[] = [];
  for (let r = 0; r < rows; r += 1) {
    for (let c = 1; c <= cols; c += 1) {
      const label = `${rowLabel(r)}-${c}`;
      seats.push({ id: seats.length + 1, event_id: 1, label, row_label: rowLabel(r), col_number: c, reserved: reserved(label) });
    }
  }
  return seats;
}

function Harness({ seats, mine = new Set<string>() }: { seats: Seat[]; mine?: ReadonlySet<string> }) {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [rows] = useState(() => groupSeatsIntoRows(seats));
  const onToggle = (seat: SeatCell) => setSelected((s) => toggleSeat(s, seat, 10).next);
  return <SeatMap rows={rows} selected={selected} mine={mine} onToggle={onToggle} />;
}

afterEach(cleanup);

describe('SeatMap', () => {
  it('renders seats as labelled toggle buttons with states beyond colour', () => {
    render(<Harness seats={makeSeats(2, 5, (l) => l === 'A-2' || l === 'B-1')} mine={new Set(['B-1'])} />);
    const free = screen.getByRole('button', { name: 'Seat A-1, free' });
    expect(free.getAttribute('aria-pressed')).toBe('false');
    expect(screen.getByRole('button', { name: 'Seat A-2, taken' }).getAttribute('aria-disabled')).toBe('true');
    expect(screen.getByRole('button', { name: 'Seat B-1, yours' }).textContent).toBe('★');
    fireEvent.click(free);
    const selected = screen.getByRole('button', { name: 'Seat A-1, selected' });
    expect(selected.getAttribute('aria-pressed')).toBe('true');
    expect(selected.textContent).toBe('✓');
    fireEvent.click(screen.getByRole('button', { name: 'Seat A-2, taken' }));
    expect(screen.getByRole('button', { name: 'Seat A-2, taken' })).toBeTruthy();
  });

  it('has one tab stop and moves with the arrow keys', () => {
    render(<Harness seats={makeSeats(3, 4, (l) => l === 'A-1')} />);
    const tabbable = screen.getAllByRole('button').filter((b) => b.tabIndex === 0);
    expect(tabbable.map((b) => b.getAttribute('aria-label'))).toEqual(['Seat A-2, free']);
    act(() => tabbable[0]!.focus());
    fireEvent.keyDown(tabbable[0]!, { key: 'ArrowDown' });
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Seat B-2, free');
    fireEvent.keyDown(document.activeElement!, { key: 'End' });
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Seat B-4, free');
    expect(screen.getAllByRole('button').filter((b) => b.tabIndex === 0)).toHaveLength(1);
  });

  it('handles 2,000 seats quickly, rows in natural order', () => {
    // Plain DOM queries here: role queries over 2,000 nodes are slow in jsdom itself.
    const { container } = render(<Harness seats={makeSeats(40, 50)} />);
    expect(container.querySelectorAll('button.seat')).toHaveLength(2000);
    const rows = [...container.querySelectorAll('[role="group"][aria-label^="Row "]')].map((g) => g.getAttribute('aria-label'));
    expect(rows.slice(24, 28)).toEqual(['Row Y', 'Row Z', 'Row AA', 'Row AB']);
    const seat = (label: string) => container.querySelector<HTMLButtonElement>(`button[aria-label="${label}"]`);
    const seatState = vi.mocked(model.seatState);
    seatState.mockClear();
    fireEvent.click(seat('Seat AN-50, free')!);
    expect(seat('Seat AN-50, selected')?.getAttribute('aria-pressed')).toBe('true');
    // Memoized rows: a click re-renders the clicked row and the one that had the tab stop,
    // not all 2,000 seats.
    expect(seatState.mock.calls.length).toBeLessThanOrEqual(100);
  });
});
