/**
 * Idempotency keys for bookings.
 *
 * One booking attempt = one `Idempotency-Key`, created once (crypto.randomUUID). When the
 * request never got an answer (network error) or the server said "busy, retry" (503), the
 * same request is retried with the same key, so the server can answer with the booking it
 * may already have made instead of making a second one. A definitive answer (success or any
 * other HTTP error) ends the attempt: the next booking gets a new key. A second submit while
 * one is in flight joins it instead of sending again (double-click guard).
 */
import { ApiError } from '../api/errors';

export type KeyFactory = () => string;

export const randomKey: KeyFactory = () => crypto.randomUUID();

export interface RetryPolicy {
  /** Automatic retries after the first try (network error / 503 only). */
  retries: number;
  /** Delay before retry number `retry` (1-based). */
  delayMs: (retry: number, error: ApiError) => number;
  sleep: (ms: number) => Promise<void>;
}

export const defaultRetryPolicy: RetryPolicy = {
  retries: 2,
  delayMs: (retry, error) => (error.retryAfter !== null ? error.retryAfter * 1000 : 400 * 2 ** (retry - 1)),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** A failure after which the same request may safely be sent again with the same key. */
export function isRetryable(error: unknown): error is ApiError {
  return error instanceof ApiError && (error.status === 0 || error.status === 503);
}

/** Stable identity of a request: same event and same body ⇒ same attempt. */
export function fingerprint(eventId: number, body: unknown): string {
  return JSON.stringify([eventId, body]);
}

export class IdempotentSubmitter {
  private pending: { key: string; fingerprint: string } | null = null;
  private inFlight: Promise<unknown> | null = null;
  private readonly newKey: KeyFactory;
  private readonly policy: RetryPolicy;

  constructor(newKey: KeyFactory = randomKey, policy: RetryPolicy = defaultRetryPolicy) {
    this.newKey = newKey;
    this.policy = policy;
  }

  /** The key a request with this fingerprint would be sent with now. */
  keyFor(requestFingerprint: string): string {
    if (!this.pending || this.pending.fingerprint !== requestFingerprint) {
      this.pending = { key: this.newKey(), fingerprint: requestFingerprint };
    }
    return this.pending.key;
  }

  get isSubmitting(): boolean {
    return this.inFlight !== null;
  }

  /** Forget an unresolved attempt (e.g. the person changed their mind). */
  reset(): void {
    this.pending = null;
  }

  submit<T>(requestFingerprint: string, send: (key: string) => Promise<T>): Promise<T> {
    if (this.inFlight) return this.inFlight as Promise<T>;
    const key = this.keyFor(requestFingerprint);
    const run = async (): Promise<T> => {
      for (let retry = 1; ; retry += 1) {
        try {
          const result = await send(key);
          this.pending = null;
          return result;
        } catch (error) {
          if (isRetryable(error)) {
            if (retry <= this.policy.retries) {
              await this.policy.sleep(this.policy.delayMs(retry, error));
              continue;
            }
            // Still unanswered: keep the key so a manual "try again" reuses it.
            throw error;
          }
          this.pending = null;
          throw error;
        }
      }
    };
    const promise = run().finally(() => {
      this.inFlight = null;
    });
    this.inFlight = promise;
    return promise;
  }
}
