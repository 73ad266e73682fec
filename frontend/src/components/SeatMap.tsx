import { memo, useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { columnNumbers, moveFocus, parseSeatLabel, seatAriaLabel, seatState, type SeatCell, type SeatRow, type SeatState } from '../lib/seatMap';

const GLYPH: Record<SeatState, string> = { free: '', taken: '✕', selected: '✓', yours: '★' };

interface RowProps {
  row: SeatRow;
  rowIndex: number;
  selected: ReadonlySet<string>;
  mine: ReadonlySet<string>;
  /** Changes when this row's selection changes (the sets themselves are not compared). */
  selectedKey: string;
  mineKey: string;
  activeCol: number;
}

function SeatRowViewImpl({ row, rowIndex, selected, mine, activeCol }: RowProps) {
  return (
    <div className="seat-row" role="group" aria-label={`Row ${row.label}`}>
      <span className="seat-row-label" aria-hidden="true">
        {row.label}
      </span>
      {row.seats.map((seat, c) => {
        const state = seatState(seat, selected, mine);
        const unavailable = state === 'taken' || state === 'yours';
        return (
          <button
            key={seat.id}
            type="button"
            className={`seat seat-${state}`}
            data-r={rowIndex}
            data-c={c}
            tabIndex={c === activeCol ? 0 : -1}
            aria-pressed={state === 'selected'}
            aria-disabled={unavailable || undefined}
            aria-label={seatAriaLabel(seat, state)}
            title={seat.label}
          >
            <span aria-hidden="true">{GLYPH[state]}</span>
          </button>
        );
      })}
    </div>
  );
}

const SeatRowView = memo(
  SeatRowViewImpl,
  (a, b) =>
    a.row === b.row &&
    a.rowIndex === b.rowIndex &&
    a.selectedKey === b.selectedKey &&
    a.mineKey === b.mineKey &&
    a.activeCol === b.activeCol,
);

function keysByRow(labels: ReadonlySet<string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const label of labels) {
    const row = parseSeatLabel(label)?.row ?? '';
    out.set(row, `${out.get(row) ?? ''}|${label}`);
  }
  return out;
}

function firstFree(rows: readonly SeatRow[]): [number, number] {
  for (let r = 0; r < rows.length; r += 1) {
    const c = rows[r]?.seats.findIndex((s) => !s.reserved) ?? -1;
    if (c >= 0) return [r, c];
  }
  return [0, 0];
}

interface SeatMapProps {
  rows: readonly SeatRow[];
  selected: ReadonlySet<string>;
  mine: ReadonlySet<string>;
  onToggle: (seat: SeatCell) => void;
}

/**
 * The seat map: plain buttons in memoized rows (fast with thousands of seats), one tab stop
 * for the whole grid (roving tabindex) and arrow keys / Home / End to move inside it.
 */
export function SeatMap({ rows, selected, mine, onToggle }: SeatMapProps) {
  const [active, setActive] = useState<[number, number]>(() => firstFree(rows));
  const gridRef = useRef<HTMLDivElement>(null);
  const focusAfterMove = useRef(false);

  const selectedKeys = useMemo(() => keysByRow(selected), [selected]);
  const columns = useMemo(() => columnNumbers(rows), [rows]);
  const mineKeys = useMemo(() => keysByRow(mine), [mine]);

  // Keep the roving position inside the grid when the seat map changes shape.
  const [ar, ac] = active;
  const activeRow = Math.min(ar, Math.max(0, rows.length - 1));
  const activeCol = Math.min(ac, Math.max(0, (rows[activeRow]?.seats.length ?? 1) - 1));

  useEffect(() => {
    if (!focusAfterMove.current) return;
    focusAfterMove.current = false;
    gridRef.current?.querySelector<HTMLButtonElement>(`[data-r="${activeRow}"][data-c="${activeCol}"]`)?.focus();
  }, [activeRow, activeCol]);

  const seatAt = useCallback((target: EventTarget): [number, number, SeatCell] | null => {
    const el = (target as HTMLElement).closest<HTMLElement>('button[data-r]');
    if (!el) return null;
    const r = Number(el.dataset.r);
    const c = Number(el.dataset.c);
    const seat = rows[r]?.seats[c];
    return seat ? [r, c, seat] : null;
  }, [rows]);

  const onClick = (e: MouseEvent<HTMLDivElement>) => {
    const hit = seatAt(e.target);
    if (!hit) return;
    setActive([hit[0], hit[1]]);
    onToggle(hit[2]);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const hit = seatAt(e.target);
    if (!hit) return;
    const next = moveFocus(rows, [hit[0], hit[1]], e.key);
    if (!next) return;
    e.preventDefault();
    focusAfterMove.current = true;
    setActive(next);
  };

  return (
    <div className="seat-map-scroll">
      <div ref={gridRef} className="seat-map" role="group" aria-label="Seat map" onClick={onClick} onKeyDown={onKeyDown}>
        <div className="seat-grid">
          {/* Sticky and as wide as the view: centred over the seats you can see. */}
          <div className="stage" aria-hidden="true">
            Stage
          </div>
          {/* Seat numbers (the seats' own labels say them to screen readers). */}
          <div className="seat-row seat-cols" aria-hidden="true">
            <span className="seat-row-label" />
            {columns.map((n) => (
              <span key={n} className="seat-col-number">
                {n}
              </span>
            ))}
          </div>
          {rows.map((row, r) => (
            <SeatRowView
              key={row.label}
              row={row}
              rowIndex={r}
              selected={selected}
              mine={mine}
              selectedKey={selectedKeys.get(row.label) ?? ''}
              mineKey={mineKeys.get(row.label) ?? ''}
              activeCol={r === activeRow ? activeCol : -1}
            />
          ))}
        </div>
      </div>
    </div>
  );
}

export function SeatLegend() {
  const items: Array<[SeatState, string]> = [
    ['free', 'Free'],
    ['selected', 'Selected by you (✓)'],
    ['taken', 'Taken (✕)'],
    ['yours', 'Already yours (★)'],
  ];
  return (
    <ul className="seat-legend" aria-label="Seat legend">
      {items.map(([state, text]) => (
        <li key={state}>
          <span className={`seat seat-${state} seat-sample`} aria-hidden="true">
            {GLYPH[state]}
          </span>
          {text}
        </li>
      ))}
    </ul>
  );
}
