import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, adminToken, call, checkA11y, loginInBrowser, openBrowser, screenshot, signupAndLogin, tag, type ApiEvent, type Session } from '../support.ts';
import type { EventPage, User } from '../../src/api/types.ts';

let s: Session;

before(async () => {
  s = await openBrowser();
});

after(async () => {
  await s?.close();
});

function localInput(daysAhead: number, hour: number): string {
  const d = new Date(Date.now() + daysAhead * 86_400_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(hour)}:00`;
}

test('admin creates an event, generates seats, changes capacity and reads the dashboard', { timeout: 180_000 }, async () => {
  const { page } = s;
  const name = `Opening Gala ${tag()}`;
  await loginInBrowser(page, ADMIN_EMAIL, ADMIN_PASSWORD);

  // Create.
  await page.getByRole('link', { name: 'Manage events' }).click();
  await page.getByRole('heading', { name: 'Manage events' }).waitFor();
  await page.getByRole('button', { name: '+ New event' }).click();
  const form = page.getByRole('dialog', { name: 'New event' });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Venue').fill('Grand Theatre');
  await form.getByLabel('Starts').fill(localInput(20, 19));
  await form.getByLabel('Ends').fill(localInput(20, 22));
  await form.getByLabel('Capacity').fill('25');
  await checkA11y(page, 'new event dialog');
  await form.getByRole('button', { name: 'Create event' }).click();
  await page.getByText(`Created ${name}.`).waitFor();
  const row = page.getByRole('row').filter({ hasText: name });
  await row.waitFor();

  // Generate a 3 × 10 seat grid (capacity becomes 30).
  await row.getByRole('button', { name: `Generate seats for ${name}` }).click();
  const seatsForm = page.getByRole('dialog', { name: `Seats for ${name}` });
  await seatsForm.getByLabel('Rows').fill('3');
  await seatsForm.getByLabel('Seats per row').fill('10');
  await seatsForm.getByRole('button', { name: 'Generate seats' }).click();
  await page.getByText(`Created 30 seats for ${name}; capacity is now 30.`).waitFor();
  // It has a seat map now: generating again could only fail, so it is no longer offered.
  await row.getByRole('button', { name: `Deactivate ${name}` }).waitFor();
  await page.waitForFunction((n) => !document.querySelector(`[aria-label="Generate seats for ${n}"]`), name);

  // Somebody books 5 seats.
  const admin = await adminToken();
  const list = await call<EventPage>('GET', `/events?q=${encodeURIComponent(name)}`);
  const event = list.items[0];
  assert.ok(event);
  const user = await signupAndLogin('Barbara');
  await call('POST', `/events/${event.id}/book`, { token: user.token, body: { qty: 5 }, headers: { 'Idempotency-Key': randomUUID() } });

  // Capacity below what's booked: the 409 in plain words; then a valid change.
  await page.reload();
  await row.getByRole('button', { name: `Edit ${name}` }).click();
  const edit = page.getByRole('dialog', { name: `Edit ${name}` });
  await edit.getByLabel('Capacity').fill('4');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await edit.getByText("The capacity can't be 4: 5 seats are already booked. Choose at least 5.").waitFor();
  await screenshot(page, 'admin-capacity-conflict');
  await edit.getByLabel('Capacity').fill('40');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await page.getByText(`Saved ${name}.`).waitFor();
  const updated = await call<ApiEvent>('GET', `/events/${event.id}`);
  assert.equal(updated.capacity, 40);

  // Delete is unavailable while it has bookings and says so (deactivate instead), then activate again.
  const del = row.getByRole('button', { name: `Delete ${name} (unavailable: it has bookings)` });
  await del.focus();
  await page.keyboard.press('Enter');
  await page.getByText(`${name} has bookings, so it can't be deleted. Deactivate it instead`).waitFor();
  assert.equal(await page.getByRole('dialog', { name: 'Delete this event?' }).count(), 0);
  await row.getByRole('button', { name: `Deactivate ${name}` }).click();
  await page.getByText(`${name} is now inactive.`).waitFor();
  await row.getByRole('button', { name: `Activate ${name}` }).click();
  await page.getByText(`${name} is now active.`).waitFor();
  await checkA11y(page, 'admin events');
  await screenshot(page, 'admin-events');

  // Users: the last admin can't be demoted.
  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByRole('heading', { name: 'Users' }).waitFor();
  const admins = await call<User[]>('GET', '/admin/users?role=admin', { token: admin });
  if (admins.length === 1) {
    const me = page.getByRole('row').filter({ hasText: ADMIN_EMAIL });
    await me.getByRole('combobox').selectOption('user');
    await page.getByText("You can't remove the last admin. Make someone else an admin first.").waitFor();
  }
  await checkA11y(page, 'admin users');
  await screenshot(page, 'admin-users');

  // Dashboard, then refresh.
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await page.getByRole('heading', { name: 'Last 7 days' }).waitFor();
  await page.getByRole('heading', { name: 'Top events' }).waitFor();
  const before = await page.getByText(/Figures from/).innerText();
  await page.waitForTimeout(1100);
  await page.getByRole('button', { name: '↻ Refresh' }).click();
  await page.waitForFunction((old) => !document.body.innerText.includes(old), before);
  await page.locator('.recharts-surface').first().waitFor();
  await checkA11y(page, 'dashboard');
  await screenshot(page, 'admin-dashboard');
  assert.deepEqual(s.problems, [], 'no console errors');
});
