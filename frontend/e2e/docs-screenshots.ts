/**
 * The README's screenshots, reproducible: seeds a few realistic events through the API on a
 * fresh server (venues in Berlin, New York and a UTC online event; one sold out with a
 * waitlist, one ended, seat maps), books seats as an attendee and takes, at 1366×850:
 *
 *   events-list.png      home page: figures + upcoming events, badges, times with zones
 *   event-seat-map.png   an event page with its seat map and a few seats picked
 *   my-bookings.png      the attendee's bookings with their tickets (QR codes, seats)
 *   admin-dashboard.png  the organizer dashboard
 *
 * Not part of the e2e specs (run.mjs never picks it up; `make test` never runs it). Run it on a
 * throwaway server with `E2E_SCREENSHOTS=1 frontend/e2e/run-e2e.sh` (fresh database, so the
 * figures are only these events), or against a running one with `npm run screenshots`
 * (E2E_BASE_URL, E2E_ADMIN_EMAIL, E2E_ADMIN_PASSWORD as for `npm run e2e`). The PNGs go to
 * frontend/docs-screenshots/ (E2E_DOCS_SCREENSHOT_DIR overrides it).
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { ADMIN_EMAIL, ADMIN_PASSWORD, adminToken, app, bookAs, call, loginInBrowser, openBrowser, signupAndLogin, type ApiEvent, type Session } from './support.ts';

const here = dirname(fileURLToPath(import.meta.url));
const OUT = process.env.E2E_DOCS_SCREENSHOT_DIR ?? join(here, '..', 'docs-screenshots');
const DESKTOP = { width: 1366, height: 850 };

let s: Session;
let admin: string;
let concert: ApiEvent;
let ada: Awaited<ReturnType<typeof signupAndLogin>>;

/** Midnight UTC `days` from today plus `hours` (UTC), as the API's ISO string. */
function utcAt(days: number, hours: number, minutes = 0): string {
  const d = new Date();
  d.setUTCHours(0, 0, 0, 0);
  return new Date(d.getTime() + days * 86_400_000 + (hours * 60 + minutes) * 60_000).toISOString();
}

async function event(body: { name: string; venue: string; start_time: string; end_time: string; capacity: number; timezone: string }, grid?: { rows: number; cols: number }): Promise<ApiEvent> {
  const e = await call<ApiEvent>('POST', '/admin/events', { token: admin, body });
  if (grid) await call('POST', `/admin/events/${e.id}/seats/generate`, { token: admin, body: grid });
  return e;
}

async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  // Let fonts, images (QR codes) and chart animations settle.
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(800);
  await page.screenshot({ path: join(OUT, `${name}.png`) });
}

