"""Delivery: one email per notification, retried with backoff, `failed` in the end, never
sent twice; the sweep catches up on what was left pending."""

from __future__ import annotations

import smtplib
import socket
import ssl
from collections.abc import Callable
from datetime import timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from aiosmtpd.controller import Controller
from celery.exceptions import Retry
from django.db import transaction
from django.template import TemplateSyntaxError
from django.utils import timezone

from bookings.models import Booking
from bookings.signals import booking_confirmed
from events.calendar import event_ics, event_zone
from notifications import delivery, emails, services
from notifications.formatting import local_time
from notifications.models import EventChange, Notification
from notifications.tasks import deliver_notification, sweep_notifications

Delivery = Notification.Delivery


def _confirmed(booking: Booking, django_capture_on_commit_callbacks, *, promoted: bool = False) -> Notification:
    with django_capture_on_commit_callbacks(execute=False):
        with transaction.atomic():
            booking.seat_labels = ["B-3", "B-4"]
            booking_confirmed.send(sender=Booking, booking=booking, promoted=promoted)
    return Notification.objects.get(booking=booking)


def test_a_confirmation_email_has_text_html_the_ics_and_a_stable_message_id(
    booking, django_capture_on_commit_callbacks, mailoutbox, settings
) -> None:
    settings.WEB_APP_URL = "https://tickets.example.org"
    notification = _confirmed(booking, django_capture_on_commit_callbacks)

    outcome = delivery.notification_deliver(notification_id=notification.pk)

    assert outcome.status == "sent"
    [message] = mailoutbox
    assert message.subject == f"Booking confirmed: {booking.event.name}"
    assert message.to == [booking.user.email]
    assert message.extra_headers["Message-ID"] == notification.message_id
    assert "B-3, B-4" in message.body and "(UTC)" in message.body
    assert "https://tickets.example.org/app/bookings" in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html" and "B-3, B-4" in html
    [(filename, content, ics_type)] = message.attachments
    assert filename == f"event-{booking.event_id}.ics" and ics_type.startswith("text/calendar")
    vevent = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
    assert vevent.decoded("dtstart") == booking.event.start_time.replace(microsecond=0)
    assert str(vevent["summary"]) == booking.event.name
    # The booking's own entry, as /me/bookings/{id}/calendar.ics: a later download updates it.
    assert str(vevent["uid"]) == f"event-{booking.event_id}-booking-{booking.pk}@evently"
    assert "B-3, B-4" in str(vevent["description"])
    notification.refresh_from_db()
    assert (notification.delivery, notification.attempts, notification.sent_at is not None) == (Delivery.SENT, 1, True)


