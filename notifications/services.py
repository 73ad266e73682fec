"""Every write to notifications goes through here.

Writing: the `notify_*` functions run INSIDE the transaction of the change they tell about
(called by notifications/receivers.py from the lower apps' in-transaction signals); they only
add rows and register an on-commit hook, never do I/O. Delivery: after commit the ids go to
this process's publisher thread, which sends one Celery task per burst
(`notifications.tasks.deliver_notifications`; eager in the web process without REDIS_URL,
one `deliver_notification` per id); the sweep re-queues whatever is still pending (celery
beat every minute; without REDIS_URL, the publisher thread of each server worker).
"""

from __future__ import annotations

import atexit
import logging
import os
import queue
import random
import smtplib
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import close_old_connections, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from evently.celery import app as celery_app
from bookings.models import Booking
from events.models import Event
from notifications import metrics
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
    _deliver_after_commit([notification.pk], kind=kind, written=1)
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
    *, booking: Booking, by_admin: bool = False, previous_status: str = ""
) -> Notification:
    """A CANCELLED booking (`by_admin`: someone other than the holder did it). Inside the
    booking's transaction. Returns the row."""
    event = booking.event
    data = _booking_data(booking)
    data.update(by_admin=by_admin, previous_status=previous_status)
    what = "waitlist place" if previous_status == Booking.Status.WAITLISTED else "booking"
    who = "An organizer cancelled your" if by_admin else "You cancelled your"
    body = f"{who} {what} ({booking.qty} ticket{'s' if booking.qty != 1 else ''}) for {event.name}, {when(event)}."
    return notification_write(
        user_id=booking.user_id, kind=Kind.BOOKING_CANCELLED, title=f"Booking cancelled: {event.name}",
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
    transaction.on_commit(lambda: _publish_fan_out(change.pk))
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
            _deliver_after_commit(pending, kind=Kind.EVENT_CHANGED, written=new_rows)
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


# --- Delivery (after commit) -----------------------------------------------------------------


def _deliver_after_commit(notification_ids: list[int], *, kind: str, written: int) -> None:
    """Once the current transaction commits: count `written` new rows of `kind` and queue
    the delivery of `notification_ids`. A rollback does neither."""

    def after_commit() -> None:
        if written:
            metrics.NOTIFICATIONS.labels(kind=kind, outcome="written").inc(written)
        if celery_app.conf.task_always_eager and not _background_delivery():
            deliver_in_process(notification_ids)  # in this thread, at once
        elif notification_ids:
            _publisher().put(list(notification_ids))  # to the broker, or delivered by that thread

    if notification_ids or written:
        transaction.on_commit(after_commit)


def enqueue_delivery(*, notification_ids: Iterable[int]) -> int:
    """Publish one delivery task per id (runs it at once when tasks are eager, i.e. without
    REDIS_URL). Never raises: when the broker is unreachable the rows stay pending and the
    sweep queues them later. Call outside any transaction. Returns how many were queued."""
    from notifications.tasks import deliver_notification

    queued = 0
    for notification_id in notification_ids:
        try:
            deliver_notification.delay(notification_id)
        except Exception:  # broker down: the sweep will pick the rest up
            logger.warning(
                "could not queue notification %s for delivery; the sweep will retry",
                notification_id, exc_info=True,
            )
            break
        queued += 1
    return queued


class _BatchPublisher:
    """One thread per process that queues the deliveries committed by this process's requests:
    what arrives within PUBLISH_LINGER_SECONDS of the first id (or while the last batch was
    being published) goes as ONE task (`deliver_notifications`, up to PUBLISH_BATCH ids) over
    the app's pooled broker connection. A booking's commit then only appends to an in-memory queue: no broker round
    trip and no message building on the request thread, and under load one publish serves
    many bookings. Without a broker (tasks eager), in a server's worker
    (`deliver_in_background`), this thread delivers the emails itself (`deliver_in_process`)
    so no request waits for the mail server, and, between batches, runs the sweep
    (`notifications_sweep`) every SWEEP_INTERVAL_SECONDS, as celery beat does with a broker:
    that is what retries a failed attempt (and finishes a stranded fan-out) while the server
    runs. Nothing is lost when the process dies first or the broker is down: the rows are
    committed and pending, and the sweep queues them after its grace period."""

    def __init__(self) -> None:
        self.queue: queue.SimpleQueue[list[int]] = queue.SimpleQueue()
        # Work not finished (under `self.done`): lists put and not yet published, plus a
        # sweep under way.
        self.unpublished = 0
        self.done = threading.Condition()
        self.thread = threading.Thread(target=self._run, name="notification-publisher", daemon=True)
        self.thread.start()

    def put(self, notification_ids: list[int]) -> None:
        with self.done:
            self.unpublished += 1
        self.queue.put(notification_ids)

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until everything put so far has been published (or given up on) and a sweep
        under way has ended. Returns False if that took longer than `timeout` seconds."""
        with self.done:
            return self.done.wait_for(lambda: self.unpublished == 0, timeout)

    def _run(self) -> None:
        swept_at = time.monotonic()
        while True:
            wait = max(0.0, swept_at + SWEEP_INTERVAL_SECONDS - time.monotonic())
            try:
                first = self.queue.get(timeout=wait)
            except queue.Empty:
                pass
            else:
                self._handle(*self._take(first))
            if time.monotonic() - swept_at >= SWEEP_INTERVAL_SECONDS:
                self._sweep()
                swept_at = time.monotonic()

    def _handle(self, taken: int, batch: list[int]) -> None:
        try:
            if celery_app.conf.task_always_eager:
                deliver_in_process(batch)
            else:
                _publish_batch(batch)
        except Exception:  # never let the thread die; the sweep covers the batch
            logger.exception("notification publisher failed; the sweep will queue %s", batch)
        finally:
            if celery_app.conf.task_always_eager:
                close_old_connections()  # this thread's own, as after a request
        with self.done:
            self.unpublished -= taken
            self.done.notify_all()

    def _sweep(self) -> None:
        """`notifications_sweep()`, only without a broker in a server's worker (with a broker
        celery beat runs it). Never raises: the next interval tries again."""
        with self.done:  # decided under the lock, so a flush() after the mode changes waits for it
            if not (celery_app.conf.task_always_eager and _background_delivery()):
                return
            self.unpublished += 1
        try:
            notifications_sweep()
        except Exception:  # never let the thread die
            logger.exception("notification sweep failed; the next one (in %s s) tries again",
                             SWEEP_INTERVAL_SECONDS)
        finally:
            close_old_connections()
            with self.done:
                self.unpublished -= 1
                self.done.notify_all()

    def _take(self, first: list[int]) -> tuple[int, list[int]]:
        """`first` (just taken from the queue) and what else comes within
        PUBLISH_LINGER_SECONDS. Returns (lists taken, their ids)."""
        batch, taken = list(first), 1
        deadline = time.monotonic() + PUBLISH_LINGER_SECONDS
        while len(batch) < PUBLISH_BATCH:
            try:
                batch += self.queue.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            taken += 1
        return taken, batch


PUBLISH_BATCH = 100
# How long the publisher gathers ids after the first before it publishes. One publish costs
# ~1,700 Python calls (~0.3-1 ms of CPU) whatever its size, and a busy worker process
# commits a booking every 25-40 ms: 200 ms lets one publish serve 5-8 bookings instead of 1-2
# (docs/PERFORMANCE.md §5), and an email leaves about 200 ms later.
PUBLISH_LINGER_SECONDS = 0.2
# Without a broker, a server worker's publisher thread sweeps this often: celery beat's
# schedule for the sweep with a broker (CELERY_BEAT_SCHEDULE).
SWEEP_INTERVAL_SECONDS = 60.0
_publisher_lock = threading.Lock()
_publisher_instance: tuple[int, _BatchPublisher] | None = None
_background_pid: int | None = None  # the process that called deliver_in_background()


def deliver_in_background() -> None:
    """Called in each gunicorn worker (gunicorn.conf.py `post_worker_init`): without a broker,
    this process's emails go out from its publisher thread, after the request, and that
    thread sweeps every SWEEP_INTERVAL_SECONDS (started here, so from the worker's start),
    unless NOTIFICATION_DELIVERY_IN_BACKGROUND is false. Elsewhere (manage.py commands, the
    startup sweep, tests) they go out in the thread that committed them, so a command that
    exits has sent them, and nothing sweeps on its own. On exit the worker waits for the
    thread (`flush_publisher`, `worker_exit`)."""
    global _background_pid
    _background_pid = os.getpid()
    if celery_app.conf.task_always_eager and _background_delivery():
        _publisher()


def _background_delivery() -> bool:
    return settings.NOTIFICATION_DELIVERY_IN_BACKGROUND and _background_pid == os.getpid()


def _publisher() -> _BatchPublisher:
    """This process's publisher, started on first use (and again in a forked child)."""
    global _publisher_instance
    current = _publisher_instance
    if current is None or current[0] != os.getpid():
        with _publisher_lock:
            current = _publisher_instance
            if current is None or current[0] != os.getpid():
                current = _publisher_instance = (os.getpid(), _BatchPublisher())
    return current[1]


def flush_publisher(timeout: float = 5.0) -> bool:
    """Wait until this process's queued deliveries are published, and its publisher's sweep
    under way has ended (tests; process exit). Returns False on timeout."""
    current = _publisher_instance
    return current is None or current[0] != os.getpid() or current[1].flush(timeout)


atexit.register(flush_publisher, 2.0)


def _publish_batch(notification_ids: list[int]) -> None:
    """Publish one `deliver_notifications` task for `notification_ids` (none when empty).
    Never raises for a broker error: the rows stay pending for the sweep."""
    from notifications.tasks import deliver_notifications

    if not notification_ids:
        return
    try:
        deliver_notifications.delay(notification_ids)
    except Exception:  # broker down: the sweep will pick them up
        logger.warning(
            "could not queue %s notification(s) for delivery; the sweep will retry",
            len(notification_ids), exc_info=True,
        )


def _publish_fan_out(change_id: int) -> None:
    from notifications.tasks import fan_out_event_change

    try:
        fan_out_event_change.delay(change_id)
    except Exception:
        logger.warning("could not queue the fan-out of event change %s; the sweep will", change_id,
                       exc_info=True)


@dataclass(frozen=True)
class DeliveryOutcome:
    """`status`: sent, skipped (not pending, not due, or gone), retry, failed (the mail kept
    failing), or dropped (its account is deactivated: never sent, the mail server is not at
    fault); `retry_in`: seconds until the next attempt when `status` is retry; `server_down`
    (retry or failed only): the mail server could not be reached or would not open a session
    (`mail_server_down`), so every other email would fail the same way now, while False means
    this email itself was refused or could not be built."""

    status: str
    retry_in: float | None = None
    server_down: bool = False


# Failures of the session, not of one message: the server is not there (or hung up), or will
# not greet or log us in. Any other SMTP error answers one message (a refused recipient or
# sender, refused data). smtplib's errors are OSErrors too, so they are told apart first.
_SESSION_ERRORS = (
    smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected, smtplib.SMTPHeloError,
    smtplib.SMTPAuthenticationError,
    # EMAIL_URL asks for something the server does not offer (AUTH, STARTTLS): every email
    # would fail the same way until the settings change.
    smtplib.SMTPNotSupportedError,
)
SERVICE_NOT_AVAILABLE = 421  # "closing transmission channel", whatever the command was


def mail_server_down(error: BaseException) -> bool:
    """Whether a send that raised `error` failed because of the mail server rather than the
    message: connection refused or reset, a timeout, an unknown host, a TLS failure
    (OSErrors), a greeting, EHLO or login refused, AUTH or STARTTLS not offered, a 421
    ("service not available") to any command, or the server hanging up. Such a failure
    would recur for every other email (each costing up to EMAIL_TIMEOUT). False for a refused
    recipient, sender or message (550, 553, 554...) and for errors raised while building the
    email."""
    if isinstance(error, _SESSION_ERRORS):
        return True
    if getattr(error, "smtp_code", None) == SERVICE_NOT_AVAILABLE:
        return True
    if isinstance(error, smtplib.SMTPException):
        return False
    return isinstance(error, OSError)


def retry_delay(attempts: int) -> float:
    """Seconds to wait after the `attempts`-th failed attempt: exponential from
    NOTIFICATION_RETRY_BASE_SECONDS, capped at NOTIFICATION_RETRY_MAX_SECONDS, with full
    jitter over the upper half (so a burst of failures does not retry in lockstep)."""
    base = settings.NOTIFICATION_RETRY_BASE_SECONDS * 2 ** max(0, attempts - 1)
    delay = min(base, settings.NOTIFICATION_RETRY_MAX_SECONDS)
    return delay / 2 + random.uniform(0, delay / 2)


ACCOUNT_INACTIVE = "not sent: the account is deactivated"


def _locked_with_recipient(notification_id: int) -> Notification | None:
    """The notification, its row locked (not its user's), with its user loaded: delivery and
    resend both read `notification.user.is_active` (inactive accounts get nothing)."""
    return (
        Notification.objects.select_for_update(of=("self",)).select_related("user")
        .filter(pk=notification_id).first()
    )


def notification_deliver(*, notification_id: int) -> DeliveryOutcome:
    """Send one notification's email, at most once per successful send.

    Claims the row in a short transaction (row lock; skips it unless pending and due; one
    more attempt; not due again for NOTIFICATION_CLAIM_SECONDS, so a concurrent task skips
    it), sends outside any transaction or lock, then records the outcome: `sent`; or, on an
    error, a retry after `retry_delay(attempts)`, or `failed` after
    NOTIFICATION_MAX_ATTEMPTS attempts; either way `server_down` says whether the mail
    server, not this email, was at fault (`mail_server_down`). A notification whose account
    was deactivated while it waited is not sent: `failed` at once, `last_error` says why
    (inactive accounts get nothing; outcome `dropped`). Never raises for a mail error.
    Returns a DeliveryOutcome. A worker that dies between the SMTP send and the `sent` write
    can send once more after the claim expires: the Message-ID stays the same, so receivers
    can tell."""
    from notifications.emails import build_email

    now = timezone.now()
    with transaction.atomic():
        notification = _locked_with_recipient(notification_id)
        if notification is None or notification.delivery != Notification.Delivery.PENDING:
            return DeliveryOutcome("skipped")
        if notification.next_attempt_at is not None and notification.next_attempt_at > now:
            return DeliveryOutcome("skipped")
        if not notification.user.is_active:
            notification.delivery, notification.last_error = Notification.Delivery.FAILED, ACCOUNT_INACTIVE
            notification.next_attempt_at = None
            notification.save(update_fields=["delivery", "last_error", "next_attempt_at"])
            metrics.DELIVERIES.labels(kind=notification.kind, outcome="failed").inc()
            return DeliveryOutcome("dropped")
        notification.attempts += 1
        notification.next_attempt_at = now + timedelta(seconds=settings.NOTIFICATION_CLAIM_SECONDS)
        notification.save(update_fields=["attempts", "next_attempt_at"])
    kind = notification.kind
    try:
        build_email(notification).send()
    except Exception as exc:  # any mail or rendering error: recorded, retried, then failed
        error = f"{type(exc).__name__}: {exc}"[:2000]
        failed = notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS
        delay = None if failed else retry_delay(notification.attempts)
        Notification.objects.filter(pk=notification.pk, delivery=Notification.Delivery.PENDING).update(
            delivery=Notification.Delivery.FAILED if failed else Notification.Delivery.PENDING,
            last_error=error,
            next_attempt_at=None if failed else timezone.now() + timedelta(seconds=delay or 0),
        )
        logger.warning("notification %s attempt %s failed: %s", notification.pk, notification.attempts, error)
        metrics.DELIVERIES.labels(kind=kind, outcome="failed" if failed else "retried").inc()
        return DeliveryOutcome(
            "failed" if failed else "retry", delay, server_down=mail_server_down(exc)
        )
    Notification.objects.filter(pk=notification.pk).update(
        delivery=Notification.Delivery.SENT, sent_at=timezone.now(), last_error="",
        next_attempt_at=None,
    )
    metrics.DELIVERIES.labels(kind=kind, outcome="sent").inc()
    return DeliveryOutcome("sent")


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
        queued = enqueue_delivery(notification_ids=due)
    else:
        queued = deliver_in_process(due)
    return {
        "fanned_out": fanned_out, "queued": queued, "left": len(due) - queued,
        "failed_fan_outs": failed_fan_outs,
    }


def deliver_in_process(notification_ids: Iterable[int]) -> int:
    """Without a broker: deliver the notifications now, in this thread, one by one. An email
    that fails on its own (a refused recipient, a rendering error) is recorded for a retry
    and the others go on; a mail server that is down (`DeliveryOutcome.server_down`) stops
    the loop, so it costs one EMAIL_TIMEOUT, not one per row, and the rest stay pending
    (unclaimed) for the next sweep. Returns how many were handled (sent, found already
    sent or not due, or dropped for a deactivated account). Call outside any
    transaction."""
    delivered = 0
    for notification_id in notification_ids:
        outcome = notification_deliver(notification_id=notification_id)
        if outcome.status in ("retry", "failed"):
            if outcome.server_down:
                break
            continue
        delivered += 1
    return delivered


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
        notification = _locked_with_recipient(notification_id)
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
        _deliver_after_commit([notification.pk], kind=notification.kind, written=0)
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
