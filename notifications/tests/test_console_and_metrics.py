"""The staff console's notification list and resend action; /metrics."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone


def _gauge(text: str, name: str) -> float:
    return float(text.split(f"\n{name} ")[1].split()[0])


def test_staff_console_lists_notifications_with_their_delivery_state(admin, notification_factory) -> None:
    notification_factory(kind="waitlist_promoted", delivery="failed", last_error="SMTP down")
    client = Client()
    client.force_login(admin)

    page = client.get("/staff/notifications/notification/?delivery__exact=failed")

    assert page.status_code == 200
    assert b"Promoted from the waitlist" in page.content and b"Failed" in page.content


def test_resend_action_delivers_a_failed_notification(admin, notification_factory, mailoutbox, django_capture_on_commit_callbacks) -> None:
    failed = notification_factory(delivery="failed", attempts=8, last_error="SMTP down")
    client = Client()
    client.force_login(admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/staff/notifications/notification/", {"action": "resend", "_selected_action": [failed.id]}
        )

    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.delivery == "sent" and failed.attempts == 1
    assert [m.extra_headers["Message-ID"] for m in mailoutbox] == [failed.message_id]


def test_metrics_show_notifications_by_kind_and_state_and_the_oldest_pending_age(client, notification_factory) -> None:
    notification_factory(kind="booking_cancelled", created_at=timezone.now() - timedelta(minutes=10))
    notification_factory(kind="booking_cancelled", delivery="sent", sent_at=timezone.now())

    text = client.get("/metrics").content.decode()

    assert 'evently_notifications{delivery="pending",kind="booking_cancelled"} 1.0' in text
    assert 'evently_notifications{delivery="sent",kind="booking_cancelled"} 1.0' in text
    assert 'evently_notifications{delivery="failed",kind="password_reset"} 0.0' in text
    assert 590 < _gauge(text, "evently_notifications_oldest_pending_seconds") < 700
    assert 'evently_notification_deliveries_total{kind="event_changed",outcome="sent"}' in text


def test_the_oldest_pending_age_is_zero_when_nothing_is_pending(client, db) -> None:

    text = client.get("/metrics").content.decode()

    assert "\nevently_notifications_oldest_pending_seconds 0.0" in text


def test_metrics_show_how_long_an_event_change_has_waited_for_its_fan_out(client, booking) -> None:
    from notifications.models import EventChange

    assert _gauge(client.get("/metrics").content.decode(), "evently_event_changes_oldest_unfanned_seconds") == 0.0
    stuck = EventChange.objects.create(
        event=booking.event, changes={"venue": ["A", "B"]}, created_at=timezone.now() - timedelta(minutes=10)
    )
    EventChange.objects.create(event=booking.event, changes={"venue": ["B", "C"]}, fanned_out_at=timezone.now(),
                               created_at=timezone.now() - timedelta(hours=1))

    assert 590 < _gauge(client.get("/metrics").content.decode(), "evently_event_changes_oldest_unfanned_seconds") < 700

    EventChange.objects.filter(pk=stuck.pk).update(fanned_out_at=timezone.now())
    assert _gauge(client.get("/metrics").content.decode(), "evently_event_changes_oldest_unfanned_seconds") == 0.0


def test_a_bookings_console_page_shows_its_notifications(admin, booking, notification_factory) -> None:
    notification_factory(user=booking.user, booking=booking, kind="booking_cancelled", delivery="failed", last_error="SMTP 554 rejected")
    client = Client()
    client.force_login(admin)

    page = client.get(f"/staff/bookings/booking/{booking.id}/change/")

    assert page.status_code == 200
    assert b"SMTP 554 rejected" in page.content and b"Booking cancelled" in page.content


def test_metrics_under_gunicorns_shared_counters_still_show_the_notification_gauges(
    client, notification_factory, monkeypatch, tmp_path
) -> None:
    """gunicorn.conf.py sets PROMETHEUS_MULTIPROC_DIR so /metrics adds up every worker's
    counters; the gauges read from the database at scrape time must still be there."""
    notification_factory(kind="booking_cancelled", created_at=timezone.now() - timedelta(minutes=10))
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))

    text = client.get("/metrics").content.decode()

    assert 'evently_notifications{delivery="pending",kind="booking_cancelled"} 1.0' in text
    assert 590 < _gauge(text, "evently_notifications_oldest_pending_seconds") < 700
    assert "\nevently_event_changes_oldest_unfanned_seconds 0.0" in text
