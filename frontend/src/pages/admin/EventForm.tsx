import { useEffect, useRef, useState, type FormEvent } from 'react';
import { formErrors, type FieldWords } from '../../api/errors';
import type { EventInput, EventItem, EventPatch } from '../../api/types';
import { Field, focusFirstError, FormErrors } from '../../components/Field';
import { ZoneField } from '../../components/ZoneField';
import { isKnownZone, isSkippedTime, utcToZonedInput, viewerZone, zonedInputToUtc } from '../../lib/zonedTime';

const WORDS: Record<string, FieldWords> = {
  name: { what: 'a name' },
  venue: { what: 'the venue' },
  start_time: { what: 'when it starts', missing: 'Enter the date and time it starts.' },
  end_time: { what: 'when it ends', missing: 'Enter the date and time it ends.' },
  capacity: { what: 'the number of seats' },
  timezone: { what: 'a time zone', missing: 'Pick a time zone from the list, like Europe/Berlin.' },
};

interface Props {
  initial?: EventItem;
  busy: boolean;
  error: unknown;
  submitLabel: string;
  onSubmit: (values: EventInput) => void;
  onCancel: () => void;
}

/**
 * Same instant to the minute: the form shows and sends minutes only, so an event whose times
 * have seconds (set through the API) reads back as the minute before, which is no change.
 */
function sameMinute(a: string, b: string): boolean {
  return Math.floor(Date.parse(a) / 60_000) === Math.floor(Date.parse(b) / 60_000);
}

/** Only the fields that changed, for PATCH. */
export function eventPatch(initial: EventItem, values: EventInput): EventPatch {
  const patch: EventPatch = {};
  if (values.name !== initial.name) patch.name = values.name;
  if (values.venue !== initial.venue) patch.venue = values.venue;
  if (!sameMinute(values.start_time, initial.start_time)) patch.start_time = values.start_time;
  if (!sameMinute(values.end_time, initial.end_time)) patch.end_time = values.end_time;
  if (values.capacity !== initial.capacity) patch.capacity = values.capacity;
  if (values.timezone !== undefined && values.timezone !== initial.timezone) patch.timezone = values.timezone;
  return patch;
}

export function EventForm({ initial, busy, error, submitLabel, onSubmit, onCancel }: Props) {
  const [name, setName] = useState(initial?.name ?? '');
  const [venue, setVenue] = useState(initial?.venue ?? '');
  // Times are typed as the event's clocks show them, in its zone (a new event: the organizer's).
  const [zone, setZone] = useState(initial?.timezone || viewerZone());
  const [start, setStart] = useState(initial ? utcToZonedInput(initial.start_time, initial.timezone) : '');
  const [end, setEnd] = useState(initial ? utcToZonedInput(initial.end_time, initial.timezone) : '');
  const [capacity, setCapacity] = useState(String(initial?.capacity ?? 100));

  // A refused save: its button was disabled while pending, so focus fell to the page.
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (error) focusFirstError(form.current);
  }, [error]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit({
      name: name.trim(),
      venue: venue.trim(),
      start_time: zonedInputToUtc(start, zone),
      end_time: zonedInputToUtc(end, zone),
      capacity: Number(capacity),
      timezone: zone.trim(),
    });
  };
  const { fields, summary } = formErrors(error, WORDS);
  const known = isKnownZone(zone.trim());
  // A time the clocks skip (the night they go forward) is moved on by the gap: say so.
  const skipped = (value: string) =>
    known && isSkippedTime(value, zone) ? `That time doesn't exist in ${zone} (the clocks go forward): it becomes ${utcToZonedInput(zonedInputToUtc(value, zone), zone).slice(11)}.` : undefined;
  return (
    <form className="form" onSubmit={submit} noValidate ref={form}>
      <Field label="Name" required value={name} onChange={(e) => setName(e.target.value)} errors={fields.name} maxLength={200} />
      <Field label="Venue" required value={venue} onChange={(e) => setVenue(e.target.value)} errors={fields.venue} maxLength={200} />
      <ZoneField value={zone} onChange={setZone} errors={fields.timezone} hint="Starts and Ends are in this zone, as the venue's clocks show them." />
      <div className="form-row">
        <Field label="Starts" type="datetime-local" required value={start} onChange={(e) => setStart(e.target.value)} errors={fields.start_time} hint={skipped(start)} />
        <Field label="Ends" type="datetime-local" required value={end} onChange={(e) => setEnd(e.target.value)} errors={fields.end_time} hint={skipped(end)} />
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