def test_the_calendar_part_names_its_itip_method_as_imip_requires(
    booking, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    """RFC 6047 2.4: a text/calendar part of an email carries the `method` parameter, the same
    as the file's METHOD property; mail clients read it to offer "add to calendar"."""
    notification = _confirmed(booking, django_capture_on_commit_callbacks)

    delivery.notification_deliver(notification_id=notification.pk)

    [message] = mailoutbox
    [part] = [p for p in message.message().walk() if p.get_content_type() == "text/calendar"]
    method = str(icalendar.Calendar.from_ical(part.get_payload(decode=True))["method"])
    assert method == "PUBLISH"
    assert part.get_param("method") == method
    assert part.get_param("charset") == "utf-8"
    assert part.get_filename() == f"event-{booking.event_id}.ics"


def test_an_event_name_with_line_breaks_still_gets_its_email_out(booking, django_capture_on_commit_callbacks, mailoutbox) -> None:
    """A mail header cannot hold a line break: the subject is the title on one line."""
    booking.event.name = "Line1\r\nBcc: victim@example.com\u2028end"
    booking.event.save(update_fields=["name"])
    notification = _confirmed(booking, django_capture_on_commit_callbacks)

    assert delivery.notification_deliver(notification_id=notification.pk).status == "sent"

    [message] = mailoutbox
    assert message.subject == "Booking confirmed: Line1 Bcc: victim@example.com end"
    assert message.message()["Subject"] == message.subject and message.recipients() == [booking.user.email]


def test_promotion_email_also_carries_the_ics(booking, django_capture_on_commit_callbacks, mailoutbox) -> None:
    notification = _confirmed(booking, django_capture_on_commit_callbacks, promoted=True)

    delivery.notification_deliver(notification_id=notification.pk)

    assert notification.kind == "waitlist_promoted"
    assert mailoutbox[0].subject.startswith("You got seats from the waitlist")
    assert len(mailoutbox[0].attachments) == 1


def test_a_cancellation_email_has_no_ics(notification_factory, booking, mailoutbox) -> None:
    notification = notification_factory(user=booking.user, booking=booking, event=booking.event, kind="booking_cancelled")

    delivery.notification_deliver(notification_id=notification.pk)

    assert mailoutbox[0].attachments == []


def test_times_are_in_the_events_zone_with_the_zone_named(event) -> None:
    event.start_time = timezone.datetime(2026, 12, 12, 18, 0, tzinfo=ZoneInfo("UTC"))
    event.timezone = "Europe/Paris"  # Event.timezone arrives with another stream

    assert event_zone(event) == ZoneInfo("Europe/Paris")
    assert local_time(event, event.start_time) == "Sat 12 Dec 2026, 19:00 (Europe/Paris)"
    calendar = icalendar.Calendar.from_ical(event_ics(event, seat_labels=["A-1"]))
    assert str(calendar["x-wr-timezone"]) == "Europe/Paris"
    assert "Seats: A-1" in str(calendar.walk("VEVENT")[0]["description"])


def test_a_time_in_the_hour_clocks_repeat_says_which_one(event) -> None:
    """On the autumn night clocks go back, 02:00-02:59 happens twice in Berlin: an email (and
    the calendar description) naming only "02:30 (Europe/Berlin)" cannot say which, and a
    02:30-03:30 event read as one hour long lasts two. Such a time names its abbreviation."""
    from notifications.formatting import when

    utc = ZoneInfo("UTC")
    event.timezone = "Europe/Berlin"
    event.start_time = timezone.datetime(2031, 10, 26, 0, 30, tzinfo=utc)  # 02:30 CEST
    event.end_time = timezone.datetime(2031, 10, 26, 2, 30, tzinfo=utc)  # 03:30 CET

    assert when(event) == "Sun 26 Oct 2031, 02:30 CEST – 03:30 (Europe/Berlin)"
    assert local_time(event, timezone.datetime(2031, 10, 26, 1, 30, tzinfo=utc)) == (
        "Sun 26 Oct 2031, 02:30 CET (Europe/Berlin)"
    )
    description = str(icalendar.Calendar.from_ical(event_ics(event)).walk("VEVENT")[0]["description"])
    assert "Starts 2031-10-26 02:30 CEST (Europe/Berlin)." in description
    # Any other time reads as before.
    event.start_time = timezone.datetime(2031, 10, 26, 2, 30, tzinfo=utc)
    event.end_time = timezone.datetime(2031, 10, 26, 4, 0, tzinfo=utc)
    assert when(event) == "Sun 26 Oct 2031, 03:30 – 05:00 (Europe/Berlin)"


def test_an_unknown_zone_falls_back_to_utc(event) -> None:
    event.timezone = "Mars/Olympus"

    assert event_zone(event) == ZoneInfo("UTC")


def test_a_sent_notification_is_never_sent_again(notification_factory, mailoutbox) -> None:
    notification = notification_factory()

    assert delivery.notification_deliver(notification_id=notification.pk).status == "sent"
    assert delivery.notification_deliver(notification_id=notification.pk).status == "skipped"

    assert len(mailoutbox) == 1


def test_an_account_deactivated_while_its_notification_waited_gets_nothing(notification_factory, mailoutbox) -> None:
    """Inactive accounts get nothing: the pending row is `failed` at once, saying why, and
    never retried."""
    notification = notification_factory()
    type(notification.user).objects.filter(pk=notification.user_id).update(is_active=False)

    assert delivery.notification_deliver(notification_id=notification.pk).status == "dropped"

    notification.refresh_from_db()
    assert notification.delivery == Notification.Delivery.FAILED
    assert notification.last_error == delivery.ACCOUNT_INACTIVE
    assert notification.next_attempt_at is None
    assert mailoutbox == []
    assert delivery.notification_deliver(notification_id=notification.pk).status == "skipped"


def test_the_task_run_twice_sends_once(notification_factory, mailoutbox) -> None:
    notification = notification_factory()

    deliver_notification.apply(args=[notification.pk])
    deliver_notification.apply(args=[notification.pk])

    assert len(mailoutbox) == 1


def test_the_task_keeps_retrying_past_celerys_default_of_three_retries(monkeypatch) -> None:
    """The row counts the attempts and turns `failed` after NOTIFICATION_MAX_ATTEMPTS; Celery
    must not stop first (its default max_retries is 3, and `retry(max_retries=None)` means
    that default, not "no limit")."""
    task = deliver_notification._get_current_object()
    requeued = []
    monkeypatch.setattr(task, "apply_async", lambda *args, **options: requeued.append(options["countdown"]))
    monkeypatch.setattr(
        delivery, "notification_deliver", lambda *, notification_id: delivery.DeliveryOutcome("retry", 7.0)
    )
    task.push_request(id="a-worker-retry", retries=5, is_eager=False, called_directly=False, args=[1], kwargs={})
    try:
        with pytest.raises(Retry):
            task.run(1)
    finally:
        task.pop_request()

    assert requeued == [7.0]  # the 6th retry is queued, after the service's backoff


def test_a_row_claimed_by_another_delivery_is_skipped(notification_factory, mailoutbox) -> None:
    notification = notification_factory(next_attempt_at=timezone.now() + timedelta(minutes=5))

    assert delivery.notification_deliver(notification_id=notification.pk).status == "skipped"

    assert mailoutbox == []


def test_a_mail_error_is_recorded_and_retried_later(notification_factory, flaky_mail, mailoutbox) -> None:
    notification = notification_factory()
    flaky_mail.failures_left = 1

    outcome = delivery.notification_deliver(notification_id=notification.pk)

    assert outcome.status == "retry" and outcome.retry_in > 0
    notification.refresh_from_db()
    assert notification.delivery == Delivery.PENDING and notification.attempts == 1
    assert "SMTPServerDisconnected" in notification.last_error
    assert notification.next_attempt_at > timezone.now()
    # not due yet: a second task (or the sweep) leaves it alone
    assert delivery.notification_deliver(notification_id=notification.pk).status == "skipped"

    Notification.objects.filter(pk=notification.pk).update(next_attempt_at=timezone.now())
    assert delivery.notification_deliver(notification_id=notification.pk).status == "sent"

    assert len(mailoutbox) == 1
    notification.refresh_from_db()
    assert (notification.attempts, notification.last_error) == (2, "")


def test_after_the_last_attempt_the_notification_is_failed(notification_factory, flaky_mail, settings) -> None:
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    notification = notification_factory()
    flaky_mail.failures_left = 10
    outcomes = []

    for _ in range(3):
        outcomes.append(delivery.notification_deliver(notification_id=notification.pk).status)
        Notification.objects.filter(pk=notification.pk).update(next_attempt_at=None)

    assert outcomes == ["retry", "retry", "failed"]
    notification.refresh_from_db()
    assert notification.delivery == Delivery.FAILED and notification.attempts == 3
    assert delivery.notification_deliver(notification_id=notification.pk).status == "skipped"


def test_retry_delay_grows_exponentially_with_jitter_and_a_cap(settings) -> None:
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 10
    settings.NOTIFICATION_RETRY_MAX_SECONDS = 60

    for attempts, full in [(1, 10), (2, 20), (3, 40), (4, 60), (9, 60)]:
        delays = {delivery.retry_delay(attempts) for _ in range(20)}
        assert all(full / 2 <= d <= full for d in delays)
        assert len(delays) > 1  # jittered


def test_the_sweep_sends_what_was_left_pending(notification_factory, mailoutbox, settings) -> None:
    settings.NOTIFICATION_SWEEP_GRACE_SECONDS = 30
    long_ago = timezone.now() - timedelta(minutes=5)
    stranded = notification_factory(created_at=long_ago)
    fresh = notification_factory()  # its own task is probably still on its way
    not_due = notification_factory(created_at=long_ago, next_attempt_at=timezone.now() + timedelta(minutes=1))
    done = notification_factory(created_at=long_ago, delivery=Delivery.SENT, sent_at=long_ago)

    result = sweep_notifications.apply().get()

    assert result["queued"] == 1
    assert [m.extra_headers["Message-ID"] for m in mailoutbox] == [stranded.message_id]
    for row in (fresh, not_due, done):
        row.refresh_from_db()
    assert (fresh.delivery, not_due.delivery, done.attempts) == (Delivery.PENDING, Delivery.PENDING, 0)


def test_the_sweep_fans_out_a_change_left_behind(booking, settings, mailoutbox) -> None:
    settings.NOTIFICATION_SWEEP_GRACE_SECONDS = 0
    change = EventChange.objects.create(event=booking.event, changes={"venue": ["A", "B"]})

    result = services.notifications_sweep()

    assert result["fanned_out"] == 1
    assert Notification.objects.get(change=change).user_id == booking.user_id
    change.refresh_from_db()
    assert change.fanned_out_at is not None


def test_a_change_that_cannot_be_fanned_out_holds_back_nothing_else(booking, settings, mailoutbox, monkeypatch, notification_factory) -> None:
    settings.NOTIFICATION_SWEEP_GRACE_SECONDS = 0
    poison = EventChange.objects.create(event=booking.event, changes={"venue": ["A", "B"]})
    good = EventChange.objects.create(event=booking.event, changes={"venue": ["B", "C"]})
    stranded = notification_factory()
    real = services.event_change_fan_out

    def fan_out(*, change_id: int, **kwargs):
        if change_id == poison.pk:
            raise OverflowError("date value out of range")
        return real(change_id=change_id, **kwargs)

    monkeypatch.setattr(services, "event_change_fan_out", fan_out)
    result = services.notifications_sweep()

    assert result["fanned_out"] == 1
    poison.refresh_from_db()
    good.refresh_from_db()
    assert (poison.fanned_out_at, good.fanned_out_at is not None) == (None, True)
    assert stranded.message_id in [m.extra_headers["Message-ID"] for m in mailoutbox]


def test_the_sweep_command_runs_at_start(notification_factory, mailoutbox, settings) -> None:
    from django.core.management import call_command

    settings.NOTIFICATION_SWEEP_GRACE_SECONDS = 0
    notification_factory()

    call_command("notifications_sweep")

    assert len(mailoutbox) == 1


def test_a_broker_that_is_down_loses_nothing(notification_factory, monkeypatch, mailoutbox, settings) -> None:
    from kombu.exceptions import OperationalError

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    notification = notification_factory()
    monkeypatch.setattr(deliver_notification, "delay", broker_down)

    assert delivery.enqueue_delivery(notification_ids=[notification.pk]) == 0  # no exception

    monkeypatch.undo()
    settings.NOTIFICATION_SWEEP_GRACE_SECONDS = 0
    services.notifications_sweep()
    assert [m.extra_headers["Message-ID"] for m in mailoutbox] == [notification.message_id]


def test_the_sweep_command_exits_1_when_the_broker_is_down(notification_factory, monkeypatch, settings) -> None:
    """So cron, `make run` and an operator can tell; nothing is lost (the row stays pending)."""
    from django.core.management import CommandError, call_command
    from kombu.exceptions import OperationalError

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6390. Connection refused.")

    settings.NOTIFICATION_SWEEP_GRACE_SECONDS = 0
    notification = notification_factory()
    monkeypatch.setattr(deliver_notification, "delay", broker_down)
    conf = services.celery_app.conf
    eager, conf.task_always_eager = conf.task_always_eager, False  # a broker is configured
    try:
        with pytest.raises(CommandError, match="1 notification\\(s\\) could not be queued or sent now"):
            call_command("notifications_sweep")
    finally:
        conf.task_always_eager = eager

    notification.refresh_from_db()
    assert notification.delivery == Delivery.PENDING


def test_resend_delivers_again_with_the_same_message_id(notification_factory, mailoutbox, django_capture_on_commit_callbacks) -> None:
    notification = notification_factory()
    delivery.notification_deliver(notification_id=notification.pk)

    with django_capture_on_commit_callbacks(execute=True):
        services.notification_resend(notification_id=notification.pk)

    assert [m.extra_headers["Message-ID"] for m in mailoutbox] == [notification.message_id] * 2


def test_event_changed_email_links_to_the_event(booking, mailoutbox, django_capture_on_commit_callbacks) -> None:
    change = services.event_change_record(event=booking.event, changes={"venue": ("Old Hall", "New Hall")})
    with django_capture_on_commit_callbacks(execute=True):
        services.event_change_fan_out(change_id=change.pk)

    [message] = mailoutbox
    assert "Venue: New Hall (was Old Hall)" in message.body
    assert f"/app/events/{booking.event_id}" in message.body
    assert message.attachments == []


def test_an_in_process_sweep_stops_when_the_mail_server_is_down(notification_factory, flaky_mail, mailoutbox, settings) -> None:
    settings.NOTIFICATION_SWEEP_GRACE_SECONDS = 0
    long_ago = timezone.now() - timedelta(minutes=5)
    rows = [notification_factory(created_at=long_ago - timedelta(seconds=i)) for i in range(3)]
    flaky_mail.failures_left = 1

    result = services.notifications_sweep()

    assert result["queued"] == 0
    attempts = sorted(Notification.objects.filter(pk__in=[r.pk for r in rows]).values_list("attempts", flat=True))
    assert attempts == [0, 0, 1]  # the mail server is down: the others wait for the next sweep


def test_a_deactivated_accounts_row_does_not_stop_the_in_process_burst(notification_factory, mailoutbox) -> None:
    """Without a broker, a burst stops when the mail server is down; a dropped row is no
    such failure, so the rows after it still go out."""
    dropped = notification_factory()
    type(dropped.user).objects.filter(pk=dropped.user_id).update(is_active=False)
    after = notification_factory()

    assert delivery.deliver_in_process([dropped.pk, after.pk]) == 2

    after.refresh_from_db()
    assert after.delivery == Notification.Delivery.SENT
    assert len(mailoutbox) == 1


def _refused(address: str) -> Exception:
    return smtplib.SMTPRecipientsRefused({address: (550, b"5.1.1 <%s>: Recipient address rejected" % address.encode())})


@pytest.mark.parametrize(
    ("error", "server_down"),
    [
        pytest.param(_refused, False, id="a refused recipient (550)"),
        pytest.param(lambda to: smtplib.SMTPSenderRefused(553, b"5.7.1 Sender rejected", "no-reply@evently.local"), False, id="a refused sender"),
        pytest.param(lambda to: smtplib.SMTPDataError(554, b"5.6.0 Message content rejected"), False, id="refused data"),
        pytest.param(lambda to: smtplib.SMTPResponseException(452, b"4.3.1 Insufficient storage"), False, id="another reply"),
        pytest.param(lambda to: UnicodeEncodeError("ascii", "é", 0, 1, "no SMTPUTF8"), False, id="an address the server cannot take"),
        pytest.param(lambda to: ConnectionRefusedError(111, "Connection refused"), True, id="connection refused"),
        pytest.param(lambda to: TimeoutError("timed out"), True, id="a timeout"),
        pytest.param(lambda to: socket.gaierror(-2, "Name or service not known"), True, id="an unknown host"),
        pytest.param(lambda to: ssl.SSLCertVerificationError(1, "certificate verify failed"), True, id="a TLS failure"),
        pytest.param(lambda to: smtplib.SMTPConnectError(421, b"4.3.2 Service not available"), True, id="a refused connection"),
        pytest.param(lambda to: smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), True, id="a dropped connection"),
        pytest.param(lambda to: smtplib.SMTPHeloError(501, b"5.5.4 Invalid EHLO"), True, id="a refused greeting"),
        pytest.param(lambda to: smtplib.SMTPAuthenticationError(535, b"5.7.8 Bad credentials"), True, id="refused credentials"),
        pytest.param(lambda to: smtplib.SMTPNotSupportedError("SMTP AUTH extension not supported by server."), True, id="no AUTH offered"),
        pytest.param(lambda to: smtplib.SMTPSenderRefused(421, b"4.7.0 Too many connections", "no-reply@evently.local"), True, id="421 to MAIL FROM"),
    ],
)
def test_a_failed_attempt_says_whether_the_mail_server_is_down(
    notification_factory, refusing_mail, error: Callable[[str], Exception], server_down: bool
) -> None:
    """Down: the server cannot be reached, or would not open a session for us, so every other
    email would fail the same way (and each could cost one EMAIL_TIMEOUT). Not down: this
    email was refused; the next one may well go through."""
    notification = notification_factory()
    refusing_mail[notification.user.email] = error(notification.user.email)

    outcome = delivery.notification_deliver(notification_id=notification.pk)

    assert (outcome.status, outcome.server_down) == ("retry", server_down)
    notification.refresh_from_db()
    assert notification.delivery == Delivery.PENDING and notification.last_error


