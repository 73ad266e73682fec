"""The staff console and the outbox: resend never reaches a deactivated account, and neither
notifications nor event changes can be deleted from the console (a notification is never
lost; an event change deleted before its fan-out would tell nobody)."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from accounts.tests.factories import UserFactory
from notifications import services
from notifications.models import EventChange, Notification

NOTIFICATIONS = "/staff/notifications/notification/"
EVENT_CHANGES = "/staff/notifications/eventchange/"


@pytest.fixture
def console(admin) -> Client:  # noqa: ANN001
    client = Client()
    client.force_login(admin)
    return client


def _resend(console: Client, *notifications: Notification):  # noqa: ANN202
    return console.post(
        NOTIFICATIONS, {"action": "resend", "_selected_action": [n.pk for n in notifications]}
    )


def test_resend_leaves_an_inactive_accounts_password_reset_untouched_and_sends_nothing(
    console, notification_factory, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    sent = notification_factory(
        user=UserFactory(is_active=False), kind=Notification.Kind.PASSWORD_RESET,
        delivery="sent", attempts=1, sent_at=timezone.now(),
    )
    before = Notification.objects.values().get(pk=sent.pk)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = _resend(console, sent)

    assert response.status_code == 302
    assert Notification.objects.values().get(pk=sent.pk) == before
    assert mailoutbox == [] and callbacks == []
    errors = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
    assert errors == [f"{sent}: {services.RecipientInactive.default_detail}"]


def test_resend_of_a_mixed_selection_sends_only_to_the_active_account(
    console, notification_factory, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    inactive = notification_factory(user=UserFactory(is_active=False), delivery="failed", attempts=8)
    active = notification_factory(delivery="failed", attempts=8, last_error="SMTP down")

    with django_capture_on_commit_callbacks(execute=True):
        response = _resend(console, inactive, active)

    assert response.status_code == 302
    inactive.refresh_from_db()
    active.refresh_from_db()
    assert (inactive.delivery, inactive.attempts) == ("failed", 8)
    assert (active.delivery, active.attempts) == ("sent", 1)
    assert [m.to for m in mailoutbox] == [[active.user.email]]
    shown = {m.level_tag: str(m) for m in get_messages(response.wsgi_request)}
    assert shown == {
        "success": "Resent 1 notifications.",
        "error": f"{inactive}: {services.RecipientInactive.default_detail}",
    }


@pytest.mark.parametrize(
    ("kind", "status_now"),
    [
        (Notification.Kind.BOOKING_CONFIRMED, "CANCELLED"),
        (Notification.Kind.WAITLIST_PROMOTED, "CANCELLED"),
        (Notification.Kind.WAITLIST_JOINED, "CONFIRMED"),
        (Notification.Kind.WAITLIST_JOINED, "CANCELLED"),
    ],
)
def test_resend_of_a_notification_the_booking_has_outdated_sends_nothing(
    kind, status_now, console, booking_factory, notification_factory, mailoutbox,
    django_capture_on_commit_callbacks,
) -> None:
    """A confirmation (with its calendar file) for a booking cancelled since, or "you are on
    the waitlist" once promoted, would mislead: the console refuses to send it again."""
    booking = booking_factory(
        status=status_now, cancelled_at=timezone.now() if status_now == "CANCELLED" else None
    )
    sent = notification_factory(
        user=booking.user, booking=booking, kind=kind, delivery="sent", attempts=1, sent_at=timezone.now()
    )
    before = Notification.objects.values().get(pk=sent.pk)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = _resend(console, sent)

    assert Notification.objects.values().get(pk=sent.pk) == before
    assert mailoutbox == [] and callbacks == []
    errors = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
    assert errors == [f"{sent}: {services.NotificationOutdated.default_detail}"]


