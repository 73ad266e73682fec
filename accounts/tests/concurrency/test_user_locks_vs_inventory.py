"""The accounts services' row locks (the admin lock, a user's own row) against the booking
engine's commits, on the real database (PostgreSQL in CI's second run, SQLite in the first).

Every booking, ticket and notification row points at a user; PostgreSQL checks those foreign
keys when the inventory transaction commits, with FOR KEY SHARE on each user row it names,
while that transaction still holds the event lock. A user lock that conflicts with KEY SHARE
(plain FOR UPDATE) therefore makes the event's commit wait on the accounts service, and with
two users in play (a cancellation that promotes an admin's waiting booking) the waits close
a cycle: PostgreSQL aborts one side with "deadlock detected"."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tests.factories import UserFactory
from bookings import services
from bookings.inventory import inventory_violations
from bookings.models import Booking
from bookings.tests.concurrency.threads import LockWaits, run_concurrently, wait_until
from conftest import token_for
from events.tests.factories import EventFactory
from notifications.models import Notification

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def client(user: User) -> APIClient:
    c = APIClient(raise_request_exception=False)
    c.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")
    return c


def test_a_role_change_racing_a_cancellation_that_promotes_an_admin_both_succeed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a sold-out event: a user holds the only seat, an admin waits for it.
    admin, boss = UserFactory(role=User.Role.ADMIN), UserFactory(role=User.Role.ADMIN)
    holder = UserFactory()
    event = EventFactory(capacity=1)
    held = services.booking_create(
        user=holder, event_id=event.id, request=services.BookingRequest(qty=1), idempotency_key="h"
    ).booking
    waiting = services.booking_create(
        user=admin, event_id=event.id, request=services.BookingRequest(qty=1, waitlist=True),
        idempotency_key="w",
    ).booking
    # The role change pauses between the admin lock and the user's own row until the
    # cancellation has committed or waits for a lock (PostgreSQL): the window a slow
    # statement or a busy machine opens. (A fixed pause could end before the cancellation
    # got anywhere on a loaded machine, and the two then ran one after the other.) On SQLite
    # the role change's transaction holds the database's write lock: the cancellation waits
    # for its commit whatever happens, so there is no window to wait for.
    admins_locked, cancelled = threading.Event(), threading.Event()
    manager = type(User.objects)
    lock_user_row = manager.select_for_update
    role_changer: list[threading.Thread] = []

    def widened(self, *args, **kwargs):
        if role_changer == [threading.current_thread()] and not admins_locked.is_set():
            admins_locked.set()
            if connection.vendor == "postgresql":
                with LockWaits() as locks:
                    wait_until(lambda: cancelled.is_set() or locks.count() > 0,
                               what="the cancellation to commit or wait for a lock")
        return lock_user_row(self, *args, **kwargs)

    monkeypatch.setattr(manager, "select_for_update", widened)

    def change_role() -> int:
        role_changer.append(threading.current_thread())
        return client(boss).patch(
            f"/admin/users/{holder.id}/role", {"role": "checkin"}, format="json"
        ).status_code

    def cancel() -> int:
        assert admins_locked.wait(30)
        try:
            return client(holder).delete(f"/bookings/{held.id}").status_code
        finally:
            cancelled.set()

    # When the holder cancels while an admin changes the holder's role
    results = run_concurrently([change_role, cancel])

    # Then both succeed (no deadlock, no 503), and the admin got the seat.
    assert results == [200, 200], results
    assert User.objects.get(pk=holder.id).role == User.Role.CHECKIN
    waiting.refresh_from_db()
    assert waiting.status == Booking.Status.CONFIRMED
    assert Notification.objects.filter(booking=waiting, kind="waitlist_promoted").count() == 1
    assert inventory_violations(event_id=event.id) == []
