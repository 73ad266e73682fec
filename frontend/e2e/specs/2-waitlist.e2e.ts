import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { adminToken, app, call, checkA11y, createEvent, loginInBrowser, openBrowser, screenshot, signupAndLogin, tag, waitForFocusOn, type Session } from '../support.ts';
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
  await waitForFocusOn(page, "You're on the waitlist.");
  await checkA11y(page, 'event page (waitlist)');
  await screenshot(page, 'event-waitlisted');

  // Back on the page later: it says so, and offers no second join (a second booking #2).
  await page.reload();
  await page.getByText("You're on the waitlist (#1) for 1 ticket.").waitFor();
  assert.equal(await page.getByRole('button', { name: /Join the waitlist/ }).count(), 0, 'no second join offered');
  await checkA11y(page, 'event page (already waiting)');

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

test('named seats taken meanwhile: pick again, no waitlist, never seats not picked', { timeout: 120_000 }, async () => {
  const { page } = s;
  const event = await createEvent(admin, { name: `Front Rows ${tag()}`, capacity: 10 });
  await call('POST', `/admin/events/${event.id}/seats/generate`, { token: admin, body: { rows: 2, cols: 5 } });
  const other = await signupAndLogin('Barbara');
  const me = await signupAndLogin('Donald');
  await loginInBrowser(page, me.email, me.password);
  await page.goto(app(`/events/${event.id}`));
  await page.getByRole('button', { name: 'Seat A-2, free' }).click();
  await page.getByRole('button', { name: 'Seat A-3, free' }).click();
  await page.getByText('Selected: A-2, A-3').waitFor();

  // Someone else books A-3 while the page is open (the event still has room).
  await book(other.token, event.id, { seat_ids: ['A-3'] });
  await page.getByRole('button', { name: 'Book 2 seats' }).click();
  const refusal = page.getByRole('alert').filter({ hasText: 'Seat A-3 was just booked by someone else' });
  await refusal.waitFor();
  await waitForFocusOn(page, 'Seat A-3 was just booked by someone else');
  assert.equal(await page.getByRole('button', { name: /Join the waitlist/ }).count(), 0, 'no waitlist for seats never picked');
  await page.getByRole('button', { name: 'Seat A-3, taken' }).waitFor();
  await page.getByText('Selected: A-2', { exact: true }).waitFor();
  await checkA11y(page, 'event page (seats taken)');
  await screenshot(page, 'event-seats-taken');
  let mine = await call<Booking[]>('GET', '/me/bookings', { token: me.token });
  assert.deepEqual(mine, [], 'nothing booked or waitlisted');

  // Choosing again books exactly the seats picked.
  await page.getByRole('button', { name: 'Seat A-4, free' }).click();
  await page.getByRole('button', { name: 'Book 2 seats' }).click();
  await page.getByText('seats A-2, A-4').waitFor();
  mine = await call<Booking[]>('GET', '/me/bookings', { token: me.token });
  assert.deepEqual(
    mine.map((b) => [b.status, b.seat_labels]),
    [['CONFIRMED', ['A-2', 'A-4']]],
  );
  assert.deepEqual(s.problems, [], 'no console errors');
});

test('"Leave the waitlist" after a promotion the page has not shown yet gives up no seats unasked', { timeout: 120_000 }, async () => {
  const { page } = s;
  const event = await createEvent(admin, { name: `Late Promotion ${tag()}`, capacity: 1 });
  const other = await signupAndLogin('Holder');
  const theirs = await book(other.token, event.id, { qty: 1 });
  const me = await signupAndLogin('Patient');
  const waiting = await book(me.token, event.id, { qty: 1, waitlist: true });
  assert.equal(waiting.status, 'WAITLISTED');

  await loginInBrowser(page, me.email, me.password);
  await page.goto(app('/bookings'));
  const item = page.getByRole('listitem').filter({ hasText: event.name });
  await item.getByText('On the waitlist').waitFor();
  await item.getByRole('button', { name: /Leave the waitlist/ }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('You leave the waitlist').waitFor();

  // While the dialog is open the holder cancels: the waiting booking gets the seat.
  await call('DELETE', `/bookings/${theirs.id}`, { token: other.token });
  await dialog.getByRole('button', { name: 'Leave the waitlist' }).click();
  await dialog.getByText('You got seats from the waitlist meanwhile').waitFor();
  await dialog.getByText('Your seats go to the next person waiting.').waitFor();
  let mine = await call<Booking[]>('GET', '/me/bookings', { token: me.token });
  assert.deepEqual(mine.map((b) => b.status), ['CONFIRMED'], 'the promoted booking was not cancelled');
  await checkA11y(page, 'my bookings (promoted while leaving)');

  // Keeping them closes the dialog; the row shows the seats.
  await dialog.getByRole('button', { name: 'Keep it' }).click();
  await item.getByText('Confirmed').waitFor();
  mine = await call<Booking[]>('GET', '/me/bookings', { token: me.token });
  assert.deepEqual(mine.map((b) => b.status), ['CONFIRMED']);
  assert.deepEqual(s.problems, [], 'no console errors');
});

test('a picked seat the map later shows taken leaves the selection, said in words', { timeout: 120_000 }, async () => {
  const { page } = s;
  const event = await createEvent(admin, { name: `Refreshed Map ${tag()}`, capacity: 10 });
  await call('POST', `/admin/events/${event.id}/seats/generate`, { token: admin, body: { rows: 2, cols: 5 } });
  const other = await signupAndLogin('Quick');
  const me = await signupAndLogin('Slow');
  await loginInBrowser(page, me.email, me.password);
  await page.goto(app(`/events/${event.id}`));
  await page.getByRole('button', { name: 'Seat B-1, free' }).click();
  await page.getByRole('button', { name: 'Seat B-2, free' }).click();
  await page.getByText('Selected: B-1, B-2').waitFor();

  // Someone else books B-2; the page reads the seats again on its own (stale after 15 s, focus).
  await book(other.token, event.id, { seat_ids: ['B-2'] });
  await page.waitForTimeout(15_500);
  await page.evaluate(() => window.dispatchEvent(new Event('visibilitychange')));
  await page.getByRole('button', { name: 'Seat B-2, taken' }).waitFor();
  // The summary and the button agree with the map: B-2 is no longer offered as picked.
  await page.getByText('Selected: B-1', { exact: true }).waitFor();
  await page.getByRole('button', { name: 'Book 1 seat' }).waitFor();
  await page.getByText('Seat B-2 was just booked by someone else, so we took it out of your selection.').waitFor();
  await checkA11y(page, 'event page (picked seat taken meanwhile)');
  await page.getByRole('button', { name: 'Book 1 seat' }).click();
  await page.getByText("You're booked! 1 ticket — seat B-1").waitFor();
  // The person's own new seat is never named as taken by someone else.
  assert.equal(await page.getByText('Seat B-1 was just booked by someone else').count(), 0);
  const mine = await call<Booking[]>('GET', '/me/bookings', { token: me.token });
  assert.deepEqual(mine.map((b) => [b.status, b.seat_labels]), [['CONFIRMED', ['B-1']]]);
  assert.deepEqual(s.problems, [], 'no console errors');
});
