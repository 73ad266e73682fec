/** Where the REST API lives: VITE_API_BASE, else localhost:8000 in dev and same origin in a build. */
export const API_BASE: string = (import.meta.env.VITE_API_BASE ?? __API_BASE_DEFAULT__).replace(/\/$/, '');

/** Client routes live under /app (Django answers every /app/... path with index.html). */
export const ROUTER_BASENAME = '/app';

/** Server default for BOOKING_MAX_QTY; the server is the authority, this only guides the UI. */
export const MAX_TICKETS_PER_BOOKING = 10;
