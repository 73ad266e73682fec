import { useEffect, useRef, useState, type FormEvent } from 'react';
import { formErrors, type FieldWords } from '../../api/errors';
import type { EventItem } from '../../api/types';
import { Field, focusFirstError, FormErrors } from '../../components/Field';

const WORDS: Record<string, FieldWords> = {
  rows: { what: 'the number of rows' },
  cols: { what: 'the number of seats per row' },
};

interface Props {
  event: EventItem;
  busy: boolean;
  error: unknown;
  onSubmit: (rows: number, cols: number) => void;
  onCancel: () => void;
}

export function GenerateSeatsForm({ event, busy, error, onSubmit, onCancel }: Props) {
  const [rows, setRows] = useState('10');
  const [cols, setCols] = useState(String(Math.max(1, Math.ceil(event.capacity / 10))));
  const total = Number(rows) * Number(cols);
  const { fields, summary } = formErrors(error, WORDS);
  // A refused save: its button was disabled while pending, so focus fell to the page.
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (error) focusFirstError(form.current);
  }, [error]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit(Number(rows), Number(cols));
  };
  return (
    <form className="form" onSubmit={submit} noValidate ref={form}>
      <p>
        Lay out a grid of named seats (rows A, B, … and numbered seats). The event's capacity becomes rows × seats per row.
      </p>
      <div className="form-row">
        <Field label="Rows" type="number" min={1} max={702} value={rows} onChange={(e) => setRows(e.target.value)} errors={fields.rows} />
        <Field label="Seats per row" type="number" min={1} max={500} value={cols} onChange={(e) => setCols(e.target.value)} errors={fields.cols} />
      </div>
      <p aria-live="polite">
        {Number.isFinite(total) && total > 0 ? `${total} seats in all (capacity now ${event.capacity}).` : 'Enter rows and seats per row.'}
      </p>
      <FormErrors messages={summary} />
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Generating…' : 'Generate seats'}
        </button>
      </div>
    </form>
  );
}
