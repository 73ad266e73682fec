import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, render, waitFor } from '@testing-library/react';
import { MemoryRouter, useLocation, type Location } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { request, tokenStore } from '../api/client';
import { keys } from '../hooks/queries';
import { AuthProvider, useAuth } from './AuthContext';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  tokenStore.clear();
});

const userA = { id: 1, name: 'Ada', email: 'ada@example.com', role: 'user' };
const userB = { id: 2, name: 'Bob', email: 'bob@example.com', role: 'user' };

function reply(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

/** fetch answering `METHOD /path` with the route's reply, given the Authorization header sent. */
function stubServer(routes: Record<string, (auth: string | undefined) => Response>) {
  const fetchMock = vi.fn((url: string, init: RequestInit) => {
    const path = new URL(url).pathname;
    const auth = (init.headers as Record<string, string>).Authorization;
    const route = routes[`${init.method ?? 'GET'} ${path}`];
    return Promise.resolve(route ? route(auth) : reply(404, { detail: 'Not found.' }));
  });
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

/** A cache as user A left it: their bookings, tickets and unread count, and public events. */
function cacheOfA(): QueryClient {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  client.setQueryData(keys.myBookings, [{ id: 7, event_id: 5, seat_labels: ['A-3'] }]);
  client.setQueryData(['tickets', 7], [{ code: 'SECRET-CODE-OF-A' }]);
  client.setQueryData(keys.unreadCount, 3);
  client.setQueryData(['attendees', 5], [{ name: 'Ada' }]);
  client.setQueryData(keys.event(5), { id: 5, name: 'Jazz Night' });
  client.setQueryData(keys.seats(5), [{ id: 1, label: 'A-3', reserved: true }]);
  return client;
}

function renderAuth(path: string, client: QueryClient) {
  const seen: { auth?: ReturnType<typeof useAuth>; location?: Location } = {};
  function Probe() {
    seen.auth = useAuth();
    seen.location = useLocation();
    return null;
  }
  render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[path]}>
        <AuthProvider>
          <Probe />
        </AuthProvider>
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return seen;
}

function userData(client: QueryClient) {
  return [client.getQueryData(keys.myBookings), client.getQueryData(['tickets', 7]), client.getQueryData(keys.unreadCount), client.getQueryData(['attendees', 5])];
}

describe('a token refused with 401', () => {
  it("forgets the last person's bookings, tickets and unread count, keeps public data", async () => {
    tokenStore.set('token-of-a');
    stubServer({
      'GET /auth/me': (auth) => (auth ? reply(401, { detail: 'Token expired' }) : reply(401, { detail: 'Authentication credentials were not provided.' })),
    });
    const client = cacheOfA();
    const seen = renderAuth('/events/5', client);
    await waitFor(() => expect(seen.auth?.expired).toBe(true));
    expect(seen.auth?.token).toBeNull();
    expect(userData(client)).toEqual([undefined, undefined, undefined, undefined]);
    expect(client.getQueryData(keys.event(5))).toEqual({ id: 5, name: 'Jazz Night' });
    expect(client.getQueryData(keys.seats(5))).toHaveLength(1);
  });

  it('on a read of a public page (the bell poll): stays on the page, logged out', async () => {
    tokenStore.set('token-of-a');
    stubServer({
      'GET /auth/me': () => reply(200, userA),
      'GET /me/notifications': () => reply(401, { detail: 'Token expired' }),
    });
    const seen = renderAuth('/events/5?x=1', cacheOfA());
    await waitFor(() => expect(seen.auth?.user).toEqual(userA));
    await act(async () => {
      await request('/me/notifications').catch(() => null);
    });
    expect(seen.auth?.token).toBeNull();
    expect(seen.auth?.expired).toBe(true);
    expect(`${seen.location?.pathname}${seen.location?.search}`).toBe('/events/5?x=1');
  });

  it('on something the person did (a booking): goes to login and will come back', async () => {
    tokenStore.set('token-of-a');
    stubServer({
      'GET /auth/me': () => reply(200, userA),
      'POST /events/5/book': () => reply(401, { detail: 'Token expired' }),
    });
    const seen = renderAuth('/events/5', cacheOfA());
    await waitFor(() => expect(seen.auth?.user).toEqual(userA));
    await act(async () => {
      await request('/events/5/book', { method: 'POST', body: { seat_ids: ['A-4'] } }).catch(() => null);
    });
    expect(`${seen.location?.pathname}${seen.location?.search}`).toBe('/login?next=%2Fevents%2F5&expired=1');
  });
});

describe('logging in', () => {
  it('forgets what the last person on this tab left in the cache', async () => {
    stubServer({
      'POST /auth/login': () => reply(200, { access_token: 'token-of-b' }),
      'GET /auth/me': (auth) => (auth === 'Bearer token-of-b' ? reply(200, userB) : reply(401, { detail: 'no' })),
    });
    const client = cacheOfA();
    const seen = renderAuth('/login', client);
    await act(async () => {
      await seen.auth!.login('bob@example.com', 'pw');
    });
    expect(seen.auth?.user).toEqual(userB);
    expect(userData(client)).toEqual([undefined, undefined, undefined, undefined]);
  });
});

describe('logging out', () => {
  it('forgets the person and their data', async () => {
    tokenStore.set('token-of-a');
    stubServer({ 'GET /auth/me': () => reply(200, userA) });
    const client = cacheOfA();
    const seen = renderAuth('/bookings', client);
    await waitFor(() => expect(seen.auth?.user).toEqual(userA));
    act(() => seen.auth!.logout());
    expect(seen.auth?.token).toBeNull();
    expect(tokenStore.get()).toBeNull();
    expect(userData(client)).toEqual([undefined, undefined, undefined, undefined]);
    expect(client.getQueryData(keys.event(5))).toBeDefined();
  });
});
