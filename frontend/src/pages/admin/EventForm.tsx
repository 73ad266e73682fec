import { useState, type FormEvent } from 'react';
import { formErrors, type FieldWords } from '../../api/errors';
import type { EventInput, EventItem, EventPatch } from '../../api/types';
import { Field, FormErrors } from '../../components/Field';
import { fromLocalInput, toLocalInput } from '../../lib/format';

const WORDS: Record<string, FieldWords> = {
  name: { what: 'a name' },
  venue: { what: 'the venue' },
  start_time: { what: 'when it starts', missing: 'Enter the date and time it starts.' },
  end_time: { what: 'when it ends', missing: 'Enter the date and time it ends.' },
  capacity: { what: 'the number of seats' },
};

interface Props {
  initial?: EventItem;
  busy: boolean;
  error: unknown;
  submitLabel: string;
  onSubmit: (values: EventInput) => void;
  onCancel: () => void;
}

/** Only the fields that changed, for PATCH. */
export function eventPatch(initial: EventItem, values: EventInput): EventPatch {
  const patch: EventPatch = {};
  if (values.name !== initial.name) patch.name = values.name;
  if (values.venue !== initial.venue) patch.venue = values.venue;
  if (values.start_time !== initial.start_time.replace(/\.\d+Z$/, 'Z')) patch.start_time = values.start_time;
  if (values.end_time !== initial.end_time.replace(/\.\d+Z$/, 'Z')) patch.end_time = values.end_time;
  if (values.capacity !== initial.capacity) patch.capacity = values.capacity;
  return patch;
}

export function EventForm({ initial, busy, error, submitLabel, onSubmit, onCancel }: Props) {
  const [name, setName] = useState(initial?.name ?? '');
  const [venue, setVenue] = useState(initial?.venue ?? '');
  const [start, setStart] = useState(initial ? toLocalInput(initial.start_time) : '');
  const [end, setEnd] = useState(initial ? toLocalInput(initial.end_time) : '');
  const [capacity, setCapacity] = useState(String(initial?.capacity ?? 100));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit({
      name: name.trim(),
      venue: venue.trim(),
      start_time: fromLocalInput(start),
      end_time: fromLocalInput(end),
      capacity: Number(capacity),
    });
  };
  const { fields, summary } = formErrors(error, WORDS);
  return (
    <form className="form" onSubmit={submit} noValidate>
      <Field label="Name" required value={name} onChange={(e) => setName(e.target.value)} errors={fields.name} maxLength={200} />
      <Field label="Venue" required value={venue} onChange={(e) => setVenue(e.target.value)} errors={fields.venue} maxLength={200} />
      <div className="form-row">
        <Field label="Starts" type="datetime-local" required value={start} onChange={(e) => setStart(e.target.value)} errors={fields.start_time} />
        <Field label="Ends" type="datetime-local" required value={end} onChange={(e) => setEnd(e.target.value)} errors={fields.end_time} />
      </div>
      <Field
        label="Capacity"
        type="number"
        inputMode="numeric"
        min={1}
        required
        value={capacity}
        onChange={(e) => setCapacity(e.target.value)}
        errors={fields.capacity}
        hint={initial?.booked_count ? `${initial.booked_count} seats are booked: capacity can't go below that.` : undefined}
      />
      <FormErrors messages={summary} />
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
      </div>
    </form>
  );
}
