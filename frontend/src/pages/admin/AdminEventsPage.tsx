import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { EventItem } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EventTime } from '../../components/EventTime';
import { SaleBadge } from '../../components/SaleBadge';
import { EventFiltersBar } from '../../components/EventFiltersBar';
import { Modal } from '../../components/Modal';
import { PagedList } from '../../components/PagedList';
import { Empty, ErrorNotice, Notice } from '../../components/Status';
import { useCreateEvent, useDeactivateEvent, useDeleteEvent, useEvents, useGenerateSeats, useSeats, useUpdateEvent } from '../../hooks/queries';
import { useDocumentTitle } from '../../hooks/useDocumentTitle';
import { filtersFromParams, filtersToParams, filtersToQuery, type EventFilters } from '../../lib/eventFilters';
import { formatPct } from '../../lib/format';
import { EventForm, eventPatch } from './EventForm';
import { GenerateSeatsForm } from './GenerateSeatsForm';

const PAGE_SIZE = 20;

type Dialog =
  | { kind: 'create' }
  | { kind: 'edit'; event: EventItem }
  | { kind: 'seats'; event: EventItem }
  | { kind: 'delete'; event: EventItem }
  | null;

/** Why an event can't be deleted (DELETE answers 409 for any booking), or null when it can. */
export function whyNotDeletable(event: EventItem): string | null {
  if ((event.booked_count ?? 0) > 0 || (event.waitlisted_count ?? 0) > 0) {
    return `${event.name} has bookings, so it can't be deleted. Deactivate it instead: it disappears from sale and its bookings are kept.`;
  }
  return null;
}

/**
 * "Seats" (generate a grid) only for an event without a seat map: generating again can only
 * fail. An event with a booking always has one (the first booking lays it out); otherwise the
 * seat list tells (it is the same query the event page uses, so it is cached).
 */
function SeatsAction({ event, onClick }: { event: EventItem; onClick: () => void }) {
  const booked = (event.booked_count ?? 0) > 0;
  const seats = useSeats(event.id, !booked);
  if (booked || !seats.data || seats.data.length > 0) return null;
  return (
    <button type="button" className="btn btn-small" onClick={onClick} aria-label={`Generate seats for ${event.name}`}>
      Seats
    </button>
  );
}

