import { useState } from 'react';
import { Link } from 'react-router';
import type { Notification } from '../api/types';
import { PagedList } from '../components/PagedList';
import { Empty, ErrorNotice, Notice } from '../components/Status';
import { useMarkAllRead, useMarkRead, useNotifications, useUnreadCount } from '../hooks/notifications';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { formatDateTime } from '../lib/format';

const PAGE_SIZE = 10;

function NotificationItem({ n, onRead, busy }: { n: Notification; onRead: (id: number) => void; busy: boolean }) {
  const unread = !n.read_at;
  const headingId = `notification-${n.id}`;
  return (
    <li className={`card notification${unread ? ' notification-unread' : ''}`} aria-labelledby={headingId}>
      <div className="card-head">
        <h2 id={headingId} className="card-title">
          {n.title}
        </h2>
        {unread && <span className="badge badge-new">New</span>}
      </div>
      <p>{n.body}</p>
      <p className="muted notification-meta">
        {n.created_at && <time dateTime={n.created_at}>{formatDateTime(n.created_at)}</time>}
        {n.booking_id !== null && (
          <>
            {' · '}
            <Link to="/bookings">My bookings</Link>
          </>
        )}
        {n.booking_id === null && n.event_id !== null && (
          <>
            {' · '}
            <Link to={`/events/${n.event_id}`}>The event</Link>
          </>
        )}
      </p>
      {unread && (
        <button type="button" className="btn btn-small" disabled={busy} onClick={() => onRead(n.id)}>
          Mark as read<span className="visually-hidden">: {n.title}</span>
        </button>
      )}
    </li>
  );
}

export function NotificationsPage() {
  useDocumentTitle('Notifications');
  const [page, setPage] = useState(1);
  const list = useNotifications(page, PAGE_SIZE);
  const unread = useUnreadCount();
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();
  const unreadCount = unread.data ?? 0;

  return (
    <section className="page">
      <div className="page-head">
        <h1>Notifications</h1>
        {unreadCount > 0 && (
          <button type="button" className="btn" disabled={markAll.isPending} onClick={() => markAll.mutate()}>
            {markAll.isPending ? 'Marking…' : `Mark all as read (${unreadCount})`}
          </button>
        )}
      </div>
      {markAll.isSuccess && markAll.data > 0 && <Notice kind="success">All caught up: {markAll.data} marked as read.</Notice>}
      {markAll.isError && <ErrorNotice error={markAll.error} />}
      {markRead.isError && <ErrorNotice error={markRead.error} />}
      <PagedList
        query={list}
        page={page}
        pageSize={PAGE_SIZE}
        onPage={setPage}
        loadingLabel="Loading your notifications…"
        empty={
          <Empty title="Nothing yet.">
            <p className="muted">Bookings, waitlist news and changes to your events show up here.</p>
          </Empty>
        }
      >
        {(items) => (
          <ul className="notification-list">
            {items.map((n) => (
              <NotificationItem key={n.id} n={n} busy={markRead.isPending && markRead.variables === n.id} onRead={(id) => markRead.mutate(id)} />
            ))}
          </ul>
        )}
      </PagedList>
    </section>
  );
}
