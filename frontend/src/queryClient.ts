import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './api/errors';

/**
 * The app's one TanStack Query client (main.tsx).
 *
 * `networkMode: 'always'`: when the browser says it is offline, a request is still made and
 * fails at once as "no answer" (ApiError status 0), which every page already words and offers
 * to retry. TanStack's default ('online') pauses instead: a page said "Loading…" for as long as
 * the connection was down, and a booking or cancellation said "Working…", then was sent
 * whenever the connection came back, maybe long after the person had given up on it.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        networkMode: 'always',
        staleTime: 15_000,
        refetchOnWindowFocus: true,
        // Retry only what may be transient: no answer at all, or a 5xx.
        retry: (count, error) => count < 2 && error instanceof ApiError && (error.status === 0 || error.status >= 500),
      },
      mutations: { networkMode: 'always', retry: false },
    },
  });
}
