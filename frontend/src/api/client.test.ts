import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildUrl, onUnauthorized, request, tokenStore } from './client';
import { ApiError } from './errors';

function reply(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === null ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

afterEach(() => {
  vi.unstubAllGlobals();
  tokenStore.clear();
  onUnauthorized(null);
});

describe('request', () => {
  it('sends JSON with the bearer token and headers', async () => {
    tokenStore.set('tok');
    const fetchMock = vi.fn((_url: string, _init: RequestInit) => Promise.resolve(reply(200, { ok: true })));
    vi.stubGlobal('fetch', fetchMock);
    await expect(request('/events/1/book', { method: 'POST', body: { qty: 1 }, headers: { 'Idempotency-Key': 'k' } })).resolves.toEqual({ ok: true });
    const init = fetchMock.mock.calls[0]![1];
    expect(init.headers).toMatchObject({ Authorization: 'Bearer tok', 'Idempotency-Key': 'k', 'Content-Type': 'application/json' });
    expect(init.body).toBe('{"qty":1}');
  });

  it('maps an error body to ApiError', async () => {
    vi.stubGlobal('fetch', () => Promise.resolve(reply(422, { detail: 'Invalid', errors: { qty: ['Must be ≥ 1'] } })));
    const error = await request('/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 422, detail: 'Invalid', fieldErrors: { qty: ['Must be ≥ 1'] } });
  });

  it('turns a failed fetch into a network ApiError (status 0)', async () => {
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('Failed to fetch')));
    await expect(request('/x')).rejects.toMatchObject({ status: 0, isNetworkError: true });
  });

  it('on 401 with a token: forgets it and tells the listener', async () => {
    tokenStore.set('old');
    const listener = vi.fn();
    onUnauthorized(listener);
    vi.stubGlobal('fetch', () => Promise.resolve(reply(401, { detail: 'Token expired' })));
    await expect(request('/me/bookings')).rejects.toMatchObject({ status: 401 });
    expect(listener).toHaveBeenCalledOnce();
    expect(tokenStore.get()).toBeNull();
  });

  it('a late 401 for a token replaced since (the person logged in again) leaves the new session alone', async () => {
    tokenStore.set('old');
    const listener = vi.fn();
    onUnauthorized(listener);
    let answer: (r: Response) => void = () => undefined;
    vi.stubGlobal('fetch', (_url: string, init: RequestInit) =>
      (init.headers as Record<string, string>).Authorization === 'Bearer old' ? new Promise<Response>((ok) => (answer = ok)) : Promise.resolve(reply(401, { detail: 'Not authenticated' })),
    );
    const late = request('/me/notifications');
    await Promise.resolve();
    tokenStore.set('new'); // logged in while that read was on its way
    answer(reply(401, { detail: 'Token expired' }));
    await expect(late).rejects.toMatchObject({ status: 401 });
    expect(tokenStore.get()).toBe('new');
    expect(listener).not.toHaveBeenCalled();
  });

  it('a 401 after the refused token was already forgotten still tells the listener (a booking then goes to login)', async () => {
    tokenStore.set('old');
    const listener = vi.fn();
    onUnauthorized(listener);
    let answer: (r: Response) => void = () => undefined;
    vi.stubGlobal('fetch', () => new Promise<Response>((ok) => (answer = ok)));
    const booking = request('/events/1/book', { method: 'POST', body: { qty: 1 } });
    await Promise.resolve();
    tokenStore.clear(); // a read's 401 came first
    answer(reply(401, { detail: 'Token expired' }));
    await expect(booking).rejects.toMatchObject({ status: 401 });
    expect(listener.mock.calls).toEqual([[{ action: true }]]);
  });

  it('tells the listener whether the refused call was something the person did (a write)', async () => {
    const listener = vi.fn();
    onUnauthorized(listener);
    vi.stubGlobal('fetch', () => Promise.resolve(reply(401, { detail: 'Token expired' })));
    tokenStore.set('old');
    await expect(request('/events/1/book', { method: 'POST', body: { qty: 1 } })).rejects.toMatchObject({ status: 401 });
    tokenStore.set('old');
    await expect(request('/me/notifications')).rejects.toMatchObject({ status: 401 });
    expect(listener.mock.calls).toEqual([[{ action: true }], [{ action: false }]]);
  });

  it('asks a refused read again without the token: public data still comes', async () => {
    tokenStore.set('old');
    const fetchMock = vi.fn((_url: string, init: RequestInit) =>
      Promise.resolve((init.headers as Record<string, string>).Authorization ? reply(401, { detail: 'Token expired' }) : reply(200, { id: 5 })),
    );
    vi.stubGlobal('fetch', fetchMock);
    await expect(request('/events/5')).resolves.toEqual({ id: 5 });
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it('a 401 without a token (wrong password) does not redirect', async () => {
    const listener = vi.fn();
    onUnauthorized(listener);
    vi.stubGlobal('fetch', () => Promise.resolve(reply(401, { detail: 'Invalid credentials' })));
    await expect(request('/auth/login', { method: 'POST', body: {}, auth: false })).rejects.toMatchObject({ detail: 'Invalid credentials' });
    expect(listener).not.toHaveBeenCalled();
  });

  it('accepts an empty 204', async () => {
    vi.stubGlobal('fetch', () => Promise.resolve(new Response(null, { status: 204 })));
    await expect(request('/admin/events/1', { method: 'DELETE' })).resolves.toBeNull();
  });
});

describe('buildUrl', () => {
  it('drops empty parameters', () => {
    expect(buildUrl('/events', { page: 2, q: '', status: undefined, sort: 'name' })).toBe('http://localhost:8000/events?page=2&sort=name');
  });
});
