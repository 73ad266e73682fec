/**
 * When a session ends by a refused token (401):
 * - the next person to log in on the same tab sees nothing of the last one's (bookings,
 *   event names, the bell's unread count), not even for a moment;
 * - on a public page, a background read (the bell's poll) ends the session quietly: the page
 *   stays, logged out, saying so; a booking (something the person did) still goes to login
 *   and comes back.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { adminToken, app, bookAs, call, checkA11y, createEvent, loginInBrowser, openBrowser, screenshot, signupAndLogin, tag, type ApiEvent, type Session } from '../support.ts';

let s: Session;
let admin: string;

before(async () => {
  admin = await adminToken();
  s = await openBrowser({ width: 1366, height: 850 });
});

after(async () => {
  await s?.close();
});

async function seatedEvent(name: string): Promise<ApiEvent> {
  const event = await createEvent(admin, { name: `${name} ${tag()}`, capacity: 10 });
  await call('POST', `/admin/events/${event.id}/seats/generate`, { token: admin, body: { rows: 2, cols: 5 } });
  return event;
}

test("after a 401, the next person to log in sees nothing of the last one's", { timeout: 120_000 }, async () => {
  const { page } = s;
  const event = await seatedEvent('Private Recital');
  const a = await signupAndLogin('Ada');
  const b = await signupAndLogin('Bob');
  await bookAs(a.token, event.id, { seat_ids: ['A-1'] });

  await loginInBrowser(page, a.email, a.password);
  await page.getByRole('link', { name: 'My bookings', exact: true }).click();
  await page.getByRole('listitem').filter({ hasText: event.name }).locator('.seat-labels').getByText('A-1').waitFor();
  await page.getByRole('link', { name: 'Notifications, 1 unread' }).waitFor();
  await page.locator('img.qr').first().waitFor(); // the page's last request (with the token) is done

  // A's token stops working (expired, or revoked elsewhere) while the tab stays open.
  await page.evaluate(() => localStorage.setItem('evently.token', 'expired.invalid.token'));
  await page.getByRole('link', { name: 'Notifications, 1 unread' }).click();
  await page.waitForURL(/\/app\/login\?next=%2Fnotifications&expired=1/);
  // From here on (A is logged out), flag any moment A's data is on screen.
  await page.evaluate((name) => {
    const w = window as unknown as { leaked: string[] };
    w.leaked = [];
    // (No named function in here: tsx would wrap it in a helper the page doesn't have.)
    new MutationObserver(() => {
      if (document.body.innerText.includes(name)) w.leaked.push('event name');
      if (document.querySelector('a.bell[aria-label*="1 unread"]')) w.leaked.push('unread count');
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  }, event.name);

  // Someone else logs in on this tab.
  await page.getByLabel('Email').fill(b.email);
  await page.getByLabel('Password').fill(b.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(/\/app\/notifications$/);
  await page.getByRole('link', { name: 'Notifications, none unread' }).waitFor();
  await page.getByRole('link', { name: 'My bookings', exact: true }).click();
  await page.getByText('You have no bookings yet.').waitFor();
  assert.deepEqual(await page.evaluate(() => (window as unknown as { leaked: string[] }).leaked), [], "none of A's data was shown to B");
  assert.deepEqual(s.problems, [], 'no console errors');
});

test('an expired session on a public page ends quietly; a booking with it goes to login', { timeout: 120_000 }, async () => {
  const { page } = s;
  const event = await seatedEvent('Open Rehearsal');
  const c = await signupAndLogin('Carol');
  await loginInBrowser(page, c.email, c.password);
  // The bell's count answers late here, as on a busy server. The 10.5 s below count from its
  // answer: before it the count is not stale at the focus, nothing is asked again, no 401.
  await page.route(
    (u) => u.pathname.endsWith('/me/notifications') && u.searchParams.get('unread') === 'true',
    async (route) => {
      await new Promise((ok) => setTimeout(ok, 1000));
      await route.continue();
    },
  );
  await page.goto(app(`/events/${event.id}`));
  await page.getByRole('button', { name: 'Seat A-5, free' }).click();
  // The bell names the count only once the server has answered.
  await page.getByRole('link', { name: 'Notifications, none unread' }).waitFor();

  // The token expires; the bell asks again on its own (its count is stale after 10 s, and the
  // window gets focus): a 401 nobody asked for.
  await page.evaluate(() => localStorage.setItem('evently.token', 'expired.invalid.token'));
  await page.waitForTimeout(10_500);
  await page.evaluate(() => window.dispatchEvent(new Event('visibilitychange')));
  await page.getByRole('link', { name: 'Log in', exact: true }).first().waitFor();
  assert.match(page.url(), new RegExp(`/app/events/${event.id}$`), 'still on the event page');
  await page.getByText('Your session ended').waitFor();
  await page.getByRole('heading', { name: event.name }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Log out' }).count(), 0, 'logged out header');
  await page.getByText('to book tickets.').first().waitFor();
  await checkA11y(page, 'event page (session ended)');
  await screenshot(page, 'session-ended');

  // "log in again" comes back here.
  await page.getByRole('link', { name: 'log in again' }).click();
  await page.waitForURL(new RegExp(`/app/login\\?next=%2Fevents%2F${event.id}`));
  await page.getByLabel('Email').fill(c.email);
  await page.getByLabel('Password').fill(c.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(new RegExp(`/app/events/${event.id}$`));
  // The address changes a moment before the page does: judge the event page, not the login page.
  await page.getByRole('heading', { name: event.name, level: 1 }).waitFor();
  assert.equal(await page.getByText('Your session ended').count(), 0);

  // A booking with a refused token: the person asked for something, so log in and come back.
  await page.getByRole('button', { name: 'Seat A-5, free' }).click();
  await page.evaluate(() => localStorage.setItem('evently.token', 'expired.invalid.token'));
  await page.getByRole('button', { name: 'Book 1 seat' }).click();
  await page.waitForURL(new RegExp(`/app/login\\?next=%2Fevents%2F${event.id}&expired=1`));
  await page.getByText('Your session has expired').waitFor();
  assert.deepEqual(s.problems, [], 'no console errors');
});

test('logging out or in on another tab changes who this tab is, before it acts for anyone', { timeout: 120_000 }, async () => {
  const { page, context } = s;
  const event = await seatedEvent('Two Tabs');
  const dan = await signupAndLogin('Dan Firsttab');
  const eve = await signupAndLogin('Eve Secondtab');
  await bookAs(dan.token, event.id, { seat_ids: ['A-1'] });

  await loginInBrowser(page, dan.email, dan.password);
  await page.getByRole('link', { name: 'My bookings', exact: true }).click();
  await page.getByRole('listitem').filter({ hasText: event.name }).waitFor();
  await page.getByText('Dan Firsttab').first().waitFor();

  // Another tab of the same browser logs out: this one is logged out too, with nothing of Dan's.
  const other = await context.newPage();
  await other.goto(app('/'));
  await other.getByRole('button', { name: 'Log out' }).click();
  await other.getByRole('link', { name: 'Log in', exact: true }).first().waitFor();
  await page.bringToFront();
  await page.waitForURL(/\/app\/login\?next=%2Fbookings/);
  assert.equal(await page.getByText('Dan Firsttab').count(), 0, "Dan's name is gone");
  assert.equal(await page.getByRole('button', { name: 'Log out' }).count(), 0, 'logged out header');

  // The other tab logs in as Eve: this tab is Eve's now, and what it books is booked for Eve.
  await other.bringToFront();
  await loginInBrowser(other, eve.email, eve.password);
  await page.bringToFront();
  await page.goto(app(`/events/${event.id}`));
  await page.getByText('Eve Secondtab').first().waitFor();
  await other.close();

  await loginInBrowser(page, dan.email, dan.password);
  await page.goto(app(`/events/${event.id}`));
  await page.getByText('Dan Firsttab').first().waitFor();
  const second = await context.newPage();
  await loginInBrowser(second, eve.email, eve.password);
  await page.bringToFront();
  // Without a reload, this tab says Eve and not Dan before anything is booked in her name.
  await page.getByText('Eve Secondtab').first().waitFor();
  assert.equal(await page.getByText('Dan Firsttab').count(), 0, 'the header follows the other tab');
  await second.close();
  assert.deepEqual(s.problems, [], 'no console errors');
});
