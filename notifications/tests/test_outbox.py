"""Each kind of notification is written in the transaction of its change, and only if that
transaction commits. The lower apps' services send these signals; here the tests send them
the way the services do (inside the transaction, right after the write)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.db import transaction

from accounts.models import User
from accounts.signals import password_reset_requested
from accounts.tests.factories import UserFactory
from bookings.models import Booking
from bookings.services import BookingRequest, booking_cancel, booking_create
from bookings.signals import booking_cancelled, booking_confirmed, booking_waitlisted
from events.models import Event
from events.services import event_update
from events.signals import event_rescheduled
from events.tests.factories import EventFactory
from notifications import delivery, services
from notifications.models import EventChange, Notification

Kind = Notification.Kind


class Boom(Exception):
    pass


def _send_confirmed(booking: Booking, promoted: bool = False) -> None:
    booking.seat_labels = ["A-1", "A-2"]
    booking_confirmed.send(sender=Booking, booking=booking, promoted=promoted)


SENDERS = {
    Kind.BOOKING_CONFIRMED: lambda b: _send_confirmed(b),
    Kind.WAITLIST_PROMOTED: lambda b: _send_confirmed(b, promoted=True),
    Kind.WAITLIST_JOINED: lambda b: booking_waitlisted.send(sender=Booking, booking=b),
    Kind.BOOKING_CANCELLED: lambda b: booking_cancelled.send(
        sender=Booking, booking=b, by_admin=True, previous_status="CONFIRMED"
    ),
}


@pytest.mark.parametrize("kind", list(SENDERS))
def test_booking_notifications_are_written_inside_the_change_transaction(booking, kind) -> None:
    with transaction.atomic():
        SENDERS[kind](booking)
        written = list(Notification.objects.filter(booking=booking))

    assert [(n.kind, n.user_id, n.event_id, n.delivery) for n in written] == [
        (kind, booking.user_id, booking.event_id, "pending")
    ]
    assert booking.event.name in written[0].title


@pytest.mark.parametrize("kind", list(SENDERS))
def test_a_rolled_back_change_leaves_no_notification(booking, kind) -> None:
    with pytest.raises(Boom), transaction.atomic():
        SENDERS[kind](booking)
        raise Boom

    assert not Notification.objects.filter(booking=booking).exists()


def test_delivery_is_queued_only_after_commit(booking, django_capture_on_commit_callbacks, mailoutbox) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            _send_confirmed(booking)
    assert mailoutbox == []  # nothing sent inside the transaction

    for callback in callbacks:
        callback()

    assert [m.to for m in mailoutbox] == [[booking.user.email]]


def test_confirmation_body_names_seats_time_and_zone(booking) -> None:
    with transaction.atomic():
        _send_confirmed(booking)

    notification = Notification.objects.get(booking=booking)
    assert "A-1, A-2" in notification.body
    assert "(UTC)" in notification.body
    assert notification.data["seat_labels"] == ["A-1", "A-2"]


def test_cancellation_by_admin_says_so(booking) -> None:
    SENDERS[Kind.BOOKING_CANCELLED](booking)

    assert "An organizer cancelled" in Notification.objects.get(booking=booking).body


def test_password_reset_request_is_written_in_its_transaction(user) -> None:
    with pytest.raises(Boom), transaction.atomic():
        password_reset_requested.send(sender=User, user=user)
        assert Notification.objects.filter(user=user, kind=Kind.PASSWORD_RESET).count() == 1
        raise Boom

    assert not Notification.objects.filter(user=user).exists()


def test_an_event_change_writes_one_outbox_row_not_one_per_person(booking) -> None:
    event = booking.event
    old_start = event.start_time
    event.start_time = old_start + timedelta(days=1)
    event.end_time = event.end_time + timedelta(days=1)

    with transaction.atomic():
        event.save()
        event_rescheduled.send(
            sender=Event, event=event,
            changes={"start_time": (old_start, event.start_time), "end_time": (None, None)},
        )
        changes = list(EventChange.objects.filter(event=event))
        assert not Notification.objects.filter(event=event).exists()

    assert len(changes) == 1
    assert changes[0].changes["start_time"] == [old_start.isoformat(), event.start_time.isoformat()]


def test_an_event_change_rolled_back_leaves_no_outbox_row(event) -> None:
    with pytest.raises(Boom), transaction.atomic():
        event_rescheduled.send(sender=Event, event=event, changes={"venue": ("Old", "New")})
        raise Boom

    assert not EventChange.objects.filter(event=event).exists()


def test_fan_out_tells_each_holder_and_waiter_once(booking_factory, django_capture_on_commit_callbacks) -> None:
    event = EventFactory(capacity=10)
    holder = booking_factory(event=event)
    booking_factory(event=event, user=holder.user, status=Booking.Status.WAITLISTED)  # same person
    waiter = booking_factory(event=event, status=Booking.Status.WAITLISTED)
    booking_factory(event=event, status=Booking.Status.CANCELLED, cancelled_at=event.created_at)
    change = services.event_change_record(event=event, changes={"venue": ("Old Hall", "New Hall")})

    with django_capture_on_commit_callbacks(execute=False):
        written = services.event_change_fan_out(change_id=change.pk)

    rows = Notification.objects.filter(change=change)
    assert written == 2
    assert sorted(rows.values_list("user_id", flat=True)) == sorted([holder.user_id, waiter.user_id])
    assert "Venue: New Hall (was Old Hall)" in rows.first().body


@pytest.mark.django_db(transaction=True)
def test_a_change_to_a_20000_person_event_commits_fast_and_fans_out_in_batches(monkeypatch) -> None:
    people = 20_000
    event = EventFactory(capacity=people, booked_count=people)
    User.objects.bulk_create(
        [User(email=f"fan{i}@example.com", name=f"Fan {i}", password="!") for i in range(people)],
        batch_size=2000,
    )
    user_ids = list(User.objects.filter(email__startswith="fan").values_list("id", flat=True))
    Booking.objects.bulk_create(
        [Booking(user_id=uid, event=event, qty=1, status=Booking.Status.CONFIRMED) for uid in user_ids],
        batch_size=2000,
    )
    queued: list[list[int]] = []
    monkeypatch.setattr(delivery, "deliver_in_process", lambda notification_ids: queued.append(list(notification_ids)))
    fanned: list[int] = []
    monkeypatch.setattr(delivery, "publish_fan_out", fanned.append)
    old_start = event.start_time

    started = time.perf_counter()
    with transaction.atomic():
        event.start_time = old_start + timedelta(hours=2)
        event.end_time = event.end_time + timedelta(hours=2)
        event.save()
        event_rescheduled.send(sender=Event, event=event, changes={"start_time": (old_start, event.start_time)})
    commit_seconds = time.perf_counter() - started

    assert commit_seconds < 0.5
    assert len(fanned) == 1  # the fan-out is queued after commit, not run inside it

    assert services.event_change_fan_out(change_id=fanned[0]) == people

    assert Notification.objects.filter(change_id=fanned[0]).count() == people
    assert len(queued) == people // services.FAN_OUT_BATCH  # one transaction and one queueing per batch
    assert sum(len(ids) for ids in queued) == people
    assert EventChange.objects.get(pk=fanned[0]).fanned_out_at is not None


def test_fan_out_tells_who_held_the_event_when_it_changed_not_when_the_worker_ran(
    db, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    # The worker may fan out long after the change (down, or behind): a holder who cancelled
    # since is still told; someone who booked since is not. Through the real services.
    fanned: list[int] = []
    monkeypatch.setattr(delivery, "publish_fan_out", fanned.append)  # the worker is down
    event = EventFactory(capacity=5)
    kept, cancelled_since, booked_since, cancelled_before = (UserFactory() for _ in range(4))
    booked = {
        user: booking_create(user=user, event_id=event.pk, request=BookingRequest(qty=1), idempotency_key=None).booking
        for user in (kept, cancelled_since, cancelled_before)
    }
    booking_cancel(booking_id=booked[cancelled_before].pk, actor=cancelled_before)

    with django_capture_on_commit_callbacks(execute=True):
        event_update(event_id=event.pk, venue="New Hall")
    booking_cancel(booking_id=booked[cancelled_since].pk, actor=cancelled_since)
    booking_create(user=booked_since, event_id=event.pk, request=BookingRequest(qty=1), idempotency_key=None)

    assert len(fanned) == 1 and not Notification.objects.filter(kind=Kind.EVENT_CHANGED).exists()
    assert services.event_change_fan_out(change_id=fanned[0]) == 2
    told = Notification.objects.filter(change_id=fanned[0]).values_list("user_id", flat=True)
    assert sorted(told) == sorted([kept.pk, cancelled_since.pk])


def test_fan_out_run_twice_writes_nothing_twice(booking, django_capture_on_commit_callbacks) -> None:
    change = services.event_change_record(event=booking.event, changes={"venue": ("A", "B")})
    with django_capture_on_commit_callbacks(execute=False):
        assert services.event_change_fan_out(change_id=change.pk) == 1
        # a second run that overlapped the first (before fanned_out_at was set)
        EventChange.objects.filter(pk=change.pk).update(fanned_out_at=None)
        assert services.event_change_fan_out(change_id=change.pk) == 0
        assert services.event_change_fan_out(change_id=change.pk) == 0

    assert Notification.objects.filter(change=change).count() == 1
