"""Writing notifications, and the use cases around them; their delivery after commit is
notifications/delivery.py.

Writing: the `notify_*` functions run INSIDE the transaction of the change they tell about
(called by notifications/receivers.py from the lower apps' in-transaction signals); they only
add rows and register an on-commit hook (`delivery.deliver_after_commit`), never do I/O. A
change of an event's time or venue is one outbox row (`event_change_record`), fanned out after
commit to one notification per person who held or waited (`event_change_fan_out`, run by a
task). The sweep (`notifications_sweep`: celery beat every minute; without REDIS_URL, the
publisher thread of each server worker) finishes the fan-outs left behind and re-queues
whatever is still pending. Also here: the staff console's resend and the reader's mark-read.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from evently.celery import app as celery_app
from bookings.models import Booking
from events.models import Event
from notifications import delivery
from notifications.exceptions import NotificationNotFound, NotificationOutdated, RecipientInactive
from notifications.formatting import local_time, seats_text, when
from notifications.models import EventChange, Notification

logger = logging.getLogger(__name__)

Kind = Notification.Kind
FAN_OUT_BATCH = 1000


# --- Writing (inside the change's transaction) ----------------------------------------------


def notification_write(
    *,
    user_id: int,
    kind: str,
    title: str,
    body: str,
    booking: Booking | None = None,
    event: Event | None = None,
    data: dict[str, Any] | None = None,
) -> Notification:
    """Add one notification to the current transaction and queue its delivery for after
    commit. Returns the saved row (delivery `pending`). No lock of its own; no I/O."""
    notification = Notification.objects.create(
        user_id=user_id, kind=kind, title=title[:300], body=body, booking=booking, event=event,
        data=data or {},
    )
    delivery.deliver_after_commit([notification.pk], kind=kind, written=1)
    return notification


def _booking_data(booking: Booking) -> dict[str, Any]:
    # Booking.seat_labels: set by the engine on the bookings it hands out, else its live tickets.
    return {"qty": booking.qty, "seat_labels": list(booking.seat_labels), "status": booking.status}


def notify_booking_confirmed(*, booking: Booking, promoted: bool = False) -> Notification:
    """A CONFIRMED booking (`promoted`: it came off the waitlist). Inside the booking's
    transaction. Returns the row (kind booking_confirmed or waitlist_promoted)."""
    event = booking.event
    data = _booking_data(booking)
    seats = seats_text(booking.qty, data["seat_labels"])
    if promoted:
        kind, title = Kind.WAITLIST_PROMOTED, f"You got seats from the waitlist: {event.name}"
        lead = "Good news: seats freed up and your waitlisted booking is now confirmed."
    else:
        kind, title = Kind.BOOKING_CONFIRMED, f"Booking confirmed: {event.name}"
        lead = "Your booking is confirmed."
    body = f"{lead} {seats}. {event.name}, {when(event)}, at {event.venue}."
    return notification_write(
        user_id=booking.user_id, kind=kind, title=title, body=body, booking=booking, event=event,
        data=data,
    )


def notify_waitlist_joined(*, booking: Booking) -> Notification:
    """A WAITLISTED booking. Inside the booking's transaction. Returns the row."""
    event = booking.event
    data = _booking_data(booking)
    position = getattr(booking, "waitlist_position", None)
    data["waitlist_position"] = position
    where = f" You are number {position} in the queue." if position else ""
    body = (
        f"You are on the waitlist for {booking.qty} ticket{'s' if booking.qty != 1 else ''} to "
        f"{event.name}, {when(event)}.{where} We will email you if seats free up."
    )
    return notification_write(
        user_id=booking.user_id, kind=Kind.WAITLIST_JOINED, title=f"On the waitlist: {event.name}",
        body=body, booking=booking, event=event, data=data,
    )


def notify_booking_cancelled(
    *, booking: Booking, by_admin: bool = False, previous_status: str = "",
    account_deactivated: bool = False,
) -> Notification:
    """A CANCELLED booking (`by_admin`: someone other than the holder did it;
    `account_deactivated`: a waitlist place withdrawn because the holder's account was
    deactivated). Inside the booking's transaction. Returns the row (delivery marks a withdrawn
    place's row failed without sending it: the account is inactive; the in-app list keeps it)."""
    event = booking.event
    data = _booking_data(booking)
    data.update(by_admin=by_admin, previous_status=previous_status, account_deactivated=account_deactivated)
    what = "waitlist place" if previous_status == Booking.Status.WAITLISTED else "booking"
    tickets = f"{booking.qty} ticket{'s' if booking.qty != 1 else ''}"
    title = f"Booking cancelled: {event.name}"
    if account_deactivated:
        title = f"Waitlist place withdrawn: {event.name}"
        body = (
            f"Your {what} ({tickets}) for {event.name}, {when(event)}, was withdrawn because your"
            " account was deactivated."
        )
    else:
        who = "An organizer cancelled your" if by_admin else "You cancelled your"
        body = f"{who} {what} ({tickets}) for {event.name}, {when(event)}."
    return notification_write(
        user_id=booking.user_id, kind=Kind.BOOKING_CANCELLED, title=title,
        body=body, booking=booking, event=event, data=data,
    )


