"""Delivery after commit: publishing, sending and retrying what notifications/services.py
wrote.

The writers register `deliver_after_commit` inside their transaction; after commit the ids go
to this process's publisher thread, which sends one Celery task per burst
(`notifications.tasks.deliver_notifications`). Without REDIS_URL tasks are eager and the
emails go out in process (`deliver_in_process`): from the publisher thread in a server's
worker, else in the thread that committed. Each email (`notification_deliver`) is claimed,
sent outside any transaction, then recorded as sent, retried after a backoff (`retry_delay`)
or failed. Without REDIS_URL the publisher thread of each server worker also runs the sweep
every minute (with it, celery beat does).

notifications.services imports this module, never the reverse: what runs here reaches back
only through the Celery tasks of notifications/tasks.py, imported where they are used.
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
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone

from evently.celery import app as celery_app
from notifications import metrics
from notifications.models import Notification

logger = logging.getLogger(__name__)


def deliver_after_commit(notification_ids: list[int], *, kind: str, written: int) -> None:
    """Once the current transaction commits: count `written` new rows of `kind` and queue
    the delivery of `notification_ids`. A rollback does neither. Called inside the writing
    transaction (notifications.services); no I/O before the commit."""

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
        """The sweep (`notifications_sweep`), run here through the task celery beat runs with a
        broker (`sweep_notifications`), only without a broker in a server's worker. Never
        raises: the next interval tries again."""
        with self.done:  # decided under the lock, so a flush() after the mode changes waits for it
            if not (celery_app.conf.task_always_eager and _background_delivery()):
                return
            self.unpublished += 1
        from notifications.tasks import sweep_notifications  # tasks imports this module

        try:
            sweep_notifications()  # its body, in this thread (not through the broker)
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


def publish_fan_out(change_id: int) -> None:
    """Publish the `fan_out_event_change` task of an event change (run at once when tasks
    are eager). Never raises for a broker error: the sweep fans the change out after its
    grace period. Call after commit."""
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


def locked_with_recipient(notification_id: int) -> Notification | None:
    """The notification, its row locked (not its user's), with its user loaded: delivery and
    resend (notifications.services) both read `notification.user.is_active` (inactive
    accounts get nothing). None when there is no such row. Call inside a transaction (the
    lock lasts until it ends)."""
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
        notification = locked_with_recipient(notification_id)
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
