import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '../api/endpoints';
import { fingerprint, IdempotentSubmitter } from '../lib/idempotency';

afterEach(() => vi.unstubAllGlobals());

const booking = { id: 1, status: 'CONFIRMED', seat_labels: ['A-1'] };

/** The real client + submitter, with fetch stubbed: what goes on the wire. */
describe('booking over the wire', () => {
  it('retries a dropped request with the same Idempotency-Key, and the next booking gets a new one', async () => {
    const sent: string[] = [];
    const fetchMock = vi.fn((_url: string, init: RequestInit) => {
      sent.push((init.headers as Record<string, string>)['Idempotency-Key'] ?? '');
      if (sent.length === 1) return Promise.reject(new TypeError('Failed to fetch'));
      return Promise.resolve(new Response(JSON.stringify(booking), { status: 200 }));
    });
    vi.stubGlobal('fetch', fetchMock);
    const submitter = new IdempotentSubmitter(undefined, { retries: 2, delayMs: () => 0, sleep: () => Promise.resolve() });
    const body = { seat_ids: ['A-1'] };
    const send = (key: string) => api.book(5, body, key);

    await expect(submitter.submit(fingerprint(5, body), send)).resolves.toMatchObject({ id: 1 });
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent[1]).toBe(sent[0]);

    await submitter.submit(fingerprint(5, body), send);
    expect(sent[2]).not.toBe(sent[0]);
    expect(fetchMock.mock.calls[0]![0]).toMatch(/\/events\/5\/book$/);
  });
});
