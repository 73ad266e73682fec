import { buildUrl, tokenStore } from './client';
import { ApiError, apiErrorFrom } from './errors';

/** A file the API sends as an attachment: its bytes and the name it suggests. */
export interface Download {
  blob: Blob;
  filename: string;
}

/** The `filename` of a Content-Disposition header (plain or RFC 5987 `filename*=UTF-8''…`). */
export function filenameFrom(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      /* fall through */
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition);
  return plain?.[1]?.trim() || fallback;
}

/**
 * GET an attachment with the stored bearer token (a plain link can't send it). Throws
 * ApiError like every other call (status 0 when there is no answer).
 */
export async function fetchDownload(path: string, query: Record<string, string>, fallbackName: string): Promise<Download> {
  const token = tokenStore.get();
  let response: Response;
  try {
    response = await fetch(buildUrl(path, query), { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  } catch {
    throw new ApiError(0, 'Network error');
  }
  if (!response.ok) {
    let data: unknown = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    throw apiErrorFrom(response.status, data, response.headers.get('Retry-After'));
  }
  return { blob: await response.blob(), filename: filenameFrom(response.headers.get('Content-Disposition'), fallbackName) };
}

/** Hands a blob to the browser as a saved file. */
export function saveBlob({ blob, filename }: Download): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
