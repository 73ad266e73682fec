import { describe, expect, it } from 'vitest';
import { formatInZone, isSkippedTime, utcToZonedInput, zoneAbbreviation, zonedInputToUtc, zoneOffsetMinutes } from './zonedTime';

const LA = 'America/Los_Angeles';
const BERLIN = 'Europe/Berlin';

describe('formatInZone', () => {
  it("names the event's zone and adds the viewer's time when the zones differ", () => {
    // 19:30 UTC in January = 20:30 in Berlin (CET) = 11:30 in Los Angeles (PST).
    const t = formatInZone('2031-01-10T19:30:00Z', BERLIN, { viewer: LA, locale: 'en-US' });
    expect(t.text).toMatch(/Jan 10, 2031.*20:30 CET$/);
    expect(t.local).toBe('11:30 PST');
  });

  it('follows summer time on both sides (CEST, PDT)', () => {
    const t = formatInZone('2031-07-10T18:30:00Z', BERLIN, { viewer: LA, locale: 'en-US' });
    expect(t.text).toMatch(/20:30 CEST$/);
    expect(t.local).toBe('11:30 PDT');
  });

  it('gives the day too when it is another day where the viewer is', () => {
    // 08:30 on Jan 11 in Tokyo is still Jan 10 in Los Angeles.
    const t = formatInZone('2031-01-10T23:30:00Z', 'Asia/Tokyo', { viewer: LA, locale: 'en-US' });
    expect(t.text).toMatch(/Jan 11, 2031.*08:30 JST$/);
    expect(t.local).toMatch(/Jan 10.*15:30 PST$/);
  });

  it('shows no "your time" when the viewer has the same offset', () => {
    expect(formatInZone('2031-01-10T19:30:00Z', BERLIN, { viewer: BERLIN, locale: 'en-US' }).local).toBeNull();
    expect(formatInZone('2031-01-10T19:30:00Z', BERLIN, { viewer: 'Europe/Paris', locale: 'en-US' }).local).toBeNull();
    expect(formatInZone('2031-01-10T19:30:00Z', 'UTC', { viewer: 'UTC', locale: 'en-US' }).text).toMatch(/19:30 UTC$/);
  });

  it('falls back to UTC for a missing or unknown zone, and returns bad input as is', () => {
    expect(formatInZone('2031-01-10T19:30:00Z', 'Mars/Olympus', { viewer: 'UTC', locale: 'en-US' }).text).toMatch(/19:30 UTC$/);
    expect(formatInZone('not a date', BERLIN).text).toBe('not a date');
  });
});

describe('zoneAbbreviation', () => {
  it('prefers letters, else the offset', () => {
    const jan = Date.UTC(2031, 0, 10);
    expect(zoneAbbreviation(jan, BERLIN, 'en-US')).toBe('CET');
    expect(zoneAbbreviation(jan, LA, 'en-GB')).toBe('PST');
    expect(zoneAbbreviation(jan, 'America/Sao_Paulo', 'en-US')).toBe('GMT-3');
  });
});

describe('wall clock in a zone ↔ UTC', () => {
  it('converts a Berlin evening in winter and in summer', () => {
    expect(zonedInputToUtc('2031-01-10T19:00', BERLIN)).toBe('2031-01-10T18:00:00Z');
    expect(zonedInputToUtc('2031-07-10T19:00', BERLIN)).toBe('2031-07-10T17:00:00Z');
    expect(zonedInputToUtc('2031-07-10T19:00', LA)).toBe('2031-07-11T02:00:00Z');
    expect(zonedInputToUtc('2031-07-10T19:00', 'UTC')).toBe('2031-07-10T19:00:00Z');
    expect(zonedInputToUtc('', BERLIN)).toBe('');
    expect(zonedInputToUtc('tomorrow', BERLIN)).toBe('');
  });

  it('keeps 19:00 at 19:00 across the spring-forward weekend (Berlin, 30 March 2031)', () => {
    const sat = zonedInputToUtc('2031-03-29T19:00', BERLIN);
    const sun = zonedInputToUtc('2031-03-30T19:00', BERLIN);
    expect(sat).toBe('2031-03-29T18:00:00Z');
    expect(sun).toBe('2031-03-30T17:00:00Z');
    expect(new Date(sun).getTime() - new Date(sat).getTime()).toBe(23 * 3_600_000);
    expect(utcToZonedInput(sun, BERLIN)).toBe('2031-03-30T19:00');
  });

  it('moves a time skipped by the change forward by the gap', () => {
    // 02:30 doesn't exist on 30 March 2031 in Berlin: clocks jump from 02:00 to 03:00.
    expect(zonedInputToUtc('2031-03-30T02:30', BERLIN)).toBe('2031-03-30T01:30:00Z');
    expect(utcToZonedInput('2031-03-30T01:30:00Z', BERLIN)).toBe('2031-03-30T03:30');
    expect(isSkippedTime('2031-03-30T02:30', BERLIN)).toBe(true);
    expect(isSkippedTime('2031-03-30T03:30', BERLIN)).toBe(false);
  });

  it('takes the first of a time that happens twice (clocks go back, 26 October 2031)', () => {
    expect(zonedInputToUtc('2031-10-26T02:30', BERLIN)).toBe('2031-10-26T00:30:00Z');
    expect(zonedInputToUtc('2031-10-26T19:00', BERLIN)).toBe('2031-10-26T18:00:00Z');
    expect(zonedInputToUtc('2031-11-02T01:30', LA)).toBe('2031-11-02T08:30:00Z');
  });

  it('round-trips every hour of a DST week in Los Angeles', () => {
    for (let h = 0; h < 24 * 7; h += 1) {
      const iso = new Date(Date.UTC(2031, 2, 6, h)).toISOString().replace(/\.\d{3}Z$/, 'Z');
      expect(zonedInputToUtc(utcToZonedInput(iso, LA), LA)).toBe(iso);
    }
  });

  it('knows the offsets', () => {
    expect(zoneOffsetMinutes(Date.UTC(2031, 0, 1), BERLIN)).toBe(60);
    expect(zoneOffsetMinutes(Date.UTC(2031, 6, 1), LA)).toBe(-420);
    expect(zoneOffsetMinutes(Date.UTC(2031, 0, 1), 'Asia/Kolkata')).toBe(330);
  });
});
