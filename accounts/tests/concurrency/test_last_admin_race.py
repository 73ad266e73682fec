"""Two concurrent changes that would each remove one of the last two active admins: exactly
one wins (the admin lock serializes them), on PostgreSQL and SQLite alike."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from accounts.exceptions import LastAdmin
from accounts.models import User
from accounts.services import user_set_role, user_update
from accounts.tests.factories import UserFactory
from bookings.tests.concurrency.threads import RowLockHeld

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def _together(tasks: list[Callable[[], Any]], meanwhile: Callable[[], None] | None = None) -> list[Any]:
    barrier = threading.Barrier(len(tasks))
    results: list[Any] = [None] * len(tasks)

    def worker(index: int, task: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = task()
        except Exception as exc:  # noqa: BLE001 - the outcome under test
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, t)) for i, t in enumerate(tasks)]
    for thread in threads:
        thread.start()
    try:
        if meanwhile is not None:
            meanwhile()
    finally:
        for thread in threads:
            thread.join(60)
    assert not any(thread.is_alive() for thread in threads), "a worker hung"
    return results


@pytest.mark.parametrize("how", ["demote", "deactivate", "mixed"])
def test_two_concurrent_removals_leave_one_active_admin(how: str) -> None:
    first, second = UserFactory(role=User.Role.ADMIN), UserFactory(role=User.Role.ADMIN)
    remove = {
        "demote": lambda u: user_set_role(user_id=u.id, role=User.Role.USER),
        "deactivate": lambda u: user_update(user_id=u.id, is_active=False),
    }
    kinds = {"demote": ("demote", "demote"), "deactivate": ("deactivate", "deactivate"), "mixed": ("demote", "deactivate")}[how]

    # PostgreSQL: both wait at the admin lock before either goes on (one after the other, the
    # second is refused even without the lock, and the test would prove nothing).
    with RowLockHeld(User._meta.db_table, first.pk) as lock:
        results = _together([lambda: remove[kinds[0]](first), lambda: remove[kinds[1]](second)],
                            meanwhile=lock.release_when_waited(2))

    refused = [r for r in results if isinstance(r, LastAdmin)]
    assert len(refused) == 1, results
    assert not [r for r in results if isinstance(r, Exception) and not isinstance(r, LastAdmin)], results
    assert User.objects.active_admins().count() == 1