def notify_password_reset(*, user: User) -> Notification:
    """A password-reset request of a known account. Inside the request's transaction. The
    link's token is made when the email is sent, never stored. Returns the row."""
    return notification_write(
        user_id=user.pk, kind=Kind.PASSWORD_RESET, title="Reset your Evently password",
        body="Someone (hopefully you) asked to reset your password. Use the link in the email "
        "we sent; if it wasn't you, ignore it.",
    )


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def event_change_record(*, event: Event, changes: dict[str, tuple[Any, Any]]) -> EventChange | None:
    """One outbox row for a change of an event's time or venue, inside the event's
    transaction: however many people hold or wait, the transaction writes one row; the
    worker fans it out (`event_change_fan_out`) after commit. Returns the row, or None when
    nothing relevant changed."""
    changes = {k: v for k, v in changes.items() if k in ("start_time", "end_time", "venue")}
    if not changes:
        return None
    change = EventChange.objects.create(
        event=event,
        changes={k: [_json_value(old), _json_value(new)] for k, (old, new) in changes.items()},
    )
    transaction.on_commit(lambda: delivery.publish_fan_out(change.pk))
    return change


def _change_text(event: Event, changes: dict[str, list[Any]]) -> tuple[str, list[str]]:
    lines = []
    for field, label in (("start_time", "Starts"), ("end_time", "Ends")):
        if field in changes:
            old, new = (datetime.fromisoformat(v) for v in changes[field])
            lines.append(f"{label}: {local_time(event, new)} (was {local_time(event, old)})")
    if "venue" in changes:
        old, new = changes["venue"]
        lines.append(f"Venue: {new} (was {old})")
    return f"Event changed: {event.name}", lines


def event_change_fan_out(*, change_id: int, batch_size: int = FAN_OUT_BATCH) -> int:
    """Write one `event_changed` notification per person who held or waited for the
    change's event WHEN IT CHANGED (one per person, however many bookings), in batches of
    `batch_size` users, each batch its own short transaction, and queue their delivery.
    The fan-out may run long after the change (a worker down or behind): someone who
    cancelled since is still told, someone who booked since is not (`_holders_at`).
    Idempotent: a second run (or two at once) writes nothing twice (unique per change and
    user) and re-queues only what is still pending. Returns how many notifications this run
    wrote itself (concurrent runs' counts add up to the rows written). Each batch's
    transaction locks the EventChange row (nothing else: not the event), so concurrent runs
    of one change take turns batch by batch; call it outside a transaction."""
    change = EventChange.objects.select_related("event").filter(pk=change_id).first()
    if change is None or change.fanned_out_at is not None:
        return 0
    event = change.event
    title, lines = _change_text(event, change.changes)
    body = " ".join(lines) + f" {event.name} at {event.venue}."
    recipients = _holders_at(event_id=event.pk, moment=change.created_at)
    written, last_user_id = 0, 0
    while True:
        batch = list(recipients.filter(user_id__gt=last_user_id)[:batch_size])
        if not batch:
            break
        with transaction.atomic():
            # A concurrent run of this change waits here, so no row of another run commits
            # between the two counts and `new_rows` is this run's own.
            if not EventChange.objects.select_for_update().filter(pk=change.pk).exists():
                break  # the change is gone (its event was deleted)
            before = Notification.objects.filter(change=change, user_id__in=batch).count()
            Notification.objects.bulk_create(
                [
                    Notification(
                        user_id=user_id, kind=Kind.EVENT_CHANGED, event=event, change=change,
                        title=title, body=body, data={"changes": change.changes},
                    )
                    for user_id in batch
                ],
                ignore_conflicts=True,
            )
            pending = list(
                Notification.objects.pending()
                .filter(change=change, user_id__in=batch)
                .values_list("id", flat=True)
            )
            new_rows = Notification.objects.filter(change=change, user_id__in=batch).count() - before
            written += new_rows
            delivery.deliver_after_commit(pending, kind=Kind.EVENT_CHANGED, written=new_rows)
        last_user_id = batch[-1]
    EventChange.objects.filter(pk=change.pk, fanned_out_at__isnull=True).update(
        fanned_out_at=timezone.now()
    )
    return written


