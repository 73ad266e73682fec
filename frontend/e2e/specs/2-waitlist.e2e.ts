import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { adminToken, app, call, checkA11y, createEvent, loginInBrowser, openBrowser, screenshot, signupAndLogin, tag, type Session } from '../support.ts';
import type { Booking, BookingRequest } from '../../src/api/types.ts';

let s: Session;
let admin: string;

before(async () => {
  admin = await adminToken();
  s = await openBrowser();
});

after(async () => {
  await s?.close();
});

function book(token: string, eventId: number, body: BookingRequest): Promise<Booking> {
  return call<Booking>('POST', `/events/${eventId}/book`, { token, body, headers: { 'Idempotency-Key': randomUUID() } });
}

test('join the waitlist of a full event and get promoted when someone cancels', { timeout: 120_000 }, async () => {
  const { page } = s;
  const event = await createEvent(admin, { name: `Sold Out Show ${tag()}`, capacity: 2 });
  const other = await signupAndLogin('Grace');
  const theirs = await book(other.token, event.id, { qty: 2 });
  assert.equal(theirs.status, 'CONFIRMED');

  const me = await signupAndLogin('Alan');
  await loginInBrowser(page, me.email, me.password);
  await page.goto(app(`/events/${event.id}`));
  await page.getByText('This event is sold out.').waitFor();
  await page.getByRole('button', { name: 'Join the waitlist' }).click();
  await page.getByText("You're on the waitlist.").waitFor();
  await page.getByText('#1').first().waitFor();
  await checkA11y(page, 'event page (waitlist)');
  await screenshot(page, 'event-waitlisted');

  await page.getByRole('link', { name: 'My bookings', exact: true }).click();
  const item = page.getByRole('listitem').filter({ hasText: event.name });
  await item.getByText('On the waitlist').waitFor();
  await item.getByText('#1').waitFor();

  // Someone else cancels: the head of the queue is promoted.
  await call('DELETE', `/bookings/${theirs.id}`, { token: other.token });
  await page.reload();
  await item.getByText('Confirmed').waitFor();
  await item.getByText(/tickets? · Seats? A-\d+/).waitFor();
  const mine = await call<Booking[]>('GET', '/me/bookings', { token: me.token });
  assert.equal(mine[0]?.status, 'CONFIRMED');
  assert.equal(mine[0]?.seat_labels.length, 1);
  // The first time the promoted booking is seen: a banner naming the seats, once.
  const banner = page.locator('.promotion');
  await banner.getByText(`You got seats from the waitlist: ${mine[0]!.seat_labels.join(', ')}`).waitFor();
  await banner.getByRole('link', { name: event.name }).waitFor();
  await checkA11y(page, 'my bookings (promotion banner)');
  await screenshot(page, 'my-bookings-promoted');
  await page.reload();
  await item.getByText('Confirmed').waitFor();
  await page.waitForLoadState('networkidle');
  assert.equal(await banner.count(), 0, 'the banner shows once');
  assert.deepEqual(s.problems, [], 'no console errors');
});

test('a 409 "Not enough seats" offers the waitlist for the same number of tickets', { timeout: 120_000 }, async () => {
  const { page } = s;
  const event = await createEvent(admin, { name: `Almost Full ${tag()}`, capacity: 3 });
  const other = await signupAndLogin('Edsger');
  await book(other.token, event.id, { qty: 2 });

  await page.goto(app(`/events/${event.id}`));
  await page.getByRole('radio', { name: 'Best available' }).check();
  await page.getByLabel('Tickets').fill('2');
  await page.getByRole('button', { name: 'Book 2 tickets' }).click();
  await page.getByText(/Not enough seats available/).waitFor();
  await checkA11y(page, 'event page (409)');
  await page.getByRole('button', { name: 'Join the waitlist for 2 tickets' }).click();
  await page.getByText("You're on the waitlist.").waitFor();
  assert.deepEqual(s.problems, [], 'no console errors');
});
