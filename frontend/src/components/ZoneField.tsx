import { useId, useMemo } from 'react';
import { allZones } from '../lib/zonedTime';
import { Field } from './Field';

interface Props {
  value: string;
  onChange: (zone: string) => void;
  errors?: string[] | undefined;
  hint?: string;
}

/**
 * The event's time zone: a text box that suggests every IANA zone the browser knows
 * (Intl.supportedValuesOf('timeZone')) as you type ("berl" → Europe/Berlin).
 */
export function ZoneField({ value, onChange, errors, hint }: Props) {
  const listId = `${useId()}-zones`;
  const zones = useMemo(allZones, []);
  return (
    <>
      <Field
        label="Time zone"
        required
        value={value}
        onChange={(e) => onChange(e.target.value)}
        errors={errors}
        hint={hint}
        list={listId}
        autoComplete="off"
        spellCheck={false}
        placeholder="e.g. Europe/Berlin"
      />
      <datalist id={listId}>
        {zones.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
    </>
  );
}
