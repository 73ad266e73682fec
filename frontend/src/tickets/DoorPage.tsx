import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useId, useRef, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../api/endpoints';
import { ApiError, explainError } from '../api/errors';
import { ticketsApi } from '../api/ticketEndpoints';
import { useAuth } from '../auth/AuthContext';
import { ErrorNotice, Loading } from '../components/Status';
import { keys, useEvent } from '../hooks/queries';
import { useDebounced } from '../hooks/useDebounced';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { MAX_SEARCH } from '../lib/eventFilters';
import { IdempotentSubmitter } from '../lib/idempotency';
import { normalizeCode, outcomeHeadline, outcomeOf, RepeatFilter, type ScanOutcome } from '../lib/checkin';
import { formatInZone } from '../lib/zonedTime';
import { CameraScanner } from './CameraScanner';
import './tickets.css';

const ICON = { ok: '✓', warn: '⚠', bad: '✕' } as const;

interface Shown {
  n: number;
  at: Date;
  outcome: ScanOutcome;
  /** Set once a mistaken admit was undone. */
  undone?: boolean;
}

function ResultPanel({ shown, onUndo, undoing, undoError }: { shown: Shown | null; onUndo: () => void; undoing: boolean; undoError: unknown }) {
  if (!shown) {
    return (
      <div className="scan-result scan-idle">
        <p>Scan or type a ticket code. The result shows here.</p>
      </div>
    );
  }
  const { outcome } = shown;
  if (shown.undone && outcome.kind === 'admitted') {
    return (
      <div className="scan-result scan-idle">
        <h2>UNDONE</h2>
        <p>
          Seat {outcome.seat} ({outcome.holder}) is not checked in any more: the ticket is valid again.
        </p>
      </div>
    );
  }
  const { title, tone } = outcomeHeadline(outcome);
  return (
    <div className={`scan-result scan-${tone}`} data-outcome={outcome.kind}>
      <h2>
        <span className="scan-icon" aria-hidden="true">
          {ICON[tone]}
        </span>
        {title}
      </h2>
      {outcome.kind === 'admitted' && (
        <>
          <p>
            Seat <strong>{outcome.seat}</strong> · {outcome.holder}
          </p>
          <button type="button" className="btn" onClick={onUndo} disabled={undoing}>
            {undoing ? 'Undoing…' : 'Undo this admit'}
          </button>
          {undoError !== null && <p role="alert">{explainError(undoError)}</p>}
        </>
      )}
      {outcome.kind === 'already' && <p>Do not admit again. This ticket was already used.</p>}
      {outcome.kind === 'void' && <p>The booking was cancelled. Do not admit.</p>}
      {outcome.kind === 'other-event' && <p>This ticket is for another event. Do not admit.</p>}
      {outcome.kind === 'not-found' && <p>No ticket has this code. Check the code or ask for the booking.</p>}
      {outcome.kind === 'error' && <p>{outcome.message}</p>}
      <p className="scan-code">
        Scan {shown.n} · code {outcome.code}
      </p>
    </div>
  );
}

/** "admitted N of M sold": the analytics figure for admins, this device's count for door staff. */
function Counter({ eventId, isAdmin, sessionAdmits }: { eventId: number; isAdmin: boolean; sessionAdmits: number }) {
  const event = useEvent(eventId);
  // Door staff can't read analytics (403): only admins ask for it.
  const analytics = useQuery({ queryKey: keys.analytics, queryFn: () => api.analytics(false), enabled: isAdmin });
  const sold = event.data?.booked_count;
  const row = isAdmin ? analytics.data?.events.find((e) => e.id === eventId) : undefined;
  if (sold === undefined) return null;
  if (isAdmin && row) {
    return (
      <p className="door-counter" role="status" aria-live="polite">
        Admitted <strong>{row.checked_in_count}</strong> of {sold} sold
      </p>
    );
  }
  return (
    <p className="door-counter" role="status" aria-live="polite">
      Admitted <strong>{sessionAdmits}</strong> of {sold} sold <span className="muted">(on this device since the page opened)</span>
    </p>
  );
}

