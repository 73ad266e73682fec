"""A real Celery worker (subprocess) against the real Redis broker and the test database, and
a real SMTP server (aiosmtpd) on a free localhost port: what people receive, and faults with
nothing lost and nothing sent twice.

Runs in CI's PostgreSQL + Redis pass: the worker must share the test database, which an
in-memory SQLite test database cannot be.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import quote

import icalendar
import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from conftest import _glob_escape
from bookings.models import Booking
from bookings.signals import booking_cancelled, booking_confirmed, booking_waitlisted
from evently.celery import app as celery_app
from events.tests.factories import EventFactory
from notifications import delivery
from notifications.models import Notification
from notifications.tasks import sweep_notifications
from notifications.tests.factories import BookingFactory

REDIS_URL = os.environ.get("REDIS_URL", "")
ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not REDIS_URL, reason="needs REDIS_URL: a real Redis broker for the Celery worker (CI's second pass sets it)"),
    pytest.mark.django_db(transaction=True),
]
# Every broker key of this run (the queue "celery", "unacked", kombu's bindings...) carries a
# prefix of its own, in this process and in the worker (worker_settings.py): the Redis db may
# be shared with another run or a developer's worker, which must not take these tasks, nor
# have theirs deleted here.
BROKER_PREFIX = f"{settings.TEST_CACHE_KEY_PREFIX}:broker:"
QUEUE, UNACKED = BROKER_PREFIX + "celery", BROKER_PREFIX + "unacked"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mailbox:
    """aiosmtpd on a fixed localhost port that can go down and come back."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.messages: list[EmailMessage] = []
        self.controller: Controller | None = None

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, N802
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def start(self) -> None:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def to(self, email: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == email]


def _wait_for(condition: Callable[[], bool], timeout: float = 30.0, what: str = "", worker: "Worker | None" = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    log = f"\n--- worker log ---\n{worker.tail()}" if worker is not None else ""
    raise AssertionError(f"timed out waiting for {what}{log}")


_TASK_LINE = re.compile(r"Task [\w.]+\[([0-9a-f-]+)\][^\n]*")


class Worker:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env = env
        self.process: subprocess.Popen | None = None
        self.log = log

    def start(self) -> None:
        """Start the worker and wait until it consumes (its log says `ready.`)."""
        offset = self.log.stat().st_size if self.log.exists() else 0
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "evently", "worker", "--pool=solo",
             "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "info"],
            cwd=ROOT, env=self.env, stdout=self.log.open("ab"), stderr=subprocess.STDOUT,
        )
        _wait_for(lambda: b" ready." in self.log.read_bytes()[offset:], timeout=60, what="the worker to start", worker=self)

    def text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def tail(self) -> str:
        return self.text()[-3000:]

    def task_lines(self) -> list[tuple[str, str]]:
        """(task id, line) of every `Task name[id] received/succeeded/retry/raised...` line."""
        return [(m.group(1), m.group(0)) for m in _TASK_LINE.finditer(self.text())]

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # warm shutdown: finishes the task at hand
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox()
    box.start()
    yield box
    box.stop()


