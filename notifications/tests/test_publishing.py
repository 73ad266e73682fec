"""Queueing deliveries with a broker: the request thread only hands the ids to the process's
publisher thread, which sends one task per burst (issue 17, "Speed stays")."""

from __future__ import annotations

import threading
import time

import pytest

from evently.celery import app as celery_app
from notifications import delivery, services
from notifications.models import Notification
from notifications.tasks import deliver_notification as deliver_notification_proxy
from notifications.tasks import deliver_notifications as deliver_notifications_proxy

# The task objects themselves (the module's names are Celery proxies), to patch `delay`.
deliver_notification = deliver_notification_proxy._get_current_object()
deliver_notifications = deliver_notifications_proxy._get_current_object()

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def published_not_eager():
    """Tasks are published to a broker (as in production), not run eagerly: to an in-memory
    one, never to the Redis REDIS_URL names (CI's second pass), where a task left by a test
    that does not stub the publish waited for whichever worker next read that db."""
    previous = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    celery_app.conf.task_always_eager, celery_app.conf.broker_url = False, "memory://"
    _new_broker_connections()
    yield
    delivery.flush_publisher()
    celery_app.conf.task_always_eager, celery_app.conf.broker_url = previous
    _new_broker_connections()


def _new_broker_connections() -> None:
    """Drop the app's pooled broker connections: the next publish connects to broker_url."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker(monkeypatch):
    """`deliver_notifications.delay` is recorded with the thread that called it, and blocks
    while `gate` is closed; `publishing` is set once a publish has begun (its ids are taken:
    nothing put from then on can join them)."""
    published: list[tuple[list[int], str]] = []
    gate, publishing = threading.Event(), threading.Event()
    gate.set()

    def delay(ids):
        publishing.set()
        assert gate.wait(30), "the test never opened the gate"
        published.append((list(ids), threading.current_thread().name))

    monkeypatch.setattr(deliver_notifications, "delay", delay)
    monkeypatch.setattr(deliver_notification, "delay", lambda *a, **k: pytest.fail("one task per id"))
    return published, gate, publishing


def _write(booking, django_capture_on_commit_callbacks) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return services.notify_booking_confirmed(booking=booking).pk


def test_a_commit_hands_its_ids_to_the_publisher_thread(broker, booking, django_capture_on_commit_callbacks) -> None:
    published, _, _ = broker
    notification_id = _write(booking, django_capture_on_commit_callbacks)

    assert delivery.flush_publisher()
    assert published == [([notification_id], "notification-publisher")]


def test_deliveries_committed_close_together_go_as_one_task(
    broker, booking_factory, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    published, _, _ = broker
    monkeypatch.setattr(delivery, "PUBLISH_LINGER_SECONDS", 2.0)  # a slow machine still batches
    ids = [_write(booking_factory(), django_capture_on_commit_callbacks) for _ in range(4)]

    assert delivery.flush_publisher()
    assert [ids_ for ids_, _ in published] == [ids]


def test_deliveries_committed_while_a_publish_is_under_way_go_as_one_task(
    broker, booking_factory, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    published, gate, publishing = broker
    monkeypatch.setattr(delivery, "PUBLISH_LINGER_SECONDS", 0.0)
    gate.clear()  # the broker is slow: the first publish waits
    first = _write(booking_factory(), django_capture_on_commit_callbacks)
    # The publisher is inside the first publish. (An empty queue said less: the thread could
    # still be gathering, and took the burst into the first task when it was slow to run.)
    assert publishing.wait(10)
    burst = [_write(booking_factory(), django_capture_on_commit_callbacks) for _ in range(3)]
    gate.set()

    assert delivery.flush_publisher()
    assert [ids for ids, _ in published] == [[first], burst]


def test_a_broker_that_is_down_leaves_the_rows_to_the_sweep(monkeypatch, booking, django_capture_on_commit_callbacks, mailoutbox, settings) -> None:
    from kombu.exceptions import OperationalError

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(deliver_notifications, "delay", broker_down)
    notification_id = _write(booking, django_capture_on_commit_callbacks)
    assert delivery.flush_publisher()
    assert Notification.objects.get(pk=notification_id).delivery == "pending"

    monkeypatch.undo()
    celery_app.conf.task_always_eager = True  # the sweep, delivering in process
    settings.NOTIFICATION_SWEEP_GRACE_SECONDS = 0
    services.notifications_sweep()
    assert len(mailoutbox) == 1


def test_the_batch_task_delivers_each_once_and_retries_a_failure_on_its_own(
    booking_factory, django_capture_on_commit_callbacks, flaky_mail, monkeypatch, mailoutbox
) -> None:
    monkeypatch.setattr(delivery, "_publisher", lambda: type("P", (), {"put": lambda self, ids: None})())
    ids = [_write(booking_factory(), django_capture_on_commit_callbacks) for _ in range(3)]
    retried = []
    monkeypatch.setattr(deliver_notification, "apply_async", lambda args, countdown: retried.append(args[0]))
    flaky_mail.failures_left = 1

    assert deliver_notifications(ids) == 2
    assert deliver_notifications(ids) == 0  # a second run sends nothing twice
    assert retried == [ids[0]]
    assert Notification.objects.get(pk=ids[0]).delivery == "pending"


@pytest.mark.django_db(transaction=True)  # the publisher thread reads what the request committed
def test_without_a_broker_the_email_leaves_from_the_publisher_thread_not_the_request(
    api_client, monkeypatch, mailoutbox
) -> None:
    """The embedded default (no REDIS_URL): a password reset answers without waiting for the
    mail server, for a known address as for an unknown one; the publisher thread sends it."""
    from accounts.tests.factories import UserFactory

    celery_app.conf.task_always_eager = True  # no broker (the fixture restores it)
    monkeypatch.setattr(delivery, "_background_pid", None)
    delivery.deliver_in_background()  # what gunicorn.conf.py's post_worker_init does
    monkeypatch.setattr(delivery, "PUBLISH_LINGER_SECONDS", 0.0)
    user = UserFactory()
    mail_server = threading.Event()  # closed: the mail server does not answer yet
    senders = []
    real_deliver = delivery.notification_deliver

    def slow_deliver(*, notification_id):
        senders.append(threading.current_thread().name)
        mail_server.wait(10)
        return real_deliver(notification_id=notification_id)

    monkeypatch.setattr(delivery, "notification_deliver", slow_deliver)

    response = api_client.post("/auth/password-reset", {"email": user.email}, format="json")

    assert response.status_code == 202  # answered while the mail server hangs
    notification = Notification.objects.get(user=user, kind="password_reset")
    assert notification.delivery == "pending" and mailoutbox == []
    mail_server.set()
    assert delivery.flush_publisher(10)
    assert senders == ["notification-publisher"]
    notification.refresh_from_db()
    assert notification.delivery == "sent" and [m.to for m in mailoutbox] == [[user.email]]


def test_outside_a_server_worker_the_email_leaves_before_the_call_returns(
    booking, django_capture_on_commit_callbacks, mailoutbox, monkeypatch
) -> None:
    """manage.py commands (the startup sweep among them) and anything else that did not call
    deliver_in_background send in their own thread: a command that exits has sent its mail."""
    celery_app.conf.task_always_eager = True
    monkeypatch.setattr(delivery, "_background_pid", None)

    _write(booking, django_capture_on_commit_callbacks)

    assert [m.to for m in mailoutbox] == [[booking.user.email]]


def test_delivering_in_process_stops_when_the_mail_server_is_down(booking_factory, django_capture_on_commit_callbacks, flaky_mail) -> None:
    """A mail server that is down costs one timeout per batch, not one per email; the rest
    stay pending (never claimed) for the next sweep. (A refused email does not stop it:
    test_delivery.py.)"""
    ids = [_write(booking_factory(), django_capture_on_commit_callbacks) for _ in range(3)]
    flaky_mail.failures_left = 1

    assert delivery.deliver_in_process(ids) == 0

    rows = {n.pk: n for n in Notification.objects.filter(pk__in=ids)}
    assert [rows[i].attempts for i in ids] == [1, 0, 0]
    assert all(rows[i].delivery == "pending" for i in ids)
    assert delivery.deliver_in_process(ids[1:]) == 2


def _wait_for(condition, timeout: float = 10.0) -> bool:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


@pytest.fixture
def become_a_server_worker_without_a_broker(monkeypatch):
    """Call it to make this process a gunicorn worker of the embedded default (no REDIS_URL)
    whose publisher sweeps every 0.2 s. Sweeping stops before the test's database goes away."""

    def become() -> None:
        celery_app.conf.task_always_eager = True  # no broker (published_not_eager restores it)
        monkeypatch.setattr(delivery, "_background_pid", None)
        monkeypatch.setattr(delivery, "PUBLISH_LINGER_SECONDS", 0.0)
        monkeypatch.setattr(delivery, "SWEEP_INTERVAL_SECONDS", 0.2)
        delivery.deliver_in_background()  # what gunicorn.conf.py's post_worker_init does
        delivery._publisher().put([])  # wakes a publisher that was waiting with the real interval

    yield become
    delivery._background_pid = None  # no new sweep; the flush waits for one under way
    assert delivery.flush_publisher(10)