@pytest.mark.parametrize(
    ("kind", "status_now"),
    [
        (Notification.Kind.BOOKING_CONFIRMED, "CONFIRMED"),
        (Notification.Kind.WAITLIST_JOINED, "WAITLISTED"),
        (Notification.Kind.BOOKING_CANCELLED, "CANCELLED"),
    ],
)
def test_resend_of_a_notification_that_still_holds_sends_it(
    kind, status_now, console, booking_factory, notification_factory, mailoutbox,
    django_capture_on_commit_callbacks,
) -> None:
    booking = booking_factory(
        status=status_now, cancelled_at=timezone.now() if status_now == "CANCELLED" else None
    )
    sent = notification_factory(
        user=booking.user, booking=booking, kind=kind, delivery="sent", attempts=1, sent_at=timezone.now()
    )

    with django_capture_on_commit_callbacks(execute=True):
        _resend(console, sent)

    assert [m.to for m in mailoutbox] == [[booking.user.email]]


def test_resend_of_an_active_accounts_sent_notification_sends_it_again(
    console, notification_factory, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    sent = notification_factory(delivery="sent", attempts=1, sent_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        _resend(console, sent)

    sent.refresh_from_db()
    assert (sent.delivery, sent.attempts) == ("sent", 1)
    assert [m.extra_headers["Message-ID"] for m in mailoutbox] == [sent.message_id]


def test_the_service_refuses_to_resend_to_an_inactive_account(notification_factory) -> None:
    notification = notification_factory(user=UserFactory(is_active=False), delivery="failed", attempts=8)

    with pytest.raises(services.RecipientInactive):
        services.notification_resend(notification_id=notification.pk)

    notification.refresh_from_db()
    assert (notification.delivery, notification.attempts) == ("failed", 8)


@pytest.fixture
def rows(notification_factory, booking) -> dict[str, tuple[str, type, int]]:  # noqa: ANN001
    notification = notification_factory(user=booking.user, booking=booking)
    change = EventChange.objects.create(event=booking.event, changes={"venue": ["A", "B"]})
    return {"notification": (NOTIFICATIONS, Notification, notification.pk),
            "event change": (EVENT_CHANGES, EventChange, change.pk)}


@pytest.mark.parametrize("which", ["notification", "event change"])
def test_the_delete_page_is_refused(console, rows, which) -> None:  # noqa: ANN001
    url, model, pk = rows[which]

    assert console.get(f"{url}{pk}/delete/").status_code == 403
    assert console.post(f"{url}{pk}/delete/", {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=pk).exists()


@pytest.mark.parametrize("which", ["notification", "event change"])
def test_delete_selected_is_not_offered_and_a_forged_one_deletes_nothing(console, rows, which) -> None:  # noqa: ANN001
    url, model, pk = rows[which]

    page = console.get(url)
    assert page.status_code == 200
    assert b'value="delete_selected"' not in page.content

    response = console.post(url, {"action": "delete_selected", "_selected_action": [pk], "post": "yes"})

    assert response.status_code in (200, 302, 403)
    assert model.objects.filter(pk=pk).exists()


@pytest.mark.parametrize("which", ["notification", "event change"])
def test_the_rows_can_still_be_viewed(console, rows, which) -> None:  # noqa: ANN001
    url, _model, pk = rows[which]

    assert console.get(f"{url}{pk}/change/").status_code == 200
    assert console.get(url).status_code == 200


def test_an_event_change_is_shown_but_never_saved_from_the_console(console, event) -> None:  # noqa: ANN001
    """Nothing on its page is editable: a Save wrote the row back as loaded (fanned_out_at
    too, racing the sweep) and logged "changed successfully"."""
    from django.contrib.admin.models import LogEntry

    change = EventChange.objects.create(event=event, changes={"venue": ["A", "B"]})

    assert console.get(f"{EVENT_CHANGES}{change.pk}/change/").status_code == 200
    response = console.post(f"{EVENT_CHANGES}{change.pk}/change/", {"_save": "Save"})

    assert response.status_code == 403
    assert not LogEntry.objects.exists()