def _delete_broker_keys(client: redis.Redis) -> None:
    keys = list(client.scan_iter(match=_glob_escape(BROKER_PREFIX) + "*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture
def broker() -> Iterator[redis.Redis]:
    """The test Redis, and this process's publisher on this run's broker keys."""
    client = redis.Redis.from_url(REDIS_URL)
    _delete_broker_keys(client)
    previous = celery_app.conf.broker_transport_options
    celery_app.conf.broker_transport_options = {**previous, "global_keyprefix": BROKER_PREFIX}
    _new_connections()
    yield client
    celery_app.conf.broker_transport_options = previous
    _new_connections()
    _delete_broker_keys(client)
    client.close()


def _new_connections() -> None:
    """Drop the app's pooled broker connections, so the next publish opens one with the
    current broker settings."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def worker(transactional_db, mailbox: Mailbox, broker, tmp_path: Path) -> Iterator[Worker]:  # noqa: ANN001
    db = connection.settings_dict
    database_url = (
        f"postgres://{quote(db['USER'] or '')}:{quote(db['PASSWORD'] or '')}@{db['HOST'] or '127.0.0.1'}"
        f":{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "notifications.tests.worker_settings",
        "EVENTLY_TEST_BROKER_PREFIX": BROKER_PREFIX,
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "EMAIL_URL": f"smtp://127.0.0.1:{mailbox.port}",
        "EMAIL_TIMEOUT": "2",
        "NOTIFICATION_RETRY_BASE_SECONDS": "0.5",
        "NOTIFICATION_RETRY_MAX_SECONDS": "1",
        "NOTIFICATION_SWEEP_GRACE_SECONDS": "0",
        "WEB_APP_URL": "https://tickets.example.org",
    }
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False  # publish to Redis like the web process does
    process = Worker(env, tmp_path / "celery-worker.log")
    process.start()
    yield process
    process.stop()
    celery_app.conf.task_always_eager = previous


def _settle(worker: Worker, broker: redis.Redis, timeout: float = 60.0) -> None:
    """Wait until the worker has nothing left to do, so that what has not happened by then
    will not happen (a duplicate email, say), however slow the machine is.

    A round: this process's publisher has published what it was given; a no-op task is sent
    and run (the solo worker runs tasks one at a time, in queue order, so everything queued
    before it has been taken); then the queue is empty and no message is held (with
    acks_late, a message stays in `unacked` until its task has run: a retry waiting for its
    countdown included). The worker is idle after a round in which its log shows no task but
    the no-op one: a task that ran meanwhile may have queued another."""
    deadline = time.monotonic() + timeout
    while True:
        assert delivery.flush_publisher(), "this process's publisher did not finish"
        seen = len(worker.task_lines())
        noop = celery_app.send_task("celery.accumulate", args=(0,))
        _wait_for(lambda: any(i == noop.id and "succeeded" in line for i, line in worker.task_lines()),
                  timeout=max(1.0, deadline - time.monotonic()), what="the no-op task", worker=worker)
        _wait_for(lambda: broker.llen(QUEUE) == 0 and broker.hlen(UNACKED) == 0,
                  timeout=max(1.0, deadline - time.monotonic()), what="an empty queue", worker=worker)
        if all(i == noop.id for i, _ in worker.task_lines()[seen:]):
            return
        assert time.monotonic() < deadline, f"the worker did not settle\n{worker.tail()}"


def _commit(send: Callable[[], None]) -> None:
    with transaction.atomic():
        send()


def _confirm(booking: Booking, *, promoted: bool = False, labels: list[str] | None = None) -> None:
    booking.seat_labels = labels or ["A-1", "A-2"]
    _commit(lambda: booking_confirmed.send(sender=Booking, booking=booking, promoted=promoted))


def _delivered(notification: Notification) -> Notification:
    notification.refresh_from_db()
    return notification


def test_the_worker_delivers_each_kind_over_smtp(worker, mailbox, broker) -> None:
    event = EventFactory(name="Gala Night")
    confirmed = BookingFactory(event=event)
    waiting = BookingFactory(event=event, status=Booking.Status.WAITLISTED, qty=1)

    _confirm(confirmed)
    _commit(lambda: booking_waitlisted.send(sender=Booking, booking=waiting))
    waiting.status = Booking.Status.CONFIRMED
    _confirm(waiting, promoted=True, labels=["A-3"])
    confirmed.status, confirmed.cancelled_at = Booking.Status.CANCELLED, timezone.now()
    _commit(lambda: booking_cancelled.send(sender=Booking, booking=confirmed, by_admin=False, previous_status="CONFIRMED"))

    _wait_for(lambda: len(mailbox.messages) == 4, what="4 emails", worker=worker)
    subjects = {m["Subject"] for m in mailbox.to(confirmed.user.email)}
    assert subjects == {"Booking confirmed: Gala Night", "Booking cancelled: Gala Night"}
    promoted = {m["Subject"]: m for m in mailbox.to(waiting.user.email)}
    assert set(promoted) == {"On the waitlist: Gala Night", "You got seats from the waitlist: Gala Night"}
    message = promoted["You got seats from the waitlist: Gala Night"]
    [attachment] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    vevent = icalendar.Calendar.from_ical(attachment.get_content()).walk("VEVENT")[0]
    assert str(vevent["summary"]) == "Gala Night" and "A-3" in str(vevent["description"])
    assert "https://tickets.example.org/app/bookings" in message.get_body(("plain",)).get_content()
    rows = Notification.objects.filter(event=event)
    # The worker records "sent" after the SMTP conversation ends: the last email can be in
    # the mailbox a moment before its row says so.
    _wait_for(lambda: {n.delivery for n in rows.all()} == {"sent"}, what="4 rows recorded as sent", worker=worker)
    _settle(worker, broker)
    assert len(mailbox.messages) == 4
    assert {(n.delivery, n.attempts) for n in rows} == {("sent", 1)}
    assert {m["Message-ID"] for m in mailbox.messages} == {n.message_id for n in rows}


def test_a_password_reset_over_http_arrives_with_a_working_link(worker, mailbox, api_client) -> None:
    user = User.objects.create_user("reset@example.com", "old-password-1", name="Reset Me")

    assert api_client.post("/auth/password-reset", {"email": "RESET@example.com"}, format="json").status_code == 202

    _wait_for(lambda: mailbox.to("reset@example.com"), what="the reset email", worker=worker)
    body = mailbox.to("reset@example.com")[0].get_body(("plain",)).get_content()
    link = next(word for word in body.split() if "/app/reset-password?" in word)
    query = dict(part.split("=", 1) for part in link.split("?", 1)[1].split("&"))
    confirmed = api_client.post("/auth/password-reset/confirm", {**query, "password": "new-password-1"}, format="json")
    assert confirmed.status_code == 200 and confirmed.json()["id"] == user.id


def test_smtp_down_for_a_while_is_retried_then_delivered_once(worker, mailbox, broker) -> None:
    booking = BookingFactory()
    mailbox.stop()

    _confirm(booking)

    notification = Notification.objects.get(booking=booking)
    _wait_for(lambda: _delivered(notification).attempts >= 2, what="two failed attempts", worker=worker)
    assert notification.delivery == "pending" and notification.last_error
    mailbox.start()
    _wait_for(lambda: _delivered(notification).delivery == "sent", what="delivery after SMTP is back", worker=worker)
    _settle(worker, broker)  # any duplicate task has run now
    assert len(mailbox.to(booking.user.email)) == 1


def test_a_worker_stopped_and_started_again_delivers_what_was_queued_meanwhile(worker, mailbox, broker) -> None:
    worker.stop()
    bookings = [BookingFactory() for _ in range(3)]
    for booking in bookings:
        _confirm(booking)
    assert delivery.flush_publisher()  # queued in Redis, with no worker to take them
    assert broker.llen(QUEUE) >= 1 and mailbox.messages == []

    worker.start()

    _wait_for(lambda: len(mailbox.messages) == 3, what="3 emails after the restart", worker=worker)
    _settle(worker, broker)
    assert sorted(m["To"] for m in mailbox.messages) == sorted(b.user.email for b in bookings)


def test_redis_down_at_commit_is_caught_up_by_the_sweep(worker, mailbox, broker, monkeypatch) -> None:
    booking = BookingFactory()
    good_url = celery_app.conf.broker_url

    def point_publisher_at(url: str) -> None:
        celery_app.conf.broker_url = url
        _new_connections()

    point_publisher_at("redis://127.0.0.1:1/0")  # nothing listens there: Redis is down
    try:
        _confirm(booking)  # commits; queueing the delivery fails and is logged
        delivery.flush_publisher()  # the publisher thread has tried (and failed)
    finally:
        point_publisher_at(good_url)
    notification = Notification.objects.get(booking=booking)
    _settle(worker, broker)  # nothing reached the worker: only the sweep can send it now
    assert _delivered(notification).delivery == "pending" and mailbox.messages == []

    sweep_notifications.delay()  # what celery beat does every minute

    _wait_for(lambda: _delivered(notification).delivery == "sent", what="the sweep's delivery", worker=worker)
    _settle(worker, broker)
    assert len(mailbox.messages) == 1 and notification.attempts == 1


def test_booking_promotion_cancellation_and_a_change_over_http_reach_people(
    worker, mailbox, broker, client_for, admin
) -> None:
    """End to end through the booking and event services, which send the in-transaction
    signals (the booking-engine stream): passes once both streams are merged."""
    event = EventFactory(name="Jazz Night", capacity=2)
    first, second = User.objects.create_user("first@example.com", "pw-first-1", name="First"), User.objects.create_user(
        "second@example.com", "pw-second-1", name="Second"
    )
    booked = client_for(first).post(f"/events/{event.id}/book", {"qty": 2}, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    waiting = client_for(second).post(
        f"/events/{event.id}/book", {"qty": 1, "waitlist": True}, format="json", HTTP_IDEMPOTENCY_KEY="k2"
    )
    assert (booked.json()["status"], waiting.json()["status"]) == ("CONFIRMED", "WAITLISTED")

    assert client_for(first).delete(f"/bookings/{booked.json()['id']}").status_code == 200
    changed = client_for(admin).patch(f"/admin/events/{event.id}", {"venue": "Blue Room"}, format="json")
    assert changed.status_code == 200

    _wait_for(lambda: len(mailbox.messages) == 5, what="5 emails", worker=worker)
    assert {m["Subject"] for m in mailbox.to("first@example.com")} == {
        "Booking confirmed: Jazz Night", "Booking cancelled: Jazz Night"
    }
    assert {m["Subject"] for m in mailbox.to("second@example.com")} == {
        "On the waitlist: Jazz Night", "You got seats from the waitlist: Jazz Night", "Event changed: Jazz Night"
    }
    _settle(worker, broker)
    assert len(mailbox.messages) == 5
