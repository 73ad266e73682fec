import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { adminToken, app, call, createEvent, loginInBrowser, openBrowser, screenshot, signupAndLogin, tag, type ApiEvent, type Session } from '../support.ts';

let s: Session;
let event: ApiEvent;
let me: { email: string; password: string };

before(async () => {
  const admin = await adminToken();
  event = await createEvent(admin, { name: `Stadium Concert ${tag()}`, venue: 'Arena', capacity: 5000 });
  await call('POST', `/admin/events/${event.id}/seats/generate`, { token: admin, body: { rows: 100, cols: 50 } });
  me = await signupAndLogin('Katherine');
  s = await openBrowser({ width: 1366, height: 850 });
  await loginInBrowser(s.page, me.email, me.password);
});

after(async () => {
  await s?.close();
});

test('a 5,000-seat map renders and responds quickly, and works from the keyboard', { timeout: 120_000 }, async () => {
  const { page } = s;
  const started = Date.now();
  await page.goto(app(`/events/${event.id}`));
  await page.getByRole('button', { name: 'Seat CV-50, free' }).waitFor();
  const loadMs = Date.now() - started;
  assert.equal(await page.locator('button.seat').count(), 5000);

  // A string, not a function: tsx's helpers don't exist inside the page.
  const clickMs = await page.evaluate<number>(`(async () => {
    const seat = document.querySelector('button[aria-label="Seat AX-25, free"]');
    if (!seat) throw new Error('seat AX-25 missing');
    const t0 = performance.now();
    seat.click();
    while (!document.querySelector('button[aria-label="Seat AX-25, selected"]')) {
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    return performance.now() - t0;
  })()`);
  console.log(`# 5,000 seats: page ready in ${loadMs} ms, a click selects in ${clickMs.toFixed(1)} ms`);
  // ~0.1 s is the goal; loose, since the test machine is shared.
  assert.ok(clickMs < 400, `selecting a seat took ${clickMs} ms`);

  // Keyboard: from AX-25, down to AY-25 and pick it with Enter.
  await page.getByRole('button', { name: 'Seat AX-25, selected' }).focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.getByText('Selected: AX-25, AY-25').waitFor();
  // (axe runs on the seat map in the attendee spec; on 5,000 seats it takes long for nothing new.)
  await screenshot(page, 'big-seat-map');
  assert.deepEqual(s.problems, [], 'no console errors');
});

test('seat map: column numbers, row labels in view while scrolling sideways, stage centred over the seats in view', { timeout: 60_000 }, async () => {
  const { page } = s;
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(app(`/events/${event.id}`));
  await page.getByRole('button', { name: 'Seat A-1, free' }).waitFor();
  const numbers = await page.locator('.seat-cols .seat-col-number').allInnerTexts();
  assert.deepEqual(numbers, Array.from({ length: 50 }, (_, i) => String(i + 1)));

  for (const fraction of [0, 0.5, 1]) {
    const m = await page.evaluate<{ box: DOMRect; label: DOMRect; stage: DOMRect; firstSeat: DOMRect; colOfSeat: DOMRect }>(`(() => {
      const box = document.querySelector('.seat-map-scroll');
      box.scrollLeft = (box.scrollWidth - box.clientWidth) * ${fraction};
      const rect = (el) => el.getBoundingClientRect().toJSON();
      return {
        box: rect(box),
        label: rect(document.querySelector('.seat-row[aria-label="Row A"] .seat-row-label')),
        stage: rect(document.querySelector('.seat-map .stage')),
        firstSeat: rect(document.querySelector('button[aria-label^="Seat A-7,"]')),
        colOfSeat: rect(document.querySelectorAll('.seat-cols .seat-col-number')[6]),
      };
    })()`);
    // Row label A stays at the left edge of the view.
    assert.ok(m.label.left >= m.box.left - 1 && m.label.right <= m.box.left + 60, `row label in view at ${fraction}: ${JSON.stringify(m.label)}`);
    // The stage is centred over the seats in view (the view minus the row-label column).
    const seatsLeft = m.label.right;
    const viewCentre = (seatsLeft + m.box.right) / 2;
    const stageCentre = (m.stage.left + m.stage.right) / 2;
    assert.ok(Math.abs(stageCentre - viewCentre) < 16, `stage centre ${stageCentre} vs seats in view ${viewCentre} at ${fraction}`);
    // Column number 7 sits over seat 7.
    assert.ok(Math.abs(m.colOfSeat.left - m.firstSeat.left) < 1);
  }

  // On a phone the booking bar never covers the map, wherever the page is scrolled.
  await page.getByRole('button', { name: 'Seat A-2, free' }).click();
  for (let y = 0; y < 3000; y += 150) {
    await page.evaluate(`window.scrollTo(0, ${y})`);
    const overlap = await page.evaluate<number>(`(() => {
      const map = document.querySelector('.seat-map-scroll').getBoundingClientRect();
      const bar = document.querySelector('.selection-bar').getBoundingClientRect();
      return Math.max(0, Math.min(map.bottom, bar.bottom) - Math.max(map.top, bar.top));
    })()`);
    assert.equal(overlap, 0, `the booking bar covers ${overlap}px of the map at scroll ${y}`);
  }
  await page.getByRole('button', { name: 'Book 1 seat' }).scrollIntoViewIfNeeded();
  await screenshot(page, 'big-seat-map-phone');
  assert.deepEqual(s.problems, [], 'no console errors');
});
