/**
 * Issues 15/16 in the web app, seen by a visitor in Los Angeles (the browser's zone): every
 * event time in the event's own zone with the zone named and the visitor's time beside it;
 * the admin form takes times in the event's zone; upcoming events by default with badges
 * from `sale_state` only (an ended event offers no booking); the Attendees page with search,
 * counts, check-ins and the CSV export, for admins and door staff. Desktop and phone.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { EventPage, User } from '../../src/api/types.ts';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  NEXT_YEAR,
  adminToken,
  app,
  bookAs,
  call,
  checkA11y,
  createEvent,
  loginInBrowser,
  openBrowser,
  screenshot,
  signupAndLogin,
  tag,
  type ApiEvent,
  type Session,
} from '../support.ts';

const DESKTOP = { width: 1366, height: 850 };
const PHONE = { width: 390, height: 844 };
const DEVICES = [['desktop', DESKTOP], ['phone', PHONE]] as const;

let s: Session;
let admin: string;
let t: string;
let berlin: ApiEvent;
let onSale: ApiEvent;
let soldOut: ApiEvent;
let ended: ApiEvent;
let inactive: ApiEvent;
let party: ApiEvent;
let grace: Awaited<ReturnType<typeof signupAndLogin>>;
let door: Awaited<ReturnType<typeof signupAndLogin>>;
let plain: Awaited<ReturnType<typeof signupAndLogin>>;

async function logout(): Promise<void> {
  await s.page.goto(app('/'));
  await s.page.evaluate(() => localStorage.clear());
}

before(async () => {
  admin = await adminToken();
  t = tag();
  // 19:30 UTC on 10 January = 20:30 in Berlin (CET) = 11:30 in Los Angeles (PST).
  berlin = await call<ApiEvent>('POST', '/admin/events', {
    token: admin,
    body: { name: `Philharmonie ${t}`, venue: `Berlin ${t}`, start_time: `${NEXT_YEAR}-01-10T19:30:00Z`, end_time: `${NEXT_YEAR}-01-10T22:00:00Z`, capacity: 50, timezone: 'Europe/Berlin' },
  });
  onSale = await createEvent(admin, { name: `Open Air ${t}`, venue: `Lot ${t}`, capacity: 10, daysAhead: 3 });
  soldOut = await createEvent(admin, { name: `Tiny Club ${t}`, venue: `Lot ${t}`, capacity: 1, daysAhead: 4 });
  ended = await createEvent(admin, { name: `Last Year's Fair ${t}`, venue: `Lot ${t}`, daysAhead: -2 });
  inactive = await createEvent(admin, { name: `Cancelled Gig ${t}`, venue: `Lot ${t}`, daysAhead: 5 });
  await call('POST', `/admin/events/${inactive.id}/deactivate`, { token: admin });
  const fan = await signupAndLogin('Fan');
  await bookAs(fan.token, soldOut.id, { qty: 1 });

  // Attendees: two bookings on a seat map, one ticket checked in at the door.
  party = await createEvent(admin, { name: `Garden Party ${t}`, venue: `Lot ${t}`, capacity: 20, daysAhead: 6 });
  await call('POST', `/admin/events/${party.id}/seats/generate`, { token: admin, body: { rows: 2, cols: 10 } });
  grace = await signupAndLogin(`Grace Hopper ${t}`);
  const alan = await signupAndLogin(`Alan Turing ${t}`);
  const graceBooking = await bookAs(grace.token, party.id, { qty: 2 });
  await bookAs(alan.token, party.id, { qty: 1 });
  const tickets = await call<Array<{ code: string }>>('GET', `/me/bookings/${graceBooking.id}/tickets`, { token: grace.token });
  await call('POST', `/admin/events/${party.id}/checkin`, { token: admin, body: { code: tickets[0]!.code } });

  // Door staff (role checkin) and a plain user.
  door = await signupAndLogin(`Door ${t}`);
  const doorUser = await call<User>('GET', '/auth/me', { token: door.token });
  await call('PATCH', `/admin/users/${doorUser.id}/role`, { token: admin, body: { role: 'checkin' } });
  plain = await signupAndLogin(`Plain ${t}`);

  s = await openBrowser(DESKTOP, { timezoneId: 'America/Los_Angeles', locale: 'en-US' });
});

after(async () => {
  await s?.close();
});

for (const [device, viewport] of DEVICES) {
  test(`times in the event's zone, named, with the visitor's time beside (${device})`, { timeout: 60_000 }, async () => {
    const { page } = s;
    await page.setViewportSize(viewport);
    await logout();
    await page.goto(app(`/events/${berlin.id}`));
    await page.getByRole('heading', { name: berlin.name }).waitFor();
    const facts = await page.locator('dl.facts').innerText();
    assert.match(facts, new RegExp(`Jan 10, ${NEXT_YEAR}, 20:30 CET \\(11:30 PST your time\\)`));
    assert.match(facts, /23:00 CET \(14:00 PST your time\)/);
    // The card on the home page says the same.
    await page.goto(app(`/?q=${encodeURIComponent(`Philharmonie ${t}`)}`));
    const card = page.getByRole('article').filter({ hasText: berlin.name });
    await card.waitFor();
    assert.match(await card.innerText(), /20:30 CET \(11:30 PST your time\)/);
    await checkA11y(page, `event times (${device})`);
    await screenshot(page, `event-times-${device}`);
    assert.deepEqual(s.problems, [], 'no console errors');
  });
}

test('the admin form takes 19:00 in Berlin from a browser in Los Angeles', { timeout: 90_000 }, async () => {
  const { page } = s;
  await page.setViewportSize(DESKTOP);
  await loginInBrowser(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  const name = `Kammermusik ${t}`;
  await page.goto(app('/admin/events'));
  await page.getByRole('button', { name: '+ New event' }).click();
  const form = page.getByRole('dialog', { name: 'New event' });
  // A new event starts in the organizer's own zone; they pick the venue's.
  assert.equal(await form.getByLabel('Time zone').inputValue(), 'America/Los_Angeles');
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Venue').fill('Kammermusiksaal');
  await form.getByLabel('Time zone').fill('Europe/Berlin');
  await form.getByLabel('Starts').fill(`${NEXT_YEAR}-07-02T19:00`);
  await form.getByLabel('Ends').fill(`${NEXT_YEAR}-07-02T21:30`);
  await checkA11y(page, 'event form with a zone');
  await form.getByRole('button', { name: 'Create event' }).click();
  await page.getByText(`Created ${name}.`).waitFor();

  const created = (await call<EventPage>('GET', `/events?q=${encodeURIComponent(name)}`)).items[0];
  assert.ok(created);
  assert.equal(created.timezone, 'Europe/Berlin');
  assert.equal(created.start_time.replace(/\.\d+Z$/, 'Z'), `${NEXT_YEAR}-07-02T17:00:00Z`);
  assert.equal(created.end_time.replace(/\.\d+Z$/, 'Z'), `${NEXT_YEAR}-07-02T19:30:00Z`);

  // Editing shows the venue's clock again, not Los Angeles'.
  await page.goto(app(`/admin/events?q=${encodeURIComponent(name)}`));
  await page.getByRole('button', { name: `Edit ${name}` }).click();
  const edit = page.getByRole('dialog', { name: `Edit ${name}` });
  assert.equal(await edit.getByLabel('Starts').inputValue(), `${NEXT_YEAR}-07-02T19:00`);
  assert.equal(await edit.getByLabel('Time zone').inputValue(), 'Europe/Berlin');
  // An unknown zone is refused at its field, in plain words.
  await edit.getByLabel('Time zone').fill('Europe/Atlantis');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await edit.getByText('Pick a time zone from the list, like Europe/Berlin.').waitFor();
  assert.doesNotMatch(await edit.innerText(), /unknown time zone/);
  await edit.getByRole('button', { name: 'Cancel' }).click();

  await page.goto(app(`/events/${created.id}`));
  await page.getByRole('heading', { name }).waitFor();
  assert.match(await page.locator('dl.facts').innerText(), /19:00 CEST \(10:00 PDT your time\)/);
  assert.deepEqual(s.problems, [], 'no console errors');
});

for (const [device, viewport] of DEVICES) {
  test(`upcoming by default, one honest badge, no booking for an ended event (${device})`, { timeout: 90_000 }, async () => {
    const { page } = s;
    await page.setViewportSize(viewport);
    await logout();
    const waitForOnly = (names: string[]) =>
      page.waitForFunction(
        (want) => {
          const got = [...document.querySelectorAll('article .card-title')].map((el) => el.textContent ?? '');
          return got.length === want.length && want.every((n) => got.includes(n));
        },
        names,
      );
    const badgeOf = (name: string) => page.getByRole('article').filter({ hasText: name }).locator('.badge').allInnerTexts();

    const answer = page.waitForRequest((r) => r.url().includes('/events?') && r.url().includes('when=upcoming'));
    await page.goto(app(`/?q=${encodeURIComponent(`Lot ${t}`)}`));
    await answer;
    await page.getByRole('heading', { name: 'Upcoming events' }).waitFor();
    // Active and not ended, soonest first; the ended one is not "upcoming".
    await waitForOnly([onSale.name, soldOut.name, party.name]);
    assert.deepEqual(await badgeOf(onSale.name), ['On sale']);
    assert.deepEqual(await badgeOf(soldOut.name), ['Sold out']);
    await checkA11y(page, `upcoming list (${device})`);
    await screenshot(page, `upcoming-${device}`);

    await page.getByLabel('Show').selectOption('past');
    await page.getByRole('heading', { name: 'Past events' }).waitFor();
    await waitForOnly([ended.name]);
    assert.deepEqual(await badgeOf(ended.name), ['Ended']);
    assert.match(page.url(), /when=past/);

    await page.getByRole('article').filter({ hasText: ended.name }).getByRole('link').click();
    // level 1: the event page's own title; the card just clicked has a heading with the same name.
    await page.getByRole('heading', { name: ended.name, level: 1 }).waitFor();
    await page.getByText('This event has ended: tickets are no longer sold.').waitFor();
    assert.deepEqual(await page.locator('.event-head .badge').allInnerTexts(), ['Ended']);
    assert.equal(await page.getByRole('button', { name: /^Book|waitlist/i }).count(), 0);

    await page.goto(app(`/events/${inactive.id}`));
    await page.getByRole('heading', { name: inactive.name }).waitFor();
    assert.deepEqual(await page.locator('.event-head .badge').allInnerTexts(), ['Not on sale']);
    // The booking part comes with the seat map, after the heading: until then there is no
    // button to count, whatever the page would offer.
    await page.getByText('This event is not on sale at the moment.').waitFor();
    assert.equal(await page.getByRole('button', { name: /^Book|waitlist/i }).count(), 0);

    await page.goto(app(`/events/${soldOut.id}`));
    await page.getByRole('heading', { name: soldOut.name }).waitFor();
    assert.deepEqual(await page.locator('.event-head .badge').allInnerTexts(), ['Sold out']);
    assert.deepEqual(s.problems, [], 'no console errors');
  });
}

for (const [device, viewport] of DEVICES) {
  test(`attendees: search, counts, checked in, CSV, for admins and door staff (${device})`, { timeout: 120_000 }, async () => {
    const { page } = s;
    await page.setViewportSize(viewport);
    await logout();
    await loginInBrowser(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.goto(app(`/admin/events?q=${encodeURIComponent(party.name)}`));
    await page.getByRole('link', { name: `Attendees of ${party.name}` }).click();
    await page.getByRole('heading', { name: `Attendees: ${party.name}` }).waitFor();
    const counts = page.locator('dl.attendee-counts');
    await counts.waitFor();
    assert.match(await counts.innerText(), /Bookings\s+2\s+Tickets\s+3\s+Checked in\s+1 of 3/i);
    const rows = page.locator('table.attendees tbody tr');
    assert.equal(await rows.count(), 2);
    const graceRow = rows.filter({ hasText: `Grace Hopper ${t}` });
    assert.match(await graceRow.innerText(), new RegExp(`${grace.email}[\\s\\S]*2[\\s\\S]*A-1, A-2[\\s\\S]*1 of 2`));
    assert.match(await rows.filter({ hasText: `Alan Turing ${t}` }).innerText(), /Not yet/);
    await checkA11y(page, `attendees (${device})`);
    if (device === 'phone') {
      assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 390, 'no wider than the phone');
    }
    await screenshot(page, `attendees-${device}`);

    // Search by email or name.
    await page.getByLabel('Search by name or email').fill(grace.email.toUpperCase());
    await page.getByText(`1 booking match`).waitFor();
    assert.equal(await rows.count(), 1);
    await page.getByLabel('Search by name or email').fill('turing');
    // The previous search also showed one row: wait for this search's own words.
    await page.getByText('1 booking match “turing”.').waitFor();
    assert.equal(await rows.count(), 1);
    assert.match(await rows.first().innerText(), /Alan Turing/);
    await page.getByLabel('Search by name or email').fill('nobody-at-all');
    await page.getByText('0 bookings match').waitFor();
    await page.getByLabel('Search by name or email').fill('');

    // Export CSV: fetched with the token, saved as the file the server names.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    assert.equal(download.suggestedFilename(), `event-${party.id}-attendees.csv`);
    const csv = readFileSync((await download.path())!, 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    assert.equal(lines.length, 3, csv);
    assert.ok(lines.some((l) => l.includes(grace.email)) && csv.includes(`Alan Turing ${t}`), csv);
    await page.getByText(`Saved event-${party.id}-attendees.csv.`).waitFor();

    // Door staff may open it (from the event page); a plain user may not.
    await logout();
    await loginInBrowser(page, door.email, door.password);
    await page.goto(app(`/events/${party.id}`));
    await page.getByRole('link', { name: 'Attendees and check-ins →' }).click();
    await page.getByRole('heading', { name: `Attendees: ${party.name}` }).waitFor();
    await page.locator('table.attendees tbody tr').nth(1).waitFor();
    await checkA11y(page, `attendees as door staff (${device})`);
    await logout();
    await loginInBrowser(page, plain.email, plain.password);
    await page.goto(app(`/admin/events/${party.id}/attendees`));
    await page.getByRole('heading', { name: 'Organizers only' }).waitFor();
    await page.goto(app(`/events/${party.id}`));
    await page.getByRole('heading', { name: party.name }).waitFor();
    // The link depends on who is logged in, read again after the page loads (/auth/me): until
    // the header names the person (hidden on a phone), no role's link is shown.
    await page.getByRole('banner').getByText(`Plain ${t}`).waitFor({ state: 'attached' });
    assert.equal(await page.getByRole('link', { name: /Attendees/ }).count(), 0);
    assert.deepEqual(s.problems, [], 'no console errors');
  });
}
