import { API_BASE } from '../config';
import { ApiError, apiErrorFrom } from './errors';

const TOKEN_KEY = 'evently.token';

/**
 * `action`: the refused call was something the person did (a write: booking, cancelling,
 * marking read), not a read the app made by itself (a page's data, the bell's poll).
 */
export interface Unauthorized {
  action: boolean;
}
type UnauthorizedListener = (cause: Unauthorized) => void;
let unauthorizedListener: UnauthorizedListener | null = null;

export const tokenStore = {
  get(): string | null {
    try {
      return localStorage.getItem(TOKEN_KEY);
    } catch {
      return null;
    }
  },
  set(token: string): void {
    localStorage.setItem(TOKEN_KEY, token);
  },
  clear(): void {
    localStorage.removeItem(TOKEN_KEY);
  },
  /**
   * Calls `listener` with the stored token whenever another tab of this browser logs in or
   * out (or a 401 there forgets the token): every request reads the stored token, so this tab
   * is that person from now on and must say so. Returns the unsubscribe function.
   */
  onOtherTab(listener: (token: string | null) => void): () => void {
    const onStorage = (event: StorageEvent) => {
      // key null: the whole storage was cleared.
      if (event.key === TOKEN_KEY || event.key === null) listener(tokenStore.get());
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  },
};

/** Called whenever an authenticated call answers 401 (expired or invalid token); the token is already forgotten. */
export function onUnauthorized(listener: UnauthorizedListener | null): void {
  unauthorizedListener = listener;
}

/**
 * `token` was refused (401): forget it and tell the listener, unless another token is stored
 * by now. A request made with the token that had expired can answer after the person has
 * logged in again (on this tab or another): its 401 is about the old session, and must not end
 * the new one.
 */
function refused(token: string, cause: Unauthorized): void {
  const stored = tokenStore.get();
  if (stored !== null && stored !== token) return;
  tokenStore.clear();
  unauthorizedListener?.(cause);
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Query;
  headers?: Record<string, string>;
  /** Send the bearer token (default true when one is stored). */
  auth?: boolean;
  signal?: AbortSignal;
}

export function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return `${API_BASE}${path}${qs ? `?${qs}` : ''}`;
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/**
 * One JSON request against the contract; throws ApiError for every failure. A read refused
 * with 401 because of the token is asked again without it: public data (events, seats) still
 * comes, a private read gets its 401 again.
 */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = 'GET', body, query, headers = {}, auth = true, signal } = options;
  const token = auth ? tokenStore.get() : null;
  const finalHeaders: Record<string, string> = { Accept: 'application/json', ...headers };
  if (body !== undefined) finalHeaders['Content-Type'] = 'application/json';
  if (token) finalHeaders.Authorization = `Bearer ${token}`;

  let response: Response;
  try {
    response = await fetch(buildUrl(path, query), {
      method,
      headers: finalHeaders,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'Network error');
  }

  const data = await readJson(response);
  if (!response.ok) {
    const error = apiErrorFrom(response.status, data, response.headers.get('Retry-After'));
    if (response.status === 401 && token) {
      refused(token, { action: method !== 'GET' });
      if (method === 'GET') return request<T>(path, { ...options, auth: false });
    }
    throw error;
  }
  return data as T;
}

/**
 * A file the API serves only to its owner (a QR code SVG, a calendar file): fetched with the
 * bearer token and returned as a Blob, for an object URL or a download. Errors as `request`.
 */
export async function requestBlob(path: string, options: { signal?: AbortSignal; accept?: string } = {}): Promise<Blob> {
  const token = tokenStore.get();
  const headers: Record<string, string> = { Accept: options.accept ?? '*/*' };
  if (token) headers.Authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(buildUrl(path), { headers, signal: options.signal });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'Network error');
  }
  if (!response.ok) {
    const error = apiErrorFrom(response.status, await readJson(response), response.headers.get('Retry-After'));
    if (response.status === 401 && token) refused(token, { action: false });
    throw error;
  }
  return response.blob();
}