export function AdminEventsPage() {
  useDocumentTitle('Manage events');
  const [params, setParams] = useSearchParams();
  const filters = filtersFromParams(params, '', 'all');
  const update = (next: EventFilters) => setParams(filtersToParams(next, '', 'all'), { replace: true });
  const events = useEvents(filtersToQuery(filters, PAGE_SIZE));

  const create = useCreateEvent();
  const edit = useUpdateEvent();
  const deactivate = useDeactivateEvent();
  const remove = useDeleteEvent();
  const seats = useGenerateSeats();
  const [dialog, setDialogState] = useState<Dialog>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const [rowError, setRowError] = useState<unknown>(null);
  const [explain, setExplain] = useState<string | null>(null);

  const setDialog = (d: Dialog) => {
    [create, edit, remove, seats].forEach((m) => m.reset());
    setDialogState(d);
  };
  const close = () => setDialog(null);
  const done = (message: string) => {
    setExplain(null);
    setFlash(message);
    setDialogState(null);
  };

  const toggleStatus = (event: EventItem) => {
    setFlash(null);
    setExplain(null);
    setRowError(null);
    const opts = { onSuccess: (e: EventItem) => setFlash(`${e.name} is now ${e.status}.`), onError: setRowError };
    if (event.status === 'active') deactivate.mutate(event.id, opts);
    else edit.mutate({ id: event.id, patch: { status: 'active' } }, opts);
  };

  return (
    <section className="page">
      <div className="page-head">
        <h1>Manage events</h1>
        <button type="button" className="btn btn-primary" onClick={() => setDialog({ kind: 'create' })}>
          + New event
        </button>
      </div>
      {flash && <Notice kind="success">{flash}</Notice>}
      {rowError !== null && <ErrorNotice error={rowError} />}
      {explain && <Notice kind="warning">{explain}</Notice>}
      <EventFiltersBar value={filters} onChange={update} />
      <PagedList
        query={events}
        page={filters.page}
        pageSize={PAGE_SIZE}
        onPage={(page) => update({ ...filters, page })}
        loadingLabel="Loading events…"
        className="table-scroll"
        empty={<Empty title="No events here yet." />}
      >
        {(items) => (
          <table className="table compact admin-events">
            <caption className="visually-hidden">Events</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Venue</th>
                <th scope="col">Starts</th>
                <th scope="col" className="num">Capacity</th>
                <th scope="col" className="num">Booked</th>
                <th scope="col" className="num">Waitlist</th>
                <th scope="col">Status</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <tr key={e.id}>
                  <th scope="row" className="cell-name">
                    <Link to={`/events/${e.id}`} title={e.name}>
                      {e.name}
                    </Link>
                  </th>
                  <td className="cell-venue">
                    <span title={e.venue}>{e.venue}</span>
                  </td>
                  <td>
                    <EventTime iso={e.start_time} zone={e.timezone} compact />
                  </td>
                  <td className="num">{e.capacity}</td>
                  <td className="num">
                    {e.booked_count} <span className="muted">({formatPct(e.utilization_pct)})</span>
                  </td>
                  <td className="num">{e.waitlisted_count}</td>
                  <td>
                    <SaleBadge state={e.sale_state} />
                  </td>
                  <td>
                    <div className="actions">
                      <button type="button" className="btn btn-small" onClick={() => setDialog({ kind: 'edit', event: e })} aria-label={`Edit ${e.name}`}>
                        Edit
                      </button>
                      <SeatsAction event={e} onClick={() => setDialog({ kind: 'seats', event: e })} />
                      <Link className="btn btn-small" to={`/admin/events/${e.id}/attendees`} aria-label={`Attendees of ${e.name}`}>
                        Attendees
                      </Link>
                      <button
                        type="button"
                        className="btn btn-small"
                        onClick={() => toggleStatus(e)}
                        disabled={deactivate.isPending || edit.isPending}
                        aria-label={`${e.status === 'active' ? 'Deactivate' : 'Activate'} ${e.name}`}
                      >
                        {e.status === 'active' ? 'Deactivate' : 'Activate'}
                      </button>
                      {whyNotDeletable(e) === null ? (
                        <button type="button" className="btn btn-small btn-danger-outline" onClick={() => setDialog({ kind: 'delete', event: e })} aria-label={`Delete ${e.name}`}>
                          Delete
                        </button>
                      ) : (
                        <button
                          type="button"
                          className="btn btn-small btn-danger-outline"
                          aria-disabled="true"
                          aria-label={`Delete ${e.name} (unavailable: it has bookings)`}
                          title="It has bookings: deactivate it instead"
                          onClick={() => {
                            setRowError(null);
                            setFlash(null);
                            setExplain(whyNotDeletable(e));
                          }}
                        >
                          Delete
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </PagedList>

      <Modal open={dialog?.kind === 'create'} title="New event" onClose={close}>
        <EventForm
          busy={create.isPending}
          error={create.error}
          submitLabel="Create event"
          onCancel={close}
          onSubmit={(values) => create.mutate(values, { onSuccess: (e) => done(`Created ${e.name}.`) })}
        />
      </Modal>

      <Modal open={dialog?.kind === 'edit'} title={dialog?.kind === 'edit' ? `Edit ${dialog.event.name}` : 'Edit event'} onClose={close}>
        {dialog?.kind === 'edit' && (
          <EventForm
            key={dialog.event.id}
            initial={dialog.event}
            busy={edit.isPending}
            error={edit.error}
            submitLabel="Save changes"
            onCancel={close}
            onSubmit={(values) => {
              const patch = eventPatch(dialog.event, values);
              if (Object.keys(patch).length === 0) return close();
              edit.mutate({ id: dialog.event.id, patch }, { onSuccess: (e) => done(`Saved ${e.name}.`) });
            }}
          />
        )}
      </Modal>

      <Modal open={dialog?.kind === 'seats'} title={dialog?.kind === 'seats' ? `Seats for ${dialog.event.name}` : 'Seats'} onClose={close}>
        {dialog?.kind === 'seats' && (
          <GenerateSeatsForm
            event={dialog.event}
            busy={seats.isPending}
            error={seats.error}
            onCancel={close}
            onSubmit={(rows, cols) =>
              seats.mutate(
                { id: dialog.event.id, rows, cols },
                { onSuccess: (r) => done(`Created ${r.created} seats for ${dialog.event.name}; capacity is now ${r.capacity}.`) },
              )
            }
          />
        )}
      </Modal>

      <ConfirmDialog
        open={dialog?.kind === 'delete'}
        title="Delete this event?"
        confirmLabel="Delete event"
        danger
        busy={remove.isPending}
        onCancel={close}
        onConfirm={() => {
          if (dialog?.kind !== 'delete') return;
          const { event } = dialog;
          remove.mutate(event.id, { onSuccess: () => done(`Deleted ${event.name}.`) });
        }}
      >
        {dialog?.kind === 'delete' && <p>{dialog.event.name} will be removed for good. Events that have bookings can only be deactivated.</p>}
        {remove.isError && <ErrorNotice error={remove.error} />}
      </ConfirmDialog>
    </section>
  );
}
