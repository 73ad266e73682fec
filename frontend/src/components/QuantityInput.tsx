import { MAX_TICKETS_PER_BOOKING } from '../config';

/**
 * The ticket count as typed (a string, so "25" stays "25" and is explained rather than
 * silently turned into 10); the parent checks it with lib/quantity.parseQuantity and passes
 * the message as `error`.
 */
export function QuantityInput({
  id,
  value,
  onChange,
  error,
  label = 'Tickets',
}: {
  id: string;
  value: string;
  onChange: (raw: string) => void;
  error: string | null;
  label?: string;
}) {
  const errorId = `${id}-error`;
  return (
    <div className={`field field-inline${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        min={1}
        max={MAX_TICKETS_PER_BOOKING}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {error && (
        <small id={errorId} className="field-error" role="alert">
          {error}
        </small>
      )}
    </div>
  );
}
