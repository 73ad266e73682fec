/**
 * The emailed password-reset link's `uid` and `token`. They are secret until used, so the
 * page takes them out of the address (where history, bookmarks and, on reload, the server's
 * access log would keep them) into this tab's sessionStorage, under one key that is cleared
 * once the password is changed. A reload finds them there.
 */
export const RESET_LINK_KEY = 'evently.passwordReset';

export interface ResetLink {
  uid: string;
  token: string;
}

function session(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.sessionStorage;
  } catch {
    return null; // storage blocked: the link then lives only in this page's memory
  }
}

/** The link in the address (`?uid=…&token=…`, either one counts), or null when it has none. */
export function resetLinkInAddress(params: URLSearchParams): ResetLink | null {
  const uid = params.get('uid');
  const token = params.get('token');
  if (uid === null && token === null) return null;
  return { uid: uid ?? '', token: token ?? '' };
}

/** Keep the link for this tab (a new link replaces an older or spent one). */
export function storeResetLink(link: ResetLink, storage: Storage | null = session()): void {
  try {
    storage?.setItem(RESET_LINK_KEY, JSON.stringify(link));
  } catch {
    // full or blocked: the page still has it in memory
  }
}

/** The link kept for this tab; empty strings when there is none (or it is unreadable). */
export function storedResetLink(storage: Storage | null = session()): ResetLink {
  try {
    const raw = storage?.getItem(RESET_LINK_KEY);
    const value: unknown = raw ? JSON.parse(raw) : null;
    if (value && typeof value === 'object') {
      const { uid, token } = value as Record<string, unknown>;
      if (typeof uid === 'string' && typeof token === 'string') return { uid, token };
    }
  } catch {
    // unreadable: as if there were none
  }
  return { uid: '', token: '' };
}

export function forgetResetLink(storage: Storage | null = session()): void {
  try {
    storage?.removeItem(RESET_LINK_KEY);
  } catch {
    // nothing to do
  }
}
