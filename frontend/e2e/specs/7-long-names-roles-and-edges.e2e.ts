/**
 * Edges found after issue 16: 200-character names without a space on a 375 px phone and a
 * 1280 px laptop (no sideways scroll); the printed ticket and the door's event picker in the
 * event's zone, named, seen from Los Angeles; door staff (role `checkin`) on the admin Users
 * page; `?when=past` in the address lists newest first; a page past the last one; a search
 * longer than the API takes; leaving the waitlist says so.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { User } from '../../src/api/types.ts';
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

const PHONE = { width: 375, height: 812 };
const LAPTOP = { width: 1280, height: 900 };

let s: Session;
let admin: string;
let t: string;
let long: ApiEvent;
let berlin: ApiEvent;
let longName: string;
let fan: Awaited<ReturnType<typeof signupAndLogin>>;
let fanBookingId: number;

/** `n` characters without a space or a hyphen: nowhere to break a line. */
function unbroken(prefix: string, n: number): string {
  return (prefix + 'Supercalifragilisticexpialidocious'.repeat(10)).slice(0, n);
}

async function logout(): Promise<void> {
  await s.page.goto(app('/'));
  await s.page.evaluate(() => localStorage.clear());
}

async function assertNoSidewaysScroll(where: string, width: number): Promise<void> {
  const { page } = s;
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => !document.querySelector('.status-loading'));
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  if (scrollWidth <= width) return;
  // Name the innermost elements that stick out, to say what to fix.
  const culprits = await page.evaluate((w) => {
    const wide = [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > w + 1);
    return wide
      .filter((el) => !wide.some((other) => other !== el && el.contains(other)))
      .slice(0, 6)
      .map((el) => `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''} (${Math.round(el.getBoundingClientRect().right)}px)`);
  }, width);
  assert.fail(`${where} is ${scrollWidth}px wide at ${width}px: ${culprits.join(', ')}`);
}

before(async () => {
  admin = await adminToken();
  t = tag();
  longName = unbroken(`Long${t}`, 200);
  long = await call<ApiEvent>('POST', '/admin/events', {
    token: admin,
    body: {
      name: longName,
      venue: unbroken(`Venue${t}`, 200),
      start_time: new Date(Date.now() + 20 * 86_400_000).toISOString(),
      end_time: new Date(Date.now() + 20 * 86_400_000 + 3_600_000).toISOString(),
      capacity: 20,
    },
  });
  await call('POST', `/admin/events/${long.id}/seats/generate`, { token: admin, body: { rows: 2, cols: 10 } });
  fan = await signupAndLogin(unbroken(`Fan${t}`, 150));
  fanBookingId = (await bookAs(fan.token, long.id, { qty: 2 })).id;
  // 19:30 UTC on 10 January = 20:30 in Berlin (CET) = 11:30 in Los Angeles (PST).
  berlin = await call<ApiEvent>('POST', '/admin/events', {
    token: admin,
    body: { name: `Konzerthaus ${t}`, venue: `Berlin ${t}`, start_time: `${NEXT_YEAR}-01-10T19:30:00Z`, end_time: `${NEXT_YEAR}-01-10T22:00:00Z`, capacity: 50, timezone: 'Europe/Berlin' },
  });
  s = await openBrowser(LAPTOP, { timezoneId: 'America/Los_Angeles', locale: 'en-US' });
});

after(async () => {
  await s?.close();
});