def test_an_email_that_cannot_be_rendered_is_not_the_mail_servers_fault(notification_factory, monkeypatch) -> None:
    notification = notification_factory()
    monkeypatch.setattr(emails, "build_email", lambda n: (_ for _ in ()).throw(TemplateSyntaxError("Invalid block tag")))

    outcome = delivery.notification_deliver(notification_id=notification.pk)

    assert (outcome.status, outcome.server_down) == ("retry", False)


def test_a_refused_recipient_holds_back_nothing_else_in_process(notification_factory, refusing_mail, mailoutbox) -> None:
    """Without a broker: one address the mail server refuses (550) is recorded and retried
    later; the rest of the burst still goes out."""
    refused, first, second = notification_factory(), notification_factory(), notification_factory()
    refusing_mail[refused.user.email] = _refused(refused.user.email)

    assert delivery.deliver_in_process([first.pk, refused.pk, second.pk]) == 2

    assert sorted(m.to[0] for m in mailoutbox) == sorted([first.user.email, second.user.email])
    refused.refresh_from_db()
    assert (refused.delivery, refused.attempts) == (Delivery.PENDING, 1)
    assert refused.last_error.startswith("SMTPRecipientsRefused")


def test_an_email_that_cannot_be_rendered_holds_back_nothing_else_in_process(notification_factory, monkeypatch, mailoutbox) -> None:
    broken, other = notification_factory(), notification_factory()
    real = emails.build_email

    def build(notification: Notification):
        if notification.pk == broken.pk:
            raise TemplateSyntaxError("Invalid block tag")
        return real(notification)

    monkeypatch.setattr(emails, "build_email", build)

    assert delivery.deliver_in_process([broken.pk, other.pk]) == 1

    assert [m.to for m in mailoutbox] == [[other.user.email]]