def _holders_at(*, event_id: int, moment: datetime) -> QuerySet[Booking]:
    """The distinct user ids (ascending) of the bookings of an event that were CONFIRMED or
    WAITLISTED at `moment`: made by then and not cancelled by then. Exact for a moment taken
    under the event lock (an EventChange's `created_at`), since every cancellation sets
    `cancelled_at` and every waitlisted booking its `created_at` under that lock; a confirmed
    booking's `created_at` is its insert, just before it waits for the lock, so a request in
    flight when the event changed counts as holding it."""
    return (
        Booking.objects.filter(event_id=event_id, created_at__lte=moment)
        .filter(Q(cancelled_at__isnull=True) | Q(cancelled_at__gt=moment))
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )


# --- The sweep; the staff console's resend; the reader's mark-read --------------------------


def notifications_sweep(*, limit: int = 5000) -> dict[str, int]:
    """Catch up on what was left behind (broker or worker down, a crash): fan out event
    changes not fanned out after NOTIFICATION_SWEEP_GRACE_SECONDS, and queue the delivery of
    up to `limit` pending notifications older than that grace and due (oldest first). A
    change whose fan-out raises is logged and left for the next sweep; the others go on.
    Call outside a transaction. Returns {"fanned_out": changes, "queued": notifications
    queued (or, without a broker, handled), "left": due notifications neither queued nor
    handled now (the broker down; without a broker, a failed attempt), "failed_fan_outs":
    changes whose fan-out raised}."""
    now = timezone.now()
    older_than = now - timedelta(seconds=settings.NOTIFICATION_SWEEP_GRACE_SECONDS)
    change_ids = list(
        EventChange.objects.filter(fanned_out_at__isnull=True, created_at__lte=older_than)
        .order_by("id").values_list("id", flat=True)
    )
    fanned_out = failed_fan_outs = 0
    for change_id in change_ids:
        try:
            event_change_fan_out(change_id=change_id)
        except Exception:  # one change that cannot be written must not hold back the others
            logger.exception("fan-out of event change %s failed; the next sweep tries again", change_id)
            failed_fan_outs += 1
            continue
        fanned_out += 1
    due = list(
        Notification.objects.pending()
        .filter(created_at__lte=older_than)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("created_at", "id")
        .values_list("id", flat=True)[:limit]
    )
    if not celery_app.conf.task_always_eager:
        queued = delivery.enqueue_delivery(notification_ids=due)
    else:
        queued = delivery.deliver_in_process(due)
    return {
        "fanned_out": fanned_out, "queued": queued, "left": len(due) - queued,
        "failed_fan_outs": failed_fan_outs,
    }


# The booking's status a notification of each kind announced: resent only while it still holds.
_ANNOUNCED_STATUS = {
    Kind.BOOKING_CONFIRMED: Booking.Status.CONFIRMED,
    Kind.WAITLIST_PROMOTED: Booking.Status.CONFIRMED,
    Kind.WAITLIST_JOINED: Booking.Status.WAITLISTED,
}


def notification_resend(*, notification_id: int) -> Notification:
    """Staff console: deliver again, whatever the state (sent, failed or stuck): back to
    pending with a fresh attempt count, queued after commit; the Message-ID stays the same.
    Raises NotificationNotFound; RecipientInactive (the row left as it is) when the user's
    account is deactivated: inactive accounts get nothing (DECISIONS, Notifications); and
    NotificationOutdated (the row left as it is) when it announced a booking's confirmation
    or waitlist place and the booking is no longer so (a confirmation with its calendar file
    for a booking cancelled since would mislead). Locks the row."""
    with transaction.atomic():
        notification = delivery.locked_with_recipient(notification_id)
        if notification is None:
            raise NotificationNotFound()
        if not notification.user.is_active:
            raise RecipientInactive()
        announced = _ANNOUNCED_STATUS.get(notification.kind)
        if announced is not None and notification.booking_id is not None:
            status = Booking.objects.filter(pk=notification.booking_id).values_list("status", flat=True).first()
            if status != announced:
                raise NotificationOutdated()
        notification.delivery = Notification.Delivery.PENDING
        notification.attempts = 0
        notification.next_attempt_at = None
        notification.sent_at = None
        notification.save(update_fields=["delivery", "attempts", "next_attempt_at", "sent_at"])
        delivery.deliver_after_commit([notification.pk], kind=notification.kind, written=0)
    return notification


def notification_mark_read(*, user: User, notification_id: int) -> Notification:
    """Mark one of `user`'s notifications read (idempotent: the first read time stays).
    Returns it. Raises NotificationNotFound for an unknown id or someone else's. No lock:
    the update is conditional."""
    if not 1 <= notification_id < 2**63:
        raise NotificationNotFound()
    Notification.objects.filter(pk=notification_id, user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    notification = Notification.objects.filter(pk=notification_id, user=user).first()
    if notification is None:
        raise NotificationNotFound()
    return notification
