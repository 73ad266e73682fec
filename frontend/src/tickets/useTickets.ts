import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ticketsApi } from '../api/ticketEndpoints';

export const ticketKeys = {
  booking: (bookingId: number) => ['tickets', bookingId] as const,
  all: ['tickets'] as const,
};

/** The tickets of one booking (seat order), refreshed when the page regains focus. */
export function useBookingTickets(bookingId: number, enabled = true) {
  return useQuery({ queryKey: ticketKeys.booking(bookingId), queryFn: () => ticketsApi.bookingTickets(bookingId), enabled });
}

/**
 * The QR code of a ticket as an object URL (the SVG needs the bearer token, so it can't be
 * a plain <img src>). The URL is revoked when the code changes or the component goes away.
 */
export function useQrUrl(code: string): { url: string | null; failed: boolean } {
  const [state, setState] = useState<{ code: string; url: string | null; failed: boolean }>({ code, url: null, failed: false });
  useEffect(() => {
    const controller = new AbortController();
    let url: string | null = null;
    ticketsApi
      .qrSvg(code, controller.signal)
      .then((blob) => blob.text())
      .then((svg) => {
        if (controller.signal.aborted) return;
        url = URL.createObjectURL(new Blob([standaloneSvg(svg)], { type: 'image/svg+xml' }));
        setState({ code, url, failed: false });
      })
      .catch((error: unknown) => {
        if (error instanceof DOMException && error.name === 'AbortError') return;
        setState({ code, url: null, failed: true });
      });
    return () => {
      controller.abort();
      if (url) URL.revokeObjectURL(url);
    };
  }, [code]);
  return state.code === code ? { url: state.url, failed: state.failed } : { url: null, failed: false };
}

/**
 * The server sends a standalone SVG (with its `xmlns`). As an image file an SVG needs the
 * namespace, or the browser refuses to draw it: added if ever missing.
 */
export function standaloneSvg(svg: string): string {
  return /<svg\b[^>]*\sxmlns=/.test(svg) ? svg : svg.replace(/<svg\b/, '<svg xmlns="http://www.w3.org/2000/svg"');
}

/** Save a Blob under a file name (a temporary link with `download`). */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
