import { afterEach, describe, expect, it, vi } from 'vitest';
import { MutationObserver, QueryObserver, onlineManager } from '@tanstack/react-query';
import { ApiError } from './api/errors';
import { createQueryClient } from './queryClient';

afterEach(() => onlineManager.setOnline(true));

describe('the app’s query client when the browser says it is offline', () => {
  it('sends a booking or cancellation now and reports "no answer", instead of holding it as "Working…" and sending it whenever the connection is back', async () => {
    onlineManager.setOnline(false);
    const client = createQueryClient();
    const send = vi.fn(async () => {
      throw new ApiError(0, 'Network error');
    });
    const observer = new MutationObserver(client, { mutationFn: send });
    await expect(observer.mutate()).rejects.toBeInstanceOf(ApiError);
    expect(send).toHaveBeenCalledTimes(1);
    expect(observer.getCurrentResult().isPaused).toBe(false);
    // Back online later: nothing is sent behind the person's back.
    onlineManager.setOnline(true);
    await new Promise((r) => setTimeout(r, 10));
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('ends a page’s read with an error (which offers "Try again"), not "Loading…" for ever', async () => {
    onlineManager.setOnline(false);
    const client = createQueryClient();
    const read = vi.fn(async () => {
      throw new ApiError(0, 'Network error');
    });
    const observer = new QueryObserver(client, { queryKey: ['events'], queryFn: read, retryDelay: 1 });
    const settled = new Promise((resolve) => observer.subscribe((r) => r.status === 'error' && resolve(r.error)));
    expect(await settled).toBeInstanceOf(ApiError);
    expect(read).toHaveBeenCalledTimes(3); // two retries of "no answer", as online
  });
});
