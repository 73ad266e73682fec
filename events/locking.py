"""The event row lock: every change to an event's inventory happens inside `locked_event`.

Lock order for the whole project: the Event row, then seats, then bookings and tickets.
Seats, bookings and tickets of an event are only written while its row is locked
(`transaction.atomic()` + `select_for_update()`), so the row lock alone serializes every
inventory change of that event. Helpers that need the lock take the locked Event instance
and call `assert_locked(event)`.
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
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        # Inside a caller's transaction (the staff console wraps services in its own atomic
        # block) the database lock is the caller's already, or will be at its first write:
        # queueing here as well could invert the order of the two locks.
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


class InventoryTransaction:
    """The open transaction of `inventory_transaction`; `lock(event_id)` takes the event lock."""

    def __init__(self) -> None:
        self.event: Event | None = None
        self.locked_at: float | None = None

    def lock(self, event_id: int) -> Event:
        """Lock the event row (`select_for_update()`) in this transaction and return the
        locked Event, marked for `assert_locked` until the transaction ends. At most once per
        transaction. Raises EventNotFound; a lock not granted in time ends the transaction
        with EventBusy."""
        if self.event is not None:
            raise RuntimeError("inventory_transaction locks one event")
        event = _fetch_locked(event_id)
        event._locked_in = _current_transaction()
        self.event, self.locked_at = event, time.perf_counter()
        return event


@contextmanager
def inventory_transaction() -> Iterator[InventoryTransaction]:
    """Open the transaction an inventory change runs in (`transaction.atomic()`, nestable as
    a savepoint), WITHOUT the event lock yet: what needs no lock (for example a row whose
    unique index decides a replay) is written first, then `tx.lock(event_id)` takes the hot
    row as late as possible. Raises EventBusy (503 + Retry-After, nothing changed) when the
    lock is not granted within BOOKING_LOCK_TIMEOUT (PostgreSQL `lock_timeout`; on SQLite
    the writer queue and the busy timeout, the database itself being the lock)."""
    tx = InventoryTransaction()
    try:
        with lock_timeout_as_busy(), _sqlite_writer_turn(), transaction.atomic():
            yield tx
    finally:
        if tx.event is not None:
            tx.event._locked_in = None
    if tx.locked_at is not None:
        metrics.EVENT_LOCK_HELD_SECONDS.observe(time.perf_counter() - tx.locked_at)


@contextmanager
def locked_event(event_id: int) -> Iterator[Event]:
    """Open a transaction (`transaction.atomic()`, nestable: inside a caller's atomic block it
    is a savepoint and the lock lasts until the caller commits) and lock the event row with
    `select_for_update()` at once. Yields the locked Event, marked for `assert_locked`.

    Anything read before this is a hint; re-read inside. Raises EventNotFound for an unknown
    id, EventBusy as `inventory_transaction` does.
    """
    with inventory_transaction() as tx:
        yield tx.lock(event_id)


def _fetch_locked(event_id: int) -> Event:
    """`SELECT ... FOR UPDATE` of the event row (the one place the lock is taken; the control
    test replaces it to show the oversell without it). Raises EventNotFound."""
    try:
        return Event.objects.select_for_update().get(pk=event_id)
    except Event.DoesNotExist:
        raise EventNotFound() from None


def _current_transaction() -> object | None:
    """The outermost atomic block of this thread's connection: it identifies the open
    transaction (a new block is made for every transaction)."""
    return connection.atomic_blocks[0] if connection.in_atomic_block and connection.atomic_blocks else None


def assert_locked(event: Event) -> None:
    """Guard for helpers whose caller must hold the event row lock: `event` must be the
    instance `locked_event` yielded, inside the transaction that locked it."""
    locked_in = getattr(event, "_locked_in", None)
    if locked_in is None or locked_in is not _current_transaction():
        raise RuntimeError(f"event #{event.pk} is not locked by this transaction (use locked_event)")