for (const [device, viewport] of [['phone', PHONE], ['laptop', LAPTOP]] as const) {
  test(`a 200-character name without a space never makes a page scroll sideways (${device})`, { timeout: 120_000 }, async () => {
    const { page } = s;
    await page.setViewportSize(viewport);
    await logout();
    await page.goto(app(`/?q=Long${t}`));
    await page.getByRole('article').filter({ hasText: longName }).waitFor();
    await assertNoSidewaysScroll('the home page', viewport.width);
    await page.goto(app(`/events/${long.id}`));
    await page.getByRole('heading', { name: longName }).waitFor();
    await assertNoSidewaysScroll('the event page', viewport.width);
    await screenshot(page, `long-name-event-${device}`);

    await loginInBrowser(page, fan.email, fan.password);
    await page.goto(app('/bookings'));
    await page.getByRole('heading', { name: longName }).waitFor();
    await assertNoSidewaysScroll('My bookings', viewport.width);
    await page.goto(app(`/bookings/${fanBookingId}/print`));
    await page.locator('.print-ticket').nth(1).waitFor();
    await assertNoSidewaysScroll('the printable tickets', viewport.width);

    await logout();
    await loginInBrowser(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.goto(app(`/admin/events/${long.id}/attendees`));
    await page.locator('table.attendees tbody tr').first().waitFor();
    await assertNoSidewaysScroll('the attendees page', viewport.width);
    await checkA11y(page, `attendees with a long name (${device})`);
    await screenshot(page, `long-name-attendees-${device}`);
    await page.goto(app(`/admin/events?q=Long${t}`));
    await page.locator('table.admin-events tbody tr').first().waitFor();
    await assertNoSidewaysScroll('the organizer table', viewport.width);
    await page.goto(app(`/door?event=${long.id}`));
    await page.getByLabel('Ticket code').waitFor();
    await assertNoSidewaysScroll('the door', viewport.width);
    assert.deepEqual(s.problems, [], 'no console errors');
  });
}

test('the printed ticket and the door picker give the time in the event’s zone, named', { timeout: 90_000 }, async () => {
  const { page } = s;
  await page.setViewportSize(LAPTOP);
  const holder = await signupAndLogin('Holder');
  const booking = await bookAs(holder.token, berlin.id, { qty: 1 });
  await logout();
  await loginInBrowser(page, holder.email, holder.password);
  await page.goto(app(`/bookings/${booking.id}/print`));
  const facts = page.locator('.print-facts').first();
  await facts.getByText(/20:30 CET/).waitFor();
  const text = await facts.innerText();
  assert.match(text, new RegExp(`Jan 10, ${NEXT_YEAR}, 20:30 CET \\(11:30 PST your time\\)`));
  assert.match(text, /23:00 CET \(14:00 PST your time\)/);
  assert.doesNotMatch(text, /11:30 AM/);

  await logout();
  await loginInBrowser(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.goto(app('/door'));
  await page.getByLabel('Find an event').fill(`Konzerthaus ${t}`);
  const option = page.getByLabel('Event at this door').locator('option', { hasText: `Konzerthaus ${t}` });
  await option.waitFor({ state: 'attached' });
  const label = await option.innerText();
  assert.match(label, new RegExp(`Jan 10, ${NEXT_YEAR}, 20:30 CET`));
  assert.doesNotMatch(label, /11:30 AM/);
  assert.deepEqual(s.problems, [], 'no console errors');
});

test('the Users page shows door staff and makes someone door staff', { timeout: 60_000 }, async () => {
  const { page } = s;
  await page.setViewportSize(LAPTOP);
  const door = await signupAndLogin(`Door ${t}`);
  const doorUser = await call<User>('GET', '/auth/me', { token: door.token });
  await call('PATCH', `/admin/users/${doorUser.id}/role`, { token: admin, body: { role: 'checkin' } });
  const other = await signupAndLogin(`Usher ${t}`);
  const otherUser = await call<User>('GET', '/auth/me', { token: other.token });

  await logout();
  await loginInBrowser(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.goto(app('/admin/users'));
  const roleOf = (u: User) => page.getByLabel(`Role of ${u.name}`);
  await roleOf(doorUser).waitFor();
  assert.equal(await roleOf(doorUser).inputValue(), 'checkin');
  assert.equal(await roleOf(doorUser).locator('option:checked').innerText(), 'Door staff');

  // The filter lists door staff only.
  await page.getByLabel('Role', { exact: true }).selectOption('checkin');
  await page.waitForFunction((name) => {
    const rows = [...document.querySelectorAll('table tbody tr')];
    return rows.length > 0 && rows.some((r) => r.textContent?.includes(name)) && rows.every((r) => (r.querySelector('select') as HTMLSelectElement | null)?.value === 'checkin');
  }, doorUser.name);

  // Someone made door staff from the page gets the role `checkin`.
  await page.getByLabel('Role', { exact: true }).selectOption('');
  await roleOf(otherUser).selectOption('checkin');
  await page.getByText(`${otherUser.name} is now door staff.`).waitFor();
  const after = await call<User[]>('GET', '/admin/users?role=checkin', { token: admin });
  assert.ok(after.some((u) => u.id === otherUser.id && u.role === 'checkin'));
  await checkA11y(page, 'users with door staff');
  assert.deepEqual(s.problems, [], 'no console errors');
});

test('?when=past lists newest first; a page past the last says so; a long search is cut at 1000', { timeout: 90_000 }, async () => {
  const { page } = s;
  await page.setViewportSize(LAPTOP);
  await logout();
  const older = await createEvent(admin, { name: `Older Fair ${t}`, venue: `Past ${t}`, daysAhead: -9 });
  const newer = await createEvent(admin, { name: `Newer Fair ${t}`, venue: `Past ${t}`, daysAhead: -3 });

  const asked = page.waitForRequest((r) => r.url().includes('/events?') && r.url().includes('when=past'));
  await page.goto(app(`/?when=past&q=${encodeURIComponent(`Past ${t}`)}`));
  assert.match((await asked).url(), /order=desc/);
  await page.getByRole('heading', { name: 'Past events' }).waitFor();
  assert.equal(await page.getByLabel('Order').inputValue(), 'desc');
  await page.waitForFunction(() => document.querySelectorAll('article .card-title').length === 2);
  assert.deepEqual(await page.locator('article .card-title').allInnerTexts(), [newer.name, older.name]);
  // Oldest first is still a choice, and it stays in the address.
  await page.getByLabel('Order').selectOption('asc');
  await page.waitForFunction((first) => document.querySelector('article .card-title')?.textContent === first, older.name);
  assert.match(page.url(), /order=asc/);

  // A page past the last one: said plainly, with the way back.
  await page.goto(app(`/?page=999&q=${encodeURIComponent(longName)}`));
  await page.getByText('There is no page 999.').waitFor();
  assert.equal(await page.getByText('No events match these filters.').count(), 0);
  assert.equal(await page.getByText(/Page 999 of/).count(), 0);
  await checkA11y(page, 'page past the last');
  await page.getByRole('button', { name: 'Go to the last page (1)' }).click();
  await page.getByRole('article').filter({ hasText: longName }).waitFor();
  assert.doesNotMatch(page.url(), /page=999/);

  // A search longer than the API's 1000 characters is cut at 1000, not refused in DRF's words.
  const search = page.getByLabel('Search');
  assert.equal(await search.getAttribute('maxlength'), '1000');
  await search.fill('x'.repeat(1200));
  assert.ok((await search.inputValue()).length <= 1000);
  await page.getByText('No events match these filters.').waitFor();
  assert.doesNotMatch(await page.locator('main').innerText(), /Ensure this value|at most 1000/);
  assert.deepEqual(s.problems, [], 'no console errors');
});

test('leaving the waitlist says you leave it, not that your seats go to someone', { timeout: 60_000 }, async () => {
  const { page } = s;
  await page.setViewportSize(PHONE);
  const full = await createEvent(admin, { name: `Full House ${t}`, capacity: 1, daysAhead: 8 });
  await bookAs(fan.token, full.id, { qty: 1 });
  const waiting = await signupAndLogin('Waiting');
  const mine = await bookAs(waiting.token, full.id, { qty: 1, waitlist: true });
  assert.equal(mine.status, 'WAITLISTED');

  await logout();
  await loginInBrowser(page, waiting.email, waiting.password);
  await page.goto(app('/bookings'));
  await page.getByRole('button', { name: `Leave the waitlist for ${full.name}` }).click();
  const dialog = page.getByRole('dialog', { name: 'Leave the waitlist?' });
  await dialog.waitFor();
  const words = await dialog.innerText();
  assert.match(words, /You leave the waitlist/);
  assert.doesNotMatch(words, /Your seats go to/);
  await dialog.getByRole('button', { name: 'Keep it' }).click();
  assert.deepEqual(s.problems, [], 'no console errors');
});
