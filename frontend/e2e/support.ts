/** Shared helpers for the end-to-end specs: browser launch, API shortcuts, axe and screenshots. */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { Booking, BookingRequest, EventInput, EventItem, TokenResponse } from '../src/api/types.ts';

export const BASE_URL = (process.env.E2E_BASE_URL ?? 'http://127.0.0.1:8765').replace(/\/$/, '');
export const ADMIN_EMAIL = process.env.E2E_ADMIN_EMAIL ?? 'admin@example.com';
export const ADMIN_PASSWORD = process.env.E2E_ADMIN_PASSWORD ?? 'admin-password';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const here = dirname(fileURLToPath(import.meta.url));
export const SCREENSHOT_DIR = join(here, 'screenshots');

export const app = (path = '/'): string => `${BASE_URL}/app${path}`;

export function unique(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
}

/**
 * Next calendar year (UTC). Specs that need a fixed date in a given season (a winter date,
 * a summer date, in a zone with daylight saving) use it, so the date is always ahead of
 * today and the suite never ages into booking past events.
 */
export const NEXT_YEAR = new Date().getUTCFullYear() + 1;

/** A short tag that keeps names readable in screenshots but distinct across runs. */
export function tag(): string {
  return Math.random().toString(36).slice(2, 6).toUpperCase();
}

export interface Session {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions seen so far. */
  problems: string[];
  close: () => Promise<void>;
}

/**
 * A fresh headless Chromium (Debian's) with its own temporary profile, which the closed
 * network needs to start quickly, and a page that records console errors.
 */
export async function openBrowser(
  viewport = { width: 1280, height: 900 },
  /** The browser's own zone and locale (e.g. a visitor in America/Los_Angeles). */
  where: { timezoneId?: string; locale?: string } = {},
): Promise<Session> {
  const profile = mkdtempSync(join(tmpdir(), 'evently-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    ...where,
    acceptDownloads: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    // The browser itself logs every non-2xx fetch; the app shows those to the person on purpose.
    if (/Failed to load resource: the server responded with a status of (4\d\d)/.test(text)) return;
    problems.push(`console: ${text}`);
  });
  return {
    context,
    page,
    problems,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/**
 * Search the events list as a visitor types, and wait until the list shows that search's own
 * answer: the `q` in the address is the text, the server has answered that search, and the grid
 * is neither loading nor showing the previous answer (dimmed). Before then, cards of the
 * unfiltered list can match what a test waits for.
 *
 * The address alone is not enough: it changes before React renders the new search (the router
 * renders it as a transition), so right after it the previous answer is still on screen, not yet
 * dimmed. The search's request is sent only once the new search is rendered (dimmed), so after
 * its answer "not dimmed" means the answer is shown. `text` must be a search not made in the last
 * 15 s (a cached answer sends no request).
 */
export async function searchEvents(page: Page, text: string): Promise<void> {
  const answered = page.waitForResponse((r) => {
    const url = new URL(r.url());
    return r.request().method() === 'GET' && url.pathname.endsWith('/events') && url.searchParams.get('q') === text.trim();
  });
  await page.getByLabel('Search').fill(text);
  await page.waitForURL((url) => (url.searchParams.get('q') ?? '') === text);
  await answered;
  await page.waitForFunction(() => !document.querySelector('.card-grid.is-stale, [aria-busy="true"], .status-loading'));
}

/**
 * axe-core on the current page once it has settled (nothing `aria-busy`): fails on any serious or
 * critical violation. A page mid-fetch shows its previous answer dimmed, which is not what is judged.
 */
export async function checkA11y(page: Page, where: string): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length > 0) {
    const lines = bad.map((v) => `- [${v.impact}] ${v.id}: ${v.help} (${v.nodes.length}×: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')})`);
    throw new Error(`Accessibility violations on ${where}:\n${lines.join('\n')}`);
  }
}

// ---- API shortcuts (the other people in a scenario act through the REST API) ---------------

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`${what} → HTTP ${status}: ${JSON.stringify(body)}`);
  }
}

export async function call<T>(method: string, path: string, opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...(opts.headers ?? {}) };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  const res = await fetch(`${BASE_URL}${path}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const text = await res.text();
  const data: unknown = text ? JSON.parse(text) : null;
  if (!res.ok) throw new ApiFailure(res.status, data, `${method} ${path}`);
  return data as T;
}

export async function signupAndLogin(name: string): Promise<{ email: string; password: string; token: string }> {
  const email = `${unique(name.toLowerCase().replace(/\W+/g, ''))}@example.com`;
  const password = 'correct-horse-42';
  await call('POST', '/auth/signup', { body: { name, email, password } });
  const { access_token } = await call<TokenResponse>('POST', '/auth/login', { body: { email, password } });
  return { email, password, token: access_token };
}

export async function adminToken(): Promise<string> {
  const { access_token } = await call<TokenResponse>('POST', '/auth/login', { body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
  return access_token;
}

/** An event as the API returns it (the app's generated type). */
export type ApiEvent = EventItem;

export async function createEvent(token: string, fields: Partial<{ name: string; venue: string; capacity: number; daysAhead: number }> = {}): Promise<ApiEvent> {
  const start = new Date(Date.now() + (fields.daysAhead ?? 30) * 86_400_000);
  start.setUTCMinutes(0, 0, 0);
  const end = new Date(start.getTime() + 3 * 3_600_000);
  const body: EventInput = {
    name: fields.name ?? unique('Event'),
    venue: fields.venue ?? 'E2E Hall',
    start_time: start.toISOString(),
    end_time: end.toISOString(),
    capacity: fields.capacity ?? 20,
  };
  return call<ApiEvent>('POST', '/admin/events', { token, body });
}

export async function bookAs(token: string, eventId: number, body: BookingRequest): Promise<Booking> {
  return call('POST', `/events/${eventId}/book`, { token, body, headers: { 'Idempotency-Key': crypto.randomUUID() } });
}

/**
 * Wait until keyboard focus is on an element other than <body> whose text contains `text`
 * (a result, a message): focus was not lost when the control that had it went away.
 */
export async function waitForFocusOn(page: Page, text: string, timeout = 5_000): Promise<void> {
  await page
    .waitForFunction(
      (wanted) => {
        const el = document.activeElement;
        return !!el && el !== document.body && (el.textContent ?? '').includes(wanted);
      },
      text,
      { timeout },
    )
    .catch(async (error: unknown) => {
      const where = await page.evaluate(() => `<${document.activeElement?.tagName.toLowerCase()}> ${document.activeElement?.textContent?.slice(0, 80) ?? ''}`);
      throw new Error(`focus is not on "${text}" but on ${where}: ${String(error)}`);
    });
}

export async function loginInBrowser(page: Page, email: string, password: string): Promise<void> {
  await page.goto(app('/login'));
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((url) => !url.pathname.endsWith('/login'));
}
