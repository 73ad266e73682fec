import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { adminToken, app, bookAs, call, checkA11y, createEvent, openBrowser, screenshot, searchEvents, signupAndLogin, tag, unique, waitForFocusOn, type ApiEvent, type Session } from '../support.ts';
import type { Booking } from '../../src/api/types.ts';

let s: Session;
let event: ApiEvent;
let t: string;

before(async () => {
  const admin = await adminToken();
  t = tag();
  event = await createEvent(admin, { name: `Jazz Night ${t}`, venue: 'Blue Note Hall', capacity: 40, daysAhead: 10 });
  await call('POST', `/admin/events/${event.id}/seats/generate`, { token: admin, body: { rows: 4, cols: 10 } });
  // Other people's bookings, so the list and the seat map look lived in.
  const fan = await signupAndLogin('Fan');
  await bookAs(fan.token, event.id, { seat_ids: ['B-4', 'B-5', 'B-6', 'B-7'] });
  const expo = await createEvent(admin, { name: `City Marathon Expo ${t}`, venue: 'Riverside Pavilion', capacity: 50, daysAhead: 12 });
  for (let i = 0; i < 3; i += 1) await bookAs(fan.token, expo.id, { qty: 10 });
  const film = await createEvent(admin, { name: `Indie Film Festival ${t}`, venue: 'Rialto Cinema', capacity: 20, daysAhead: 14 });
  await bookAs(fan.token, film.id, { qty: 10 });
  await bookAs(fan.token, film.id, { qty: 10 });
  await bookAs(fan.token, film.id, { qty: 2, waitlist: true });
  const talks = await createEvent(admin, { name: `Tech Talks ${t}`, venue: 'Innovation Hub', capacity: 120, daysAhead: 16 });
  await bookAs(fan.token, talks.id, { qty: 9 });
  s = await openBrowser();
});

after(async () => {
  await s?.close();
});

test('sign up, browse, book named seats, see them in My bookings, cancel', { timeout: 120_000 }, async () => {
  const { page } = s;
  const email = `${unique('ada')}@example.com`;
  const password = 'correct-horse-42';

  // Sign up (logs in and comes back to the events list).
  await page.goto(app('/signup'));
  await page.getByRole('heading', { name: 'Create your account' }).waitFor();
  await checkA11y(page, 'signup');
  await screenshot(page, 'signup');
  await page.getByLabel('Name').fill('Ada Lovelace');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByRole('button', { name: 'Log out' }).waitFor();

  // Browse: search for the event.
  // Search answers arrive late here, as on a busy server: the list keeps showing the previous
  // answer, dimmed, meanwhile (CI once judged that dimmed list for contrast).
  await page.route(
    (u) => u.pathname.endsWith('/events') && u.searchParams.has('q'),
    async (route) => {
      await new Promise((ok) => setTimeout(ok, 1000));
      await route.continue();
    },
  );
  await page.getByRole('heading', { name: 'Upcoming events' }).waitFor();
  await searchEvents(page, event.name);
  const card = page.getByRole('article').filter({ hasText: event.name });
  await card.waitFor();
  assert.match(await card.innerText(), /36\s*\/\s*40 available/);
  await searchEvents(page, t);
  await page.getByRole('article').filter({ hasText: `Tech Talks ${t}` }).waitFor();
  await page.getByRole('article').filter({ hasText: `Indie Film Festival ${t}` }).getByText('on the waitlist').waitFor();
  await page.getByLabel('Search').blur();
  await checkA11y(page, 'events list');
  await screenshot(page, 'events-list');
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'events-list-phone');
  await page.setViewportSize({ width: 1280, height: 900 });

  // Open the event; pick A-3 with the mouse and A-4 with the keyboard.
  await card.getByRole('link', { name: event.name }).click();
  // level 1: the event page's own title; the card just clicked has a heading with the same name.
  await page.getByRole('heading', { name: event.name, level: 1 }).waitFor();
  const a3 = page.getByRole('button', { name: 'Seat A-3, free' });
  await a3.click();
  const a3Selected = page.getByRole('button', { name: 'Seat A-3, selected' });
  assert.equal(await a3Selected.getAttribute('aria-pressed'), 'true');
  await a3Selected.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Space');
  await page.getByRole('button', { name: 'Seat A-4, selected' }).waitFor();
  await page.getByText('Selected: A-3, A-4').waitFor();
  await checkA11y(page, 'event page');
  await screenshot(page, 'event-seat-map');

  // Book, double-clicking on purpose: one booking only.
  await page.getByRole('button', { name: 'Book 2 seats' }).dblclick();
  await page.getByText("You're booked!").waitFor();
  await page.getByText('seats A-3, A-4').waitFor();
  // The button pressed is disabled, then gone: focus goes to the result, not to <body>.
  await waitForFocusOn(page, "You're booked!");
  await page.getByRole('button', { name: 'Seat A-3, yours' }).waitFor();
  await page.getByRole('button', { name: 'Seat B-4, taken' }).waitFor();
  const token = await page.evaluate(() => localStorage.getItem('evently.token'));
  assert.ok(token);
  const mine = await call<Booking[]>('GET', '/me/bookings', { token });
  assert.equal(mine.length, 1, 'a double click made one booking');
  assert.deepEqual(mine[0]?.seat_labels, ['A-3', 'A-4']);

  // My bookings.
  await page.getByRole('link', { name: 'My bookings', exact: true }).click();
  const item = page.getByRole('listitem').filter({ hasText: event.name });
  await item.getByText('A-3, A-4').waitFor();
  await item.getByText('Confirmed').waitFor();
  await checkA11y(page, 'my bookings');
  await screenshot(page, 'my-bookings');

  // Cancel with the confirmation dialog.
  await item.getByRole('button', { name: /Cancel booking/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Cancel this booking?' });
  await dialog.waitFor();
  await checkA11y(page, 'cancel dialog');
  await dialog.getByRole('button', { name: 'Yes, cancel it' }).click();
  await page.getByText(`Your booking for ${event.name} is cancelled.`).waitFor();
  await waitForFocusOn(page, `Your booking for ${event.name} is cancelled.`);
  await item.getByText('Cancelled', { exact: true }).waitFor();
  const after = await call<Booking[]>('GET', '/me/bookings', { token });
  assert.equal(after[0]?.status, 'CANCELLED');

  // An expired token sends the person to log in, then back where they were.
  await page.evaluate(() => localStorage.setItem('evently.token', 'expired.invalid.token'));
  await page.goto(app('/bookings'));
  await page.waitForURL(/\/app\/login\?next=%2Fbookings/);
  await page.getByText('Your session has expired').waitFor();
  await checkA11y(page, 'login');
  await screenshot(page, 'login-expired');
  // A wrong password: focus goes to the error, not to <body> (the button was disabled meanwhile).
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('not-the-password-1');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByText('Invalid credentials').waitFor();
  await waitForFocusOn(page, 'Invalid credentials');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(/\/app\/bookings$/);
  await page.getByRole('heading', { name: 'My bookings' }).waitFor();

  assert.deepEqual(s.problems, [], 'no console errors');
});
