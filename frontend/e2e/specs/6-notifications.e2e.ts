/**
 * Notifications and password reset, at 1366×850 and on a 390×844 phone:
 * book → the bell counts the confirmation → read it → the count drops; paging (newest first)
 * and "Mark all as read"; "Forgot password?" → the email's link (read from the server's
 * file email backend, E2E_MAIL_DIR, which e2e/run-e2e.sh sets) → a weak password in plain
 * words → a new password → old tokens refused → log in with the new one → the spent link
 * says so.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  ApiFailure,
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
  type Session,
} from '../support.ts';
import type { Booking } from '../../src/api/types.ts';

const DESKTOP = { width: 1366, height: 850 };
const PHONE = { width: 390, height: 844 };
const MAIL_DIR = process.env.E2E_MAIL_DIR ?? '';

const sessions: Session[] = [];
after(async () => {
  for (const s of sessions) await s.close();
});

async function browser(viewport: { width: number; height: number }): Promise<Session> {
  const s = await openBrowser(viewport);
  sessions.push(s);
  return s;
}

async function assertFitsPhone(s: Session, where: string, viewport: { width: number }): Promise<void> {
  if (viewport.width !== PHONE.width) return;
  const width = await s.page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.width, `${where} is ${width}px wide on a phone`);
}

/** The newest password-reset link mailed to `email` (Django's file backend: messages split by 79 dashes). */
async function resetLinkFor(email: string, after: number): Promise<string> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const links: string[] = [];
    if (existsSync(MAIL_DIR)) {
      for (const file of readdirSync(MAIL_DIR).sort()) {
        for (const raw of readFileSync(join(MAIL_DIR, file), 'utf8').split(/^-{79}$/m)) {
          if (!new RegExp(`^To: .*${email.replace(/[.+]/g, '\\$&')}`, 'mi').test(raw)) continue;
          // Undo quoted-printable, should the backend have used it.
          const text = raw.replace(/=\r?\n/g, '').replace(/=3D/gi, '=');
          const m = /https?:\/\/[^\s"'<>]+\/app\/reset-password\?[^\s"'<>]+/.exec(text);
          if (m) links.push(m[0]);
        }
      }
    }
    if (links.length > after) return links[links.length - 1]!;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no password-reset email to ${email} in ${MAIL_DIR}`);
}

function countLinks(email: string): number {
  if (!existsSync(MAIL_DIR)) return 0;
  let n = 0;
  for (const file of readdirSync(MAIL_DIR)) {
    for (const raw of readFileSync(join(MAIL_DIR, file), 'utf8').split(/^-{79}$/m)) {
      if (raw.includes(email) && raw.includes('/app/reset-password?')) n += 1;
    }
  }
  return n;
}

for (const [device, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
  test(`${device}: book, the bell counts it, read it and the count drops; newest first, paging, mark all as read`, { timeout: 180_000 }, async () => {
    const s = await browser(viewport);
    const { page } = s;
    const admin = await adminToken();
    const event = await createEvent(admin, { name: `Bell Concert ${tag()}`, capacity: 30 });
    await call('POST', `/admin/events/${event.id}/seats/generate`, { token: admin, body: { rows: 3, cols: 10 } });
    const me = await signupAndLogin('Barbara');
    await loginInBrowser(page, me.email, me.password);
    const bell = (label: string) => page.getByRole('link', { name: label, exact: true });
    await bell('Notifications, none unread').waitFor();

    // Book in the app: the confirmation's notification shows on the bell at once.
    await page.goto(app(`/events/${event.id}`));
    await page.getByRole('radio', { name: 'Best available' }).check();
    await page.getByLabel('Tickets').fill('2');
    await page.getByRole('button', { name: 'Book 2 tickets' }).click();
    await page.getByText("You're booked!").waitFor();
    await bell('Notifications, 1 unread').waitFor();
    assert.equal(await page.getByTestId('unread-count').innerText(), '1');

    await bell('Notifications, 1 unread').click();
    await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
    const item = page.getByRole('listitem').filter({ hasText: `Booking confirmed: ${event.name}` });
    await item.getByText('New', { exact: true }).waitFor();
    await item.getByText(/Your booking is confirmed/).waitFor();
    await checkA11y(page, `notifications (${device})`);
    await assertFitsPhone(s, 'notifications', viewport);
    await screenshot(page, `notifications-${device}`);

    await item.getByRole('button', { name: /^Mark as read/ }).click();
    await bell('Notifications, none unread').waitFor();
    await item.getByText('New', { exact: true }).waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('unread-count').count(), 0);

    // Eleven more (ten bookings, then a cancellation): two pages, the newest first.
    const more: Booking[] = [];
    for (let i = 0; i < 10; i += 1) more.push(await bookAs(me.token, event.id, { qty: 1 }));
    await call('DELETE', `/bookings/${more[0]!.id}`, { token: me.token });
    await page.reload();
    await bell('Notifications, 11 unread').waitFor();
    await page.getByText('Page 1 of 2 · 12 in all').waitFor();
    const headings = page.locator('.notification-list h2');
    assert.equal(await headings.count(), 10);
    assert.equal(await headings.first().innerText(), `Booking cancelled: ${event.name}`);
    await page.getByRole('button', { name: 'Next →' }).click();
    // Page 1 stays on screen, dimmed, while page 2 loads, and the pagination says "Loading
    // page 2…" meanwhile, not "Page 2 of 2" of page 1's total: the label comes with the list.
    await page.getByText('Page 2 of 2 · 12 in all').waitFor();
    assert.equal(await headings.count(), 2);
    // The oldest (last) is the one read above: no "New", no button.
    const oldest = page.locator('.notification-list > li').last();
    assert.equal(await oldest.getByRole('button', { name: /^Mark as read/ }).count(), 0);

    await page.getByRole('button', { name: 'Mark all as read (11)' }).click();
    await page.getByText('All caught up: 11 marked as read.').waitFor();
    await bell('Notifications, none unread').waitFor();
    const unread = await call<{ meta: { total: number } }>('GET', '/me/notifications?unread=true', { token: me.token });
    assert.equal(unread.meta.total, 0);
    await assertFitsPhone(s, 'notifications after mark all', viewport);
    assert.deepEqual(s.problems, [], 'no console errors');
  });

  test(
    `${device}: forgot password → the emailed link → a new password; old tokens end, the link works once`,
    { timeout: 180_000, skip: MAIL_DIR ? false : 'E2E_MAIL_DIR not set: run through e2e/run-e2e.sh (file email backend)' },
    async () => {
      const s = await browser(viewport);
      const { page } = s;
      const me = await signupAndLogin('Rosalind');
      const before = countLinks(me.email);

      // No link in the address bar: no form, the way out instead.
      await page.goto(app('/reset-password'));
      await page.getByText('This link is invalid or has expired — ask for a new one.').waitFor();

      await page.goto(app('/login'));
      await page.getByRole('link', { name: 'Forgot password?' }).click();
      await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
      await checkA11y(page, `forgot password (${device})`);
      await assertFitsPhone(s, 'forgot password', viewport);

      // An unknown address and a known one get the same words.
      await page.getByLabel('Email').fill(`nobody-${tag().toLowerCase()}@example.com`);
      await page.getByRole('button', { name: 'Send me a link' }).click();
      const sent = page.locator('.notice-success');
      await sent.waitFor();
      const unknownWords = await sent.innerText();
      await page.goto(app('/forgot-password'));
      await page.getByLabel('Email').fill(me.email);
      await page.getByRole('button', { name: 'Send me a link' }).click();
      await sent.waitFor();
      assert.equal(await sent.innerText(), unknownWords);
      assert.match(unknownWords, /If an account uses that address/);
      await screenshot(page, `forgot-password-sent-${device}`);

      const mailed = new URL(await resetLinkFor(me.email, before));
      assert.equal(mailed.pathname, '/app/reset-password');
      const link = app(`/reset-password${mailed.search}`);

      await page.goto(link);
      await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
      // The secret leaves the address bar (and the history) once the page has it.
      await page.waitForURL((url) => url.pathname === '/app/reset-password' && url.search === '');
      assert.doesNotMatch(page.url(), /token=/);
      await checkA11y(page, `reset password (${device})`);
      await page.getByLabel('New password').fill('short');
      await page.getByRole('button', { name: 'Save the new password' }).click();
      await page.getByText('Use at least 8 characters for your password.').waitFor();
      // Focus is on the field to fix, not lost to the page (the button was disabled meanwhile).
      await page.waitForFunction(() => document.activeElement?.getAttribute('aria-invalid') === 'true', null, { timeout: 5_000 });
      assert.equal(await page.locator('.form-error, .form-errors').count(), 0, 'no summary repeating the field message');
      await checkA11y(page, `reset password, weak (${device})`);
      await assertFitsPhone(s, 'reset password', viewport);

      const fresh = 'a-brand-new-secret-42';
      await page.getByLabel('New password').fill(fresh);
      await page.getByRole('button', { name: 'Save the new password' }).click();
      await page.getByRole('heading', { name: 'Password changed' }).waitFor();
      await checkA11y(page, `password changed (${device})`);
      await screenshot(page, `password-changed-${device}`);

      // The reset ended the old access token.
      await assert.rejects(call('GET', '/auth/me', { token: me.token }), (e: unknown) => e instanceof ApiFailure && e.status === 401);

      // Log in with the new password (the address is filled in).
      await page.getByRole('link', { name: 'Log in' }).last().click();
      assert.equal(await page.getByLabel('Email').inputValue(), me.email);
      await page.getByLabel('Password').fill(fresh);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('button', { name: 'Log out' }).waitFor();

      // The link is spent.
      await page.goto(link);
      await page.waitForURL((url) => url.search === '');
      await page.getByLabel('New password').fill('yet-another-secret-42');
      await page.getByRole('button', { name: 'Save the new password' }).click();
      await page.getByText('This link is invalid or has expired — ask for a new one.').waitFor();
      await page.getByRole('link', { name: 'Ask for a new link' }).waitFor();
      await checkA11y(page, `reset password, spent link (${device})`);
      await assertFitsPhone(s, 'spent link', viewport);
      assert.deepEqual(s.problems, [], 'no console errors');
    },
  );
}
