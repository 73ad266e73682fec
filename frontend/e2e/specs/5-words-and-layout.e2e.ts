/**
 * Issue 16, first round: errors in plain words (once), the home page's figures and upcoming
 * events, the organizer table on a laptop, the actions that can only fail, and no page wider
 * than a 390 px phone, for every route and role.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { HomepageStats } from '../../src/api/types.ts';
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
  searchEvents,
  signupAndLogin,
  tag,
  type ApiEvent,
  type Session,
} from '../support.ts';

const DESKTOP = { width: 1366, height: 850 };
const PHONE = { width: 390, height: 844 };

let s: Session;
let admin: string;
let t: string;
let withMap: ApiEvent;
let noMap: ApiEvent;
let booked: ApiEvent;

before(async () => {
  admin = await adminToken();
  t = tag();
  withMap = await createEvent(admin, { name: `Harbour Lights ${t}`, venue: `Quay ${t}`, capacity: 600, daysAhead: 3 });
  await call('POST', `/admin/events/${withMap.id}/seats/generate`, { token: admin, body: { rows: 20, cols: 30 } });
  noMap = await createEvent(admin, { name: `Poetry Slam ${t}`, venue: `Quay ${t}`, capacity: 40, daysAhead: 4 });
  booked = await createEvent(admin, { name: `Brass Band ${t}`, venue: `Quay ${t}`, capacity: 30, daysAhead: 5 });
  const fan = await signupAndLogin('Fan');
  await bookAs(fan.token, booked.id, { qty: 2 });
  for (let i = 0; i < 12; i += 1) {
    await createEvent(admin, { name: `Community evening number ${i + 1} with a longer name ${t}`, venue: `Quay ${t}`, daysAhead: 6 + i });
  }
  s = await openBrowser(DESKTOP);
});

after(async () => {
  await s?.close();
});

async function alerts(page: Page): Promise<string[]> {
  return page.locator('[role="alert"]').allInnerTexts();
}

for (const [device, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
  test(`errors in plain words, once (${device})`, { timeout: 120_000 }, async () => {
    const { page, context } = s;
    await context.clearCookies();
    await page.setViewportSize(viewport);
    await page.goto(app('/'));
    await page.evaluate(() => localStorage.clear());

    // An empty sign-up: each field says what to do, and no summary repeats them.
    await page.goto(app('/signup'));
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByText('Enter your name.').waitFor();
    await page.getByText('Enter your email address.').waitFor();
    await page.getByText('Enter a password.').waitFor();
    const body = await page.locator('main').innerText();
    assert.doesNotMatch(body, /may not be blank|and \d+ more|name:/);
    assert.equal(await page.getByLabel('Name').getAttribute('aria-invalid'), 'true');
    assert.equal((await page.locator('form [role="alert"]').count()), 0, 'no summary of field errors');
    await checkA11y(page, `signup errors (${device})`);
    await screenshot(page, `signup-errors-${device}`);

    // A bad email in people's words.
    await page.getByLabel('Name').fill('Ada');
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByLabel('Password').fill('correct-horse-42');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByText('Enter a valid email address, like name@example.com.').waitFor();
    // An address that already has an account: said at the email field, once.
    await page.getByLabel('Email').fill(ADMIN_EMAIL);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByText('An account with this email already exists. Log in instead, or use another address.').waitFor();
    assert.equal(await page.getByLabel('Email').getAttribute('aria-invalid'), 'true');
    assert.doesNotMatch(await page.locator('main').innerText(), /Email already registered/);

    // The event form: missing times and an end before the start, without DRF's wording.
    await loginInBrowser(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.goto(app('/admin/events'));
    await page.getByRole('button', { name: '+ New event' }).click();
    const form = page.getByRole('dialog', { name: 'New event' });
    await form.getByLabel('Name').fill(`Form check ${t}`);
    await form.getByLabel('Venue').fill('Hall');
    await form.getByRole('button', { name: 'Create event' }).click();
    await form.getByText('Enter the date and time it starts.').waitFor();
    await form.getByText('Enter the date and time it ends.').waitFor();
    assert.doesNotMatch(await form.innerText(), /Datetime has wrong format|YYYY|start_time|end_time/);
    await form.getByLabel('Starts').fill(`${NEXT_YEAR}-05-02T20:00`);
    await form.getByLabel('Ends').fill(`${NEXT_YEAR}-05-02T18:00`);
    await form.getByRole('button', { name: 'Create event' }).click();
    await form.getByText('The end must be after the start.').waitFor();
    const formText = await form.innerText();
    assert.equal(formText.split('The end must be after the start.').length - 1, 1, 'said once');
    assert.doesNotMatch(formText, /end_time|start_time/);
    await checkA11y(page, `event form errors (${device})`);
    await screenshot(page, `event-form-errors-${device}`);
    await form.getByRole('button', { name: 'Cancel' }).click();

    // A typed quantity above the maximum says the maximum; it is not clamped silently.
    await page.goto(app(`/events/${noMap.id}`));
    const qty = page.getByLabel('Tickets');
    await qty.fill('25');
    await page.getByText('At most 10 tickets per booking.').waitFor();
    assert.equal(await qty.inputValue(), '25');
    const bookButton = page.getByRole('button', { name: /^Book / });
    assert.equal(await bookButton.innerText(), 'Book tickets');
    assert.ok(await bookButton.isDisabled());
    await qty.fill('3');
    await page.getByRole('button', { name: 'Book 3 tickets' }).waitFor();
    assert.deepEqual(await alerts(page), []);

    // Nothing picked on a seat map: no "Book 0 seats".
    await page.goto(app(`/events/${withMap.id}`));
    await page.getByRole('button', { name: 'Seat A-1, free' }).waitFor();
    assert.equal(await page.getByRole('button', { name: /Book 0/ }).count(), 0);
    await page.getByRole('button', { name: 'Pick seats to book' }).waitFor();

    // Not found: no "Try again" (it would only fail again).
    await page.goto(app('/events/987654321'));
    await page.getByRole('heading', { name: 'Event not found' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Try again' }).count(), 0);
    await checkA11y(page, `event not found (${device})`);
    await page.goto(app('/no/such/page'));
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Try again' }).count(), 0);
    assert.deepEqual(s.problems, [], 'no console errors');
  });
}

test('home: the figures from /stats/homepage and the next upcoming events', { timeout: 60_000 }, async () => {
  const { page } = s;
  await page.setViewportSize(DESKTOP);
  const past = await createEvent(admin, { name: `Yesterday's Fair ${t}`, venue: `Quay ${t}`, daysAhead: -2 });
  // The figures shown are the ones the app got from /stats/homepage (each test server process
  // caches them on its own, so a separate call could see other numbers for a minute).
  const answer = page.waitForResponse((r) => r.url().endsWith('/stats/homepage') && r.ok());
  await page.goto(app('/'));
  const stats = (await (await answer).json()) as HomepageStats;
  assert.ok(stats.total_events > 0);
  const figures = page.getByRole('region', { name: 'Evently in numbers' });
  await figures.waitFor();
  const text = await figures.innerText();
  for (const n of [stats.total_events, stats.total_tickets_sold, stats.total_customers, stats.cities_covered]) {
    assert.ok(text.includes(new Intl.NumberFormat('en-US').format(n)), `${n} shown in ${text}`);
  }
  // Upcoming only, soonest first: the past event is not listed, the one in 3 days comes first.
  await searchEvents(page, `Quay ${t}`);
  const cards = page.getByRole('article');
  await cards.filter({ hasText: withMap.name }).waitFor();
  await page.waitForFunction(
    (x) => [...document.querySelectorAll('article .card-title')].every((el) => el.textContent?.includes(x)),
    t,
  );
  const titles = await page.locator('article .card-title').allInnerTexts();
  assert.equal(titles[0], withMap.name);
  assert.ok(!titles.includes(past.name), 'a past event is not on the home page');
  await page.getByLabel('Search').blur();
  await checkA11y(page, 'home');
  await screenshot(page, 'home');
  assert.deepEqual(s.problems, [], 'no console errors');
});

test('organizer table: 12+ events in view on a laptop, only actions that can succeed', { timeout: 60_000 }, async () => {
  const { page } = s;
  await page.setViewportSize(DESKTOP);
  await loginInBrowser(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  // Each row offers "Seats" or not from its event's own seat list, read after the table shows:
  // until that list is in, no row offers it, so a count of 0 then proves nothing.
  const withMapSeats = page.waitForResponse((r) => new URL(r.url()).pathname === `/events/${withMap.id}/seats`);
  await page.goto(app(`/admin/events?q=${encodeURIComponent(`Quay ${t}`)}`));
  const rows = page.locator('table.admin-events tbody tr');
  await rows.nth(12).waitFor();
  await page.evaluate(() => window.scrollTo(0, 0));
  const inView = await rows.evaluateAll((trs) => trs.filter((tr) => tr.getBoundingClientRect().bottom <= window.innerHeight).length);
  assert.ok(inView >= 12, `only ${inView} events fit in 1366×850`);

  // A seat map exists: no "Seats"; none yet: offered.
  const rowOf = (e: ApiEvent) => rows.filter({ hasText: e.name });
  await rowOf(noMap).getByRole('button', { name: `Generate seats for ${noMap.name}` }).waitFor();
  await (await withMapSeats).finished();
  // Its seat list is in: "Seats" does not appear for it (the row is drawn again a moment later).
  await assert.rejects(rowOf(withMap).getByRole('button', { name: /Generate seats/ }).waitFor({ timeout: 500 }), /Timeout/);
  assert.equal(await rowOf(withMap).getByRole('button', { name: /Generate seats/ }).count(), 0);
  assert.equal(await rowOf(booked).getByRole('button', { name: /Generate seats/ }).count(), 0);

  // Bookings: Delete says why it is unavailable instead of failing.
  const del = rowOf(booked).getByRole('button', { name: /^Delete / });
  assert.equal(await del.getAttribute('aria-disabled'), 'true');
  await del.focus(); // aria-disabled: still focusable and clickable, so it can explain itself
  await page.keyboard.press('Enter');
  await page.getByText(`${booked.name} has bookings, so it can't be deleted. Deactivate it instead`).waitFor();
  assert.equal(await page.getByRole('dialog', { name: 'Delete this event?' }).count(), 0);
  assert.equal(await rowOf(noMap).getByRole('button', { name: `Delete ${noMap.name}` }).getAttribute('aria-disabled'), null);
  await checkA11y(page, 'admin events (compact)');
  await screenshot(page, 'admin-events-laptop');
  assert.deepEqual(s.problems, [], 'no console errors');
});

test('no page is wider than a 390 px phone, for anybody', { timeout: 180_000 }, async () => {
  const { page } = s;
  await page.setViewportSize(PHONE);
  const user = await signupAndLogin('Phone');
  const routes = [
    '/',
    `/events/${withMap.id}`,
    `/events/${noMap.id}`,
    '/events/987654321',
    '/login',
    '/signup',
    '/bookings',
    '/notifications',
    '/forgot-password',
    '/reset-password?uid=x&token=y',
    '/admin/events',
    '/admin/users',
    '/admin/dashboard',
    '/door',
    '/no/such/page',
    `/admin/events/${booked.id}/attendees`,
  ];
  const roles: Array<[string, (() => Promise<void>) | null]> = [
    ['anonymous', null],
    ['user', () => loginInBrowser(page, user.email, user.password)],
    ['admin', () => loginInBrowser(page, ADMIN_EMAIL, ADMIN_PASSWORD)],
  ];
  const tooWide: string[] = [];
  for (const [role, login] of roles) {
    await page.goto(app('/'));
    await page.evaluate(() => localStorage.clear());
    if (login) await login();
    for (const route of routes) {
      await page.goto(app(route));
      await page.locator('main h1').first().waitFor();
      await page.waitForLoadState('networkidle');
      await page.waitForFunction(() => !document.querySelector('.status-loading'));
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > 390) tooWide.push(`${route} as ${role}: ${width}px`);
      if (role === 'admin' && route === '/admin/events') await screenshot(page, 'admin-events-phone');
    }
  }
  assert.deepEqual(tooWide, []);
  assert.deepEqual(s.problems, [], 'no console errors');
});
