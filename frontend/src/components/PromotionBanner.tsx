import { useEffect, useState } from 'react';
import type { Booking } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { useNotifications } from '../hooks/notifications';
import { loadMemory, promotedBookingIds, promotionsToAnnounce, promotionText, saveMemory, type Promotion } from '../lib/promotions';

/**
 * The first time My bookings shows a booking promoted from the waitlist: "You got seats from
 * the waitlist: A-4, A-5". Shown once per booking (remembered in localStorage), until
 * dismissed or the page is left.
 */
export function PromotionBanner({ bookings }: { bookings: readonly Booking[] | undefined }) {
  const { user } = useAuth();
  // The newest notifications are enough: a promotion older than 50 notifications was seen long ago.
  const recent = useNotifications(1, 50, bookings !== undefined);
  const [shown, setShown] = useState<Promotion[]>([]);
  const notificationsSettled = !recent.isPending || recent.isError;

  useEffect(() => {
    if (!user || !bookings || !notificationsSettled) return;
    const { announce, memory } = promotionsToAnnounce(bookings, promotedBookingIds(recent.data?.items ?? []), loadMemory(user.id));
    saveMemory(user.id, memory);
    if (announce.length > 0) setShown((prev) => [...prev, ...announce]);
  }, [user, bookings, notificationsSettled, recent.data]);

  if (shown.length === 0) return null;
  return (
    <div className="notice notice-success promotion" role="status">
      <ul className="promotion-list">
        {shown.map((p) => (
          <li key={p.bookingId}>
            <strong>{promotionText(p)}</strong> — <a href={`#booking-${p.bookingId}`}>{p.eventName}</a>
          </li>
        ))}
      </ul>
      <button type="button" className="btn btn-small" onClick={() => setShown([])}>
        Dismiss
      </button>
    </div>
  );
}