before(async () => {
  admin = await adminToken();
  // Winter dates: Berlin is UTC+1 (CET), New York UTC−5 (EST).
  concert = await event(
    { name: 'Beethoven 9 — Berliner Symphoniker', venue: 'Philharmonie, Berlin', start_time: utcAt(12, 18, 30), end_time: utcAt(12, 21, 0), capacity: 96, timezone: 'Europe/Berlin' },
    { rows: 6, cols: 16 },
  );
  const jazz = await event(
    { name: 'Late Night Jazz Trio', venue: 'Blue Note, New York', start_time: utcAt(9, 1, 0), end_time: utcAt(9, 3, 30), capacity: 40, timezone: 'America/New_York' },
    { rows: 4, cols: 10 },
  );
  const meetup = await event({ name: 'Rust Remote Meetup', venue: 'Online', start_time: utcAt(5, 17, 0), end_time: utcAt(5, 19, 0), capacity: 200, timezone: 'UTC' });
  const club = await event(
    { name: 'Acoustic Night at the Tiny Club', venue: 'Tiny Club, Berlin', start_time: utcAt(7, 19, 0), end_time: utcAt(7, 22, 0), capacity: 6, timezone: 'Europe/Berlin' },
    { rows: 1, cols: 6 },
  );
  const fair = await event({ name: 'Autumn Design Fair', venue: 'Javits Center, New York', start_time: utcAt(-6, 14, 0), end_time: utcAt(-6, 22, 0), capacity: 300, timezone: 'America/New_York' });
  await event({ name: 'Winter Hackathon', venue: 'Station F, Paris', start_time: utcAt(26, 8, 0), end_time: utcAt(27, 17, 0), capacity: 120, timezone: 'Europe/Paris' });

  // Other people: seats taken on the concert and the jazz night, the Tiny Club sold out.
  const names = ['Grace Hopper', 'Alan Turing', 'Katherine Johnson', 'Linus Torvalds', 'Margaret Hamilton', 'Dennis Ritchie'];
  const others = [];
  for (const n of names) others.push(await signupAndLogin(n));
  const takenOnConcert = [['B-7', 'B-8', 'B-9', 'B-10'], ['C-3', 'C-4'], ['A-6', 'A-7', 'A-8'], ['D-12', 'D-13'], ['E-1', 'E-2', 'E-3'], ['B-1']];
  for (const [i, seats] of takenOnConcert.entries()) await bookAs(others[i]!.token, concert.id, { seat_ids: seats });
  for (const o of others.slice(0, 4)) await bookAs(o.token, jazz.id, { qty: 2 });
  for (const o of others.slice(0, 3)) await bookAs(o.token, club.id, { qty: 2 });
  for (const o of others.slice(3, 5)) await bookAs(o.token, meetup.id, { qty: 1 });
  await bookAs(others[5]!.token, club.id, { qty: 2, waitlist: true });

  // The attendee whose pages are shown: two confirmed bookings and a place on the waitlist.
  ada = await signupAndLogin('Ada Lovelace');
  // (My bookings lists the newest first: the concert's two tickets on top.)
  const waiting = await bookAs(ada.token, club.id, { qty: 1, waitlist: true });
  assert.equal(waiting.status, 'WAITLISTED');
  await bookAs(ada.token, jazz.id, { qty: 1 });
  await bookAs(ada.token, concert.id, { seat_ids: ['C-8', 'C-9'] });
  void fair;

  s = await openBrowser(DESKTOP, { timezoneId: 'Europe/London', locale: 'en-GB' });
});

after(async () => {
  await s?.close();
});

test('README screenshots at 1366×850', { timeout: 180_000 }, async () => {
  const { page } = s;
  await loginInBrowser(page, ada.email, ada.password);

  await page.goto(app('/'));
  await page.getByRole('heading', { name: 'Upcoming events' }).waitFor();
  await page.getByRole('article').filter({ hasText: concert.name }).waitFor();
  await shoot(page, 'events-list');

  await page.goto(app(`/events/${concert.id}`));
  await page.getByRole('heading', { name: concert.name }).waitFor();
  for (const seat of ['D-7', 'D-8', 'D-9']) await page.getByRole('button', { name: `Seat ${seat}, free` }).click();
  await page.getByText('Selected: D-7, D-8, D-9').waitFor();
  await page.getByRole('button', { name: 'Seat C-8, yours' }).waitFor();
  await shoot(page, 'event-seat-map');

  await page.goto(app('/bookings'));
  const first = page.getByRole('img', { name: /QR code of the ticket for seat/ }).first();
  await first.waitFor();
  await page.waitForFunction(() => {
    const imgs = [...document.querySelectorAll('img')].filter((i) => /QR code/.test(i.alt));
    return imgs.length >= 3 && imgs.every((i) => i.complete && i.naturalWidth > 0);
  });
  await shoot(page, 'my-bookings');

  await page.evaluate(() => localStorage.clear());
  await loginInBrowser(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.goto(app('/admin/dashboard'));
  await page.getByRole('heading', { name: 'Top events' }).waitFor();
  await page.locator('.recharts-surface').first().waitFor();
  await shoot(page, 'admin-dashboard');

  assert.deepEqual(s.problems, []);
});