function EventPicker({ eventId, onPick }: { eventId: number | null; onPick: (id: number | null) => void }) {
  const [q, setQ] = useState('');
  const search = useDebounced(q.trim(), 250);
  const since = useRef(new Date(Date.now() - 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z')).current;
  const query = { q: search || undefined, date_from: since, sort: 'start_time' as const, order: 'asc' as const, page_size: 100, status: 'active' as const };
  const events = useQuery({ queryKey: keys.events(query), queryFn: () => api.events(query) });
  const current = useQuery({ queryKey: keys.event(eventId ?? 0), queryFn: () => api.event(eventId ?? 0), enabled: eventId !== null });
  const items = events.data?.items ?? [];
  const options = eventId !== null && current.data && !items.some((e) => e.id === eventId) ? [current.data, ...items] : items;
  const searchId = useId();
  const pickId = useId();
  return (
    <div className="door-event">
      <div className="field">
        <label htmlFor={searchId}>Find an event</label>
        <input id={searchId} type="search" value={q} maxLength={MAX_SEARCH} onChange={(e) => setQ(e.target.value)} placeholder="Name or venue" />
      </div>
      <div className="field">
        <label htmlFor={pickId}>Event at this door</label>
        <select id={pickId} value={eventId ?? ''} onChange={(e) => onPick(e.target.value ? Number(e.target.value) : null)}>
          <option value="">Choose an event…</option>
          {options.map((e) => (
            <option key={e.id} value={e.id}>
              {/* In the event's zone, named (the door is at the venue): "Fri, Jan 10, 2031, 20:30 CET". */}
              {e.name} · {formatInZone(e.start_time, e.timezone).text}
            </option>
          ))}
        </select>
      </div>
      {events.isError && <ErrorNotice error={events.error} onRetry={() => void events.refetch()} />}
    </div>
  );
}

/** `/door`: door staff (role checkin) and admins admit tickets by QR code or typed code. */
export default function DoorPage() {
  useDocumentTitle('Door check-in');
  const { user } = useAuth();
  const [params, setParams] = useSearchParams();
  const raw = Number(params.get('event'));
  const eventId = Number.isInteger(raw) && raw > 0 ? raw : null;
  const queryClient = useQueryClient();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [shown, setShown] = useState<Shown | null>(null);
  const [log, setLog] = useState<Shown[]>([]);
  const [sessionAdmits, setSessionAdmits] = useState(0);
  const [undoing, setUndoing] = useState(false);
  const [undoError, setUndoError] = useState<unknown>(null);
  const scans = useRef(0);
  const busyRef = useRef(false);
  const repeats = useRef(new RepeatFilter(3000));
  const input = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const isAdmin = user?.role === 'admin';
  // An old or mistyped `?event=`: every scan would be refused as if the ticket were unknown.
  const chosen = useQuery({ queryKey: keys.event(eventId ?? 0), queryFn: () => api.event(eventId ?? 0), enabled: eventId !== null });
  const unknownEvent = chosen.error instanceof ApiError && chosen.error.status === 404;

  const refreshCounts = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: keys.analytics });
  }, [queryClient]);

  const scan = useCallback(
    async (text: string) => {
      const value = normalizeCode(text);
      if (!value || eventId === null || busyRef.current) return false;
      busyRef.current = true;
      setBusy(true);
      setUndoError(null);
      let outcome: ScanOutcome;
      try {
        // One key per scan, reused only when the same scan is retried after no answer / 503.
        const result = await new IdempotentSubmitter().submit(JSON.stringify([eventId, value]), (key) => ticketsApi.checkIn(eventId, value, key));
        outcome = outcomeOf(value, { result });
      } catch (error) {
        outcome = outcomeOf(value, { error });
      } finally {
        busyRef.current = false;
        setBusy(false);
      }
      scans.current += 1;
      const entry: Shown = { n: scans.current, at: new Date(), outcome };
      setShown(entry);
      setLog((l) => [entry, ...l].slice(0, 8));
      if (outcome.kind === 'admitted') {
        setSessionAdmits((n) => n + 1);
        refreshCounts();
      }
      return true;
    },
    [eventId, refreshCounts],
  );

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void scan(code).then((sent) => {
      if (sent) setCode('');
      input.current?.focus();
    });
  };

  const onCamera = useCallback(
    (value: string) => {
      const normal = normalizeCode(value);
      if (normal && repeats.current.accept(normal, Date.now())) void scan(normal);
    },
    [scan],
  );

  const undo = () => {
    if (!shown || shown.outcome.kind !== 'admitted' || eventId === null) return;
    const target = shown;
    setUndoing(true);
    setUndoError(null);
    ticketsApi
      .undoCheckIn(eventId, target.outcome.code)
      .then(() => {
        const undone = { ...target, undone: true };
        setShown(undone);
        setLog((l) => l.map((x) => (x.n === target.n ? undone : x)));
        setSessionAdmits((n) => Math.max(0, n - 1));
        refreshCounts();
        input.current?.focus();
      })
      .catch((error: unknown) => setUndoError(error))
      .finally(() => setUndoing(false));
  };

  if (!user) return <Loading label="Checking your session…" />;
  if (user.role !== 'admin' && user.role !== 'checkin') {
    return (
      <section className="page">
        <h1>Door staff only</h1>
        <p>This page is for the people checking tickets at the door. Your account can browse and book events.</p>
      </section>
    );
  }

  return (
    <section className="page door">
      <h1>Door check-in</h1>
      <EventPicker
        eventId={eventId}
        onPick={(id) => {
          setShown(null);
          setLog([]);
          setSessionAdmits(0);
          setParams(id === null ? {} : { event: String(id) }, { replace: true });
        }}
      />
      {eventId === null ? (
        <p className="muted">Choose the event you are admitting people to.</p>
      ) : unknownEvent ? (
        <p role="alert">There is no event number {eventId}: the link may be old or mistyped. Choose the event you are admitting people to.</p>
      ) : (
        <>
          <Counter eventId={eventId} isAdmin={isAdmin} sessionAdmits={sessionAdmits} />
          <form className="door-form" onSubmit={onSubmit}>
            <div className="field">
              <label htmlFor={inputId}>Ticket code</label>
              <input
                id={inputId}
                ref={input}
                value={code}
                onChange={(e) => setCode(e.target.value)}
                autoComplete="off"
                autoCapitalize="off"
                autoCorrect="off"
                spellCheck={false}
                enterKeyHint="go"
                // The door is this page's one job: the field is ready to type into or for a scanner gun.
                autoFocus
              />
            </div>
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {busy ? 'Checking…' : 'Check in'}
            </button>
          </form>
          <CameraScanner onCode={onCamera} paused={busy} />
          <div aria-live="assertive" aria-atomic="true">
            <ResultPanel shown={shown} onUndo={undo} undoing={undoing} undoError={undoError} />
          </div>
          {log.length > 1 && (
            <section aria-label="Recent scans">
              <h2>Recent scans</h2>
              <ul className="scan-log">
                {log.map((entry) => (
                  <li key={entry.n}>
                    <strong>{entry.undone ? 'UNDONE' : outcomeHeadline(entry.outcome).title}</strong>
                    {entry.outcome.kind === 'admitted' && <span>seat {entry.outcome.seat}</span>}
                    <span className="muted">{entry.at.toLocaleTimeString()}</span>
                  </li>
                ))}
              </ul>
            </section>
          )}
        </>
      )}
    </section>
  );
}