@pytest.mark.django_db(transaction=True)  # the publisher thread reads what the test committed
def test_without_a_broker_a_failed_email_is_retried_while_the_server_runs(
    become_a_server_worker_without_a_broker, booking, django_capture_on_commit_callbacks, flaky_mail, mailoutbox,
    settings,
) -> None:
    """Nothing else retries without a broker (celery beat does with one): the publisher
    thread sweeps every SWEEP_INTERVAL_SECONDS, so a failed attempt goes out again after its
    backoff, not at the next `make run`."""
    settings.NOTIFICATION_SWEEP_GRACE_SECONDS = 0
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 0.5
    flaky_mail.failures_left = 1  # the first attempt fails
    become_a_server_worker_without_a_broker()

    notification_id = _write(booking, django_capture_on_commit_callbacks)

    assert _wait_for(lambda: Notification.objects.get(pk=notification_id).delivery == "sent"), (
        Notification.objects.filter(pk=notification_id).values("delivery", "attempts", "last_error").get()
    )
    notification = Notification.objects.get(pk=notification_id)
    assert notification.attempts == 2 and notification.last_error == ""
    assert [m.to for m in mailoutbox] == [[booking.user.email]]


def test_a_server_worker_without_a_broker_starts_its_publisher_at_once(monkeypatch, settings) -> None:
    """So it sweeps from the start, before this process writes any notification of its own
    (what the startup sweep could not send is retried while the server runs)."""
    started = []
    monkeypatch.setattr(delivery, "_publisher", lambda: started.append(True))
    monkeypatch.setattr(delivery, "_background_pid", None)
    celery_app.conf.task_always_eager = True

    delivery.deliver_in_background()

    assert started == [True]


