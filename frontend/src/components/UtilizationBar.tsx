import { formatPct } from '../lib/format';

export function UtilizationBar({ pct, label }: { pct: number; label: string }) {
  const clamped = Math.max(0, Math.min(100, pct));
  return (
    <div className="util">
      <div
        className="util-track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(clamped)}
        aria-valuetext={`${formatPct(pct)} booked`}
      >
        <div className={`util-fill${clamped >= 100 ? ' util-full' : ''}`} style={{ width: `${clamped}%` }} />
      </div>
      <span className="util-text">{formatPct(pct)} booked</span>
    </div>
  );
}
