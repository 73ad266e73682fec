import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/errors';
import { fingerprint, IdempotentSubmitter, isRetryable, type RetryPolicy } from './idempotency';

function keys(): () => string {
  let n = 0;
  return () => `key-${++n}`;
}

const noWait: RetryPolicy = { retries: 2, delayMs: () => 0, sleep: () => Promise.resolve() };
const body = fingerprint(7, { seat_ids: ['A-1', 'A-2'] });

describe('IdempotentSubmitter', () => {
  it('sends one key per attempt and a new key for the next attempt', async () => {
    const s = new IdempotentSubmitter(keys(), noWait);
    const send = vi.fn((key: string) => Promise.resolve(key));
    await expect(s.submit(body, send)).resolves.toBe('key-1');
    await expect(s.submit(body, send)).resolves.toBe('key-2');
    expect(send.mock.calls.map((c) => c[0])).toEqual(['key-1', 'key-2']);
  });

  it('reuses the same key when a network error forces an automatic retry', async () => {
    const s = new IdempotentSubmitter(keys(), noWait);
    const send = vi
      .fn<(key: string) => Promise<string>>()
      .mockRejectedValueOnce(new ApiError(0, 'Network error'))
      .mockRejectedValueOnce(new ApiError(503, 'Event is busy, retry', {}, 0))
      .mockResolvedValueOnce('booked');
    await expect(s.submit(body, send)).resolves.toBe('booked');
    expect(send.mock.calls.map((c) => c[0])).toEqual(['key-1', 'key-1', 'key-1']);
  });

  it('keeps the key for a manual retry after retries are exhausted, then moves on', async () => {
    const s = new IdempotentSubmitter(keys(), { ...noWait, retries: 1 });
    const offline = vi.fn((_key: string) => Promise.reject(new ApiError(0, 'Network error')));
    await expect(s.submit(body, offline)).rejects.toMatchObject({ status: 0 });
    expect(offline).toHaveBeenCalledTimes(2);
    const online = vi.fn((key: string) => Promise.resolve(key));
    await expect(s.submit(body, online)).resolves.toBe('key-1');
    await expect(s.submit(body, online)).resolves.toBe('key-2');
  });

  it('starts a new attempt (new key) when the request changes after a network error', async () => {
    const s = new IdempotentSubmitter(keys(), { ...noWait, retries: 0 });
    await expect(s.submit(body, () => Promise.reject(new ApiError(0, 'x')))).rejects.toBeInstanceOf(ApiError);
    const other = fingerprint(7, { qty: 2, waitlist: true });
    await expect(s.submit(other, (k) => Promise.resolve(k))).resolves.toBe('key-2');
  });

  it('does not retry a definitive error and uses a new key afterwards', async () => {
    const s = new IdempotentSubmitter(keys(), noWait);
    const conflict = vi.fn((_key: string) => Promise.reject(new ApiError(409, 'Not enough seats available: 0 left')));
    await expect(s.submit(body, conflict)).rejects.toMatchObject({ status: 409 });
    expect(conflict).toHaveBeenCalledTimes(1);
    await expect(s.submit(body, (k) => Promise.resolve(k))).resolves.toBe('key-2');
  });

  it('joins the in-flight request on a double submit instead of sending twice', async () => {
    const s = new IdempotentSubmitter(keys(), noWait);
    let resolve!: (v: string) => void;
    const send = vi.fn((_key: string) => new Promise<string>((r) => (resolve = r)));
    const first = s.submit(body, send);
    const second = s.submit(body, send);
    expect(s.isSubmitting).toBe(true);
    resolve('booked');
    await expect(Promise.all([first, second])).resolves.toEqual(['booked', 'booked']);
    expect(send).toHaveBeenCalledTimes(1);
    expect(s.isSubmitting).toBe(false);
  });

  it('waits Retry-After seconds on 503 with the default policy shape', async () => {
    const sleep = vi.fn(() => Promise.resolve());
    const s = new IdempotentSubmitter(keys(), { retries: 1, delayMs: (_r, e) => (e.retryAfter ?? 0) * 1000, sleep });
    const send = vi
      .fn<(key: string) => Promise<string>>()
      .mockRejectedValueOnce(new ApiError(503, 'Event is busy, retry', {}, 2))
      .mockResolvedValueOnce('ok');
    await s.submit(body, send);
    expect(sleep).toHaveBeenCalledWith(2000);
  });
});

describe('isRetryable', () => {
  it('is true only for no answer and 503', () => {
    expect(isRetryable(new ApiError(0, 'x'))).toBe(true);
    expect(isRetryable(new ApiError(503, 'x'))).toBe(true);
    expect(isRetryable(new ApiError(500, 'x'))).toBe(false);
    expect(isRetryable(new ApiError(409, 'x'))).toBe(false);
    expect(isRetryable(new Error('x'))).toBe(false);
  });
});

describe('default key factory', () => {
  it('makes distinct UUIDs', async () => {
    const { randomKey } = await import('./idempotency');
    const a = randomKey();
    expect(a).toMatch(/^[0-9a-f-]{36}$/);
    expect(randomKey()).not.toBe(a);
  });
});