def test_the_publishers_sweep_interval_is_celery_beats(settings) -> None:
    assert delivery.SWEEP_INTERVAL_SECONDS == settings.CELERY_BEAT_SCHEDULE["notifications-sweep"]["schedule"]


def test_a_sweep_that_raises_does_not_stop_the_publisher_thread(become_a_server_worker_without_a_broker, monkeypatch, caplog) -> None:
    from django.db import OperationalError

    sweeps: list[str] = []

    def sweep(**kwargs):
        sweeps.append(threading.current_thread().name)
        if len(sweeps) == 1:
            raise OperationalError("database is locked")
        return {"fanned_out": 0, "queued": 0}

    monkeypatch.setattr(services, "notifications_sweep", sweep)
    become_a_server_worker_without_a_broker()

    assert _wait_for(lambda: len(sweeps) >= 2)
    assert set(sweeps) == {"notification-publisher"}
    assert "database is locked" in caplog.text


def test_flushing_waits_for_a_sweep_under_way(become_a_server_worker_without_a_broker, monkeypatch) -> None:
    """A stopping worker (worker_exit) waits for the thread's sweep as for its deliveries."""
    sweeping, finish = threading.Event(), threading.Event()

    def sweep(**kwargs):
        sweeping.set()
        finish.wait(10)
        return {"fanned_out": 0, "queued": 0}

    monkeypatch.setattr(services, "notifications_sweep", sweep)
    become_a_server_worker_without_a_broker()
    assert sweeping.wait(10)

    assert not delivery.flush_publisher(0.2)
    finish.set()
    assert delivery.flush_publisher(10)


def test_with_a_broker_the_publisher_leaves_the_sweep_to_celery_beat(
    broker, booking, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    published, _, _ = broker
    sweeps, turns = [], []
    monkeypatch.setattr(services, "notifications_sweep", lambda **kwargs: sweeps.append(1))
    monkeypatch.setattr(delivery, "SWEEP_INTERVAL_SECONDS", 0.05)
    monkeypatch.setattr(delivery, "_background_pid", None)
    delivery.deliver_in_background()  # a gunicorn worker, with a broker
    decide = delivery._BatchPublisher._sweep

    def counted(self) -> None:  # the thread's turn to sweep, if it is its job
        decide(self)
        turns.append(1)

    monkeypatch.setattr(delivery._BatchPublisher, "_sweep", counted)

    _write(booking, django_capture_on_commit_callbacks)  # wakes the publisher
    assert delivery.flush_publisher()
    after = len(turns)
    # Three of the thread's sweep turns went by (not a fixed time the thread may not get).
    assert _wait_for(lambda: len(turns) >= after + 3)

    assert len(published) == 1 and sweeps == []