def test_an_in_process_sweep_goes_past_a_refused_recipient(notification_factory, refusing_mail, mailoutbox, settings) -> None:
    """The startup sweep, oldest first: the oldest row's recipient is refused; every row
    after it is still sent."""
    settings.NOTIFICATION_SWEEP_GRACE_SECONDS = 0
    long_ago = timezone.now() - timedelta(minutes=5)
    refused = notification_factory(created_at=long_ago - timedelta(minutes=1))
    others = [notification_factory(created_at=long_ago + timedelta(seconds=i)) for i in range(3)]
    refusing_mail[refused.user.email] = _refused(refused.user.email)

    result = services.notifications_sweep()

    assert result["queued"] == 3
    assert sorted(m.to[0] for m in mailoutbox) == sorted(o.user.email for o in others)
    refused.refresh_from_db()
    assert (refused.delivery, refused.attempts) == (Delivery.PENDING, 1)


class RefusingSmtpServer:
    """aiosmtpd on a free localhost port: 550 to RCPT TO of the `refused` addresses, 250 to
    the others; `received` lists who got an email."""

    def __init__(self, refused: set[str]) -> None:
        self.refused = refused
        self.received: list[str] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: ANN001, N802
        if address in self.refused:
            return "550 5.1.1 Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, N802
        self.received += envelope.rcpt_tos
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_settings(settings):  # noqa: ANN001, ANN201
    """Django's SMTP backend, pointed at 127.0.0.1 (the port is the test's)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _free_port()
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 2
    return settings


def test_over_smtp_a_refused_recipient_holds_back_nothing_else_in_process(notification_factory, smtp_settings) -> None:
    refused, first, second = notification_factory(), notification_factory(), notification_factory()
    server = RefusingSmtpServer({refused.user.email})
    controller = Controller(server, hostname="127.0.0.1", port=smtp_settings.EMAIL_PORT)
    controller.start()
    try:
        delivered = delivery.deliver_in_process([refused.pk, first.pk, second.pk])
    finally:
        controller.stop()

    assert delivered == 2
    assert sorted(server.received) == sorted([first.user.email, second.user.email])
    refused.refresh_from_db()
    assert (refused.delivery, refused.attempts) == (Delivery.PENDING, 1)
    assert refused.last_error.startswith("SMTPRecipientsRefused")


def test_over_smtp_a_mail_server_that_is_not_there_stops_the_burst(notification_factory, smtp_settings) -> None:
    """Nothing listens on the port: connection refused, the burst stops (one timeout at
    most), the rest stay pending and unclaimed."""
    rows = [notification_factory() for _ in range(3)]

    assert delivery.deliver_in_process([r.pk for r in rows]) == 0

    attempts = dict(Notification.objects.filter(pk__in=[r.pk for r in rows]).values_list("pk", "attempts"))
    assert [attempts[r.pk] for r in rows] == [1, 0, 0]
    assert "ConnectionRefusedError" in Notification.objects.get(pk=rows[0].pk).last_error
