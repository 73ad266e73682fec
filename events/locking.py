"""The event row lock: every change to an event's inventory happens inside `locked_event`.

Lock order for the whole project: the Event row, then seats, then bookings. Seats and
bookings of an event are only written while its row is locked, so the row lock alone
serializes every inventory change of that event.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, connection, transaction

from events.exceptions import EventBusy, EventNotFound
from events.models import Event
from evently import metrics
from evently.db import fetch_by_pk

_LOCK_TIMEOUT_SQLSTATES = {"55P03", "57014"}  # lock_not_available, query_canceled


def is_lock_timeout(exc: BaseException) -> bool:
    cause = exc.__cause__
    sqlstate = getattr(cause, "sqlstate", None) or getattr(getattr(cause, "diag", None), "sqlstate", None)
    if sqlstate in _LOCK_TIMEOUT_SQLSTATES:
        return True
    return "database is locked" in str(exc)  # SQLite: the busy timeout ran out


_sqlite_writers = threading.Lock()


@contextmanager
def _sqlite_writer_turn() -> Iterator[None]:
    """SQLite locks the whole database, and its busy handler polls with growing sleeps: under
    contention a writer can starve past the timeout while others keep winning. Writers of
    one process therefore queue on a plain lock first (a blocked thread wakes on release).
    PostgreSQL needs none of this: waiters queue on the row lock itself."""
    if connection.vendor != "sqlite":
        yield
        return
    if not _sqlite_writers.acquire(timeout=settings.BOOKING_LOCK_TIMEOUT):
        metrics.LOCK_TIMEOUTS.inc()
        raise EventBusy(retry_after=1)
    try:
        yield
    finally:
        _sqlite_writers.release()


@contextmanager
def lock_timeout_as_busy() -> Iterator[None]:
    """A lock not granted within BOOKING_LOCK_TIMEOUT becomes EventBusy (503 + Retry-After)."""
    try:
        yield
    except OperationalError as exc:
        if is_lock_timeout(exc):
            metrics.LOCK_TIMEOUTS.inc()
            raise EventBusy(retry_after=1) from exc
        raise


@contextmanager
def locked_event(event_id: int) -> Iterator[Event]:
    """Open a transaction (nestable) and lock the event row (`SELECT ... FOR UPDATE`).

    Anything read before this is a hint; re-read inside. A lock not granted within
    BOOKING_LOCK_TIMEOUT (PostgreSQL `lock_timeout`, SQLite busy timeout) raises EventBusy
    (503 + Retry-After) with nothing changed.
    """
    with lock_timeout_as_busy(), _sqlite_writer_turn(), transaction.atomic():
        event = fetch_by_pk(Event, event_id, for_update=True)
        if event is None:
            raise EventNotFound()
        locked_at = time.perf_counter()
        yield event
    metrics.EVENT_LOCK_HELD_SECONDS.observe(time.perf_counter() - locked_at)


def require_event_lock() -> None:
    """Guard for helpers whose caller must hold the event row lock."""
    if not connection.in_atomic_block:
        raise RuntimeError("this helper must run inside locked_event()")
