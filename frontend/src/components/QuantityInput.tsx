import { MAX_TICKETS_PER_BOOKING } from '../config';

export function QuantityInput({ id, value, onChange, label = 'Tickets' }: { id: string; value: number; onChange: (n: number) => void; label?: string }) {
  return (
    <div className="field field-inline">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        min={1}
        max={MAX_TICKETS_PER_BOOKING}
        value={value}
        onChange={(e) => {
          const n = Math.round(Number(e.target.value));
          onChange(Number.isFinite(n) ? Math.max(1, Math.min(MAX_TICKETS_PER_BOOKING, n)) : 1);
        }}
      />
    </div>
  );
}
