"""A deactivation in the staff console racing cancellations that would promote the account's
waiting bookings, on the real database (PostgreSQL in CI's second run, SQLite in the first).

The account's waitlist places are withdrawn after the deactivation commits, one event lock at
a time; a cancellation holding an event lock promotes whoever heads its queue, withdrawing the
places of accounts already deactivated first. So the account's place is promoted (a confirmed
booking, left alone) only by a cancellation that commits while the deactivation is still open;
otherwise it is withdrawn and the seat goes to the next person, whichever gets the event lock
first. Never a deadlock, a 500 or a broken inventory, and no waiting place of the deactivated
account is left."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tests.factories import UserFactory
from bookings import services
from bookings.inventory import inventory_violations
from bookings.models import Booking
from bookings.tests.concurrency.threads import LockWaits, RowLockHeld, run_concurrently, wait_until
from conftest import token_for
from events.models import Event
from events.tests.factories import EventFactory
from notifications.models import Notification

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

PROMOTED = ("CONFIRMED", "WAITLISTED")  # (the account's place, the next person's)
WITHDRAWN = ("CANCELLED", "CONFIRMED")


class SoldOut:
    """An event of one seat: a holder has it, the account waits at the head, someone behind."""

    def __init__(self, account: User) -> None:
        self.event = EventFactory(capacity=1)
        self.holder, self.behind = UserFactory(), UserFactory()
        self.held = self._book(self.holder, waitlist=False)
        self.place = self._book(account, waitlist=True)
        self.next_place = self._book(self.behind, waitlist=True)

    def _book(self, user: User, *, waitlist: bool) -> Booking:
        return services.booking_create(
            user=user, event_id=self.event.id, request=services.BookingRequest(qty=1, waitlist=waitlist),
            idempotency_key=None,
        ).booking

    def cancel(self) -> int:
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(self.holder)}")
        return api.delete(f"/bookings/{self.held.id}").status_code

    def outcome(self) -> tuple[str, str]:
        statuses = dict(Booking.objects.filter(pk__in=[self.place.pk, self.next_place.pk]).values_list("pk", "status"))
        return statuses[self.place.pk], statuses[self.next_place.pk]


def console_for(admin: User) -> Client:
    client = Client()
    client.force_login(admin)
    return client


def deactivate_in_console(staff: Client, account: User) -> int:
    """Untick "active" on the account's page and save: the redirect (302) is a success."""
    return staff.post(
        f"/staff/accounts/user/{account.id}/change/",
        {"name": account.name, "email": account.email, "role": account.role},
    ).status_code


def assert_settled(account: User, events: list[SoldOut]) -> None:
    assert not User.objects.get(pk=account.pk).is_active
    outcomes = [sold_out.outcome() for sold_out in events]
    assert set(outcomes) <= {PROMOTED, WITHDRAWN}, outcomes
    assert not Booking.objects.filter(user=account, status="WAITLISTED").exists()
    for sold_out in events:
        withdrawn = sold_out.outcome() == WITHDRAWN
        cancelled_rows = Notification.objects.filter(booking=sold_out.place, kind="booking_cancelled")
        assert cancelled_rows.count() == int(withdrawn)
        assert Event.objects.get(pk=sold_out.event.pk).booked_count == 1
    assert inventory_violations() == []


def after_a_wait_for_an_event_lock(task: Callable[[], int]) -> Callable[[], int]:
    """`task`, started once another transaction waits for an event row (PostgreSQL; at once
    elsewhere): it queues behind that one."""

    def gated() -> int:
        if connection.vendor == "postgresql":
            with LockWaits() as locks:
                wait_until(lambda: locks.count(on="events_event") >= 1, what="a wait for the event lock")
        return task()

    return gated


@pytest.mark.parametrize("first", ["cancellation", "withdrawal"])
def test_a_deactivation_and_cancellations_promoting_the_account_meet_at_the_event_lock(first: str) -> None:
    # Given an account waiting at the head of three sold-out events
    account, admin = UserFactory(), UserFactory(role=User.Role.ADMIN)
    events = sorted((SoldOut(account) for _ in range(3)), key=lambda s: s.event.id)
    staff = console_for(admin)

    # When staff deactivate the account while every holder cancels. On PostgreSQL the first
    # event's row (the withdrawal's first lock) is held until its cancellation and the
    # withdrawal both wait for it, `first` queued first
    deactivate, cancel_first = (lambda: deactivate_in_console(staff, account)), events[0].cancel
    if first == "cancellation":
        deactivate = after_a_wait_for_an_event_lock(deactivate)
    else:
        cancel_first = after_a_wait_for_an_event_lock(cancel_first)
    tasks = [deactivate, cancel_first] + [s.cancel for s in events[1:]]
    with RowLockHeld("events_event", events[0].event.id) as lock:
        results = run_concurrently(tasks, meanwhile=lock.release_when_waited(2))

    # Then every request succeeded, and each event ended one way or the other, consistently.
    # On PostgreSQL the deactivation had committed before either got the first event's lock
    # (its withdrawal runs after commit), so whichever came first, the seat went to the next
    # person: a cancellation that came first withdrew the account's place, not promoted it
    assert results == [302, 200, 200, 200], results
    assert_settled(account, events)
    if connection.vendor == "postgresql":
        assert events[0].outcome() == WITHDRAWN


def test_a_cancellation_promoting_the_account_commits_while_its_deactivation_is_open(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given an account waiting at the head of a sold-out event
    account, admin = UserFactory(), UserFactory(role=User.Role.ADMIN)
    sold_out = SoldOut(account)
    staff = console_for(admin)
    # The deactivation pauses after writing the account's row (its row lock held, nothing
    # committed) until the cancellation has committed or waits for a lock (PostgreSQL): the
    # cancellation promotes the account and writes its notification, whose foreign-key check
    # takes KEY SHARE on that row. On SQLite the deactivation holds the database's write lock
    # and the cancellation waits for its commit whatever happens: no window to wait for.
    saved, cancelled, overlapped = threading.Event(), threading.Event(), []
    deactivator: list[threading.Thread] = []
    save = User.save

    def paused_save(self: User, *args, **kwargs) -> None:
        save(self, *args, **kwargs)
        if deactivator == [threading.current_thread()] and not saved.is_set():
            saved.set()
            if connection.vendor == "postgresql":
                with LockWaits() as locks:
                    wait_until(lambda: cancelled.is_set() or locks.count() > 0,
                               what="the cancellation to commit or wait for a lock")
                overlapped.append(cancelled.is_set())

    monkeypatch.setattr(User, "save", paused_save)

    def deactivate() -> int:
        deactivator.append(threading.current_thread())
        return deactivate_in_console(staff, account)

    def cancel() -> int:
        assert saved.wait(30)
        try:
            return sold_out.cancel()
        finally:
            cancelled.set()

    # When the holder cancels while the account's deactivation is open
    results = run_concurrently([deactivate, cancel])

    # Then both succeed; on PostgreSQL the cancellation committed inside the deactivation's
    # window, so the account's place was promoted (a confirmed booking: left alone)
    assert results == [302, 200], results
    assert_settled(account, [sold_out])
    if connection.vendor == "postgresql":
        assert overlapped == [True]
        assert sold_out.outcome() == PROMOTED
