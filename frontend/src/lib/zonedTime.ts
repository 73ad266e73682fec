/**
 * Times in an event's own zone (IANA name, from the event body's `timezone`), named, plus the
 * viewer's local time when it differs; and the admin form's conversion between a wall-clock
 * time typed in a zone and the UTC instant the API takes. Pure functions over Intl: no
 * library, no data of our own (the browser's ICU knows every zone and its DST rules).
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, f);
  }
  return f;
}

/** The zone the browser runs in ("UTC" when it can't tell). */
export function viewerZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** True when `zone` is an IANA name this browser knows. */
export function isKnownZone(zone: string): boolean {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Every IANA zone the browser knows, "UTC" first. */
export function allZones(): string[] {
  const list = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return ['UTC', ...list.filter((z) => z !== 'UTC')];
}

/** The zone to use for an event body: its `timezone` when known, else UTC. */
export function eventZone(zone: string | undefined | null): string {
  return zone && isKnownZone(zone) ? zone : 'UTC';
}

/** Offset of `zone` from UTC at `instant`, in minutes (Berlin in winter: 60). */
export function zoneOffsetMinutes(instant: number, zone: string): number {
  const parts = formatter('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(instant));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second'));
  const whole = instant - (instant % 1000 + 1000) % 1000;
  return Math.round((asUtc - whole) / 60_000);
}

// English locales whose CLDR data name different zones with letters (CET, PST, AEDT, IST, SAST…);
// ja-JP names Japan's (JST). Only a 2–5 capital-letter answer is taken.
const ABBREVIATION_LOCALES = ['en-US', 'en-GB', 'en-AU', 'en-IN', 'en-NZ', 'en-ZA', 'ja-JP'];

/**
 * The zone's short name at `instant`: letters when some locale has them ("CET", "CEST", "PST",
 * "UTC"), else the offset ("GMT+9" for zones without a common abbreviation).
 */
export function zoneAbbreviation(instant: number, zone: string, locale?: string): string {
  const nameIn = (loc: string | undefined) =>
    formatter(loc, { timeZone: zone, timeZoneName: 'short' })
      .formatToParts(new Date(instant))
      .find((p) => p.type === 'timeZoneName')?.value ?? '';
  let fallback = '';
  for (const loc of [locale, ...ABBREVIATION_LOCALES]) {
    const name = nameIn(loc);
    if (/^[A-Z]{2,5}$/.test(name)) return name;
    if (!fallback && /^GMT/.test(name)) fallback = name;
  }
  return fallback || zone;
}

export interface ZonedTime {
  /** In the event's zone, named: "Fri, May 2, 2031, 20:30 CEST". */
  text: string;
  /** The viewer's local time when its offset differs: "11:30 PDT" (with the day when it differs). */
  local: string | null;
}

const DATE_TIME: Intl.DateTimeFormatOptions = {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
};

function dayKey(instant: number, zone: string): string {
  return formatter('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(instant));
}

/**
 * An ISO instant shown in `zone` with the zone named, and in `viewer` (default: the browser's
 * zone) when that zone's offset at that instant is different. Invalid input is returned as is.
 */
export function formatInZone(iso: string, zone: string, opts: { viewer?: string; locale?: string } = {}): ZonedTime {
  const instant = new Date(iso).getTime();
  if (Number.isNaN(instant)) return { text: iso, local: null };
  const z = eventZone(zone);
  const viewer = opts.viewer ?? viewerZone();
  const text = `${formatter(opts.locale, { ...DATE_TIME, timeZone: z }).format(instant)} ${zoneAbbreviation(instant, z, opts.locale)}`;
  if (zoneOffsetMinutes(instant, viewer) === zoneOffsetMinutes(instant, z)) return { text, local: null };
  const sameDay = dayKey(instant, viewer) === dayKey(instant, z);
  const localOptions: Intl.DateTimeFormatOptions = sameDay
    ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: viewer }
    : { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: viewer };
  const local = `${formatter(opts.locale, localOptions).format(instant)} ${zoneAbbreviation(instant, viewer, opts.locale)}`;
  return { text, local };
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** ISO instant → "YYYY-MM-DDTHH:mm" as a clock in `zone` shows it (for <input type="datetime-local">). */
export function utcToZonedInput(iso: string, zone: string): string {
  const instant = new Date(iso).getTime();
  if (Number.isNaN(instant)) return '';
  const parts = formatter('en-US', {
    timeZone: eventZone(zone),
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(new Date(instant));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return `${String(get('year')).padStart(4, '0')}-${pad(get('month'))}-${pad(get('day'))}T${pad(get('hour') % 24)}:${pad(get('minute'))}`;
}

const WALL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * "YYYY-MM-DDTHH:mm" typed as a wall clock in `zone` → the ISO instant with Z the API takes
 * ('' when empty or malformed). Across DST changes it does what clocks do: a time that occurs
 * twice (clocks go back) is the first of the two; a time that doesn't exist (clocks go forward)
 * moves forward by the gap (02:30 on the spring-forward night in Berlin → 03:30 CEST).
 */
export function zonedInputToUtc(value: string, zone: string): string {
  const m = WALL.exec(value);
  if (!m) return '';
  const [y = 0, mo = 1, d = 1, h = 0, mi = 0, s = 0] = m.slice(1).map((x) => Number(x ?? 0));
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  if (Number.isNaN(wall)) return '';
  const z = eventZone(zone);
  const before = zoneOffsetMinutes(wall - 86_400_000, z);
  const after = zoneOffsetMinutes(wall + 86_400_000, z);
  const valid = [...new Set([before, after])]
    .map((offset) => wall - offset * 60_000)
    .filter((t) => zoneOffsetMinutes(t, z) * 60_000 === wall - t)
    .sort((a, b) => a - b);
  const instant = valid[0] ?? wall - before * 60_000;
  return new Date(instant).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** True when the typed wall-clock time doesn't exist in `zone` (skipped by a DST change). */
export function isSkippedTime(value: string, zone: string): boolean {
  const utc = zonedInputToUtc(value, zone);
  return utc !== '' && utcToZonedInput(utc, zone) !== value.slice(0, 16);
}
