"""Run N callables at once: threads released together by a barrier, each closing its own
database connection at the end. And, on PostgreSQL, watch for transactions that wait for a
lock, so a test can hold a transaction open until another one really waits on it, instead of
sleeping and hoping the other thread got there.

A failure is reported as a short summary (how many failed, the first few distinct errors,
each cut to a few lines), never every thread's traceback or a huge repr: a lock regression
makes every thread fail at once.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.db import connection, connections

MAX_DISTINCT_ERRORS = 3
MAX_MESSAGE_CHARS = 300
MAX_TRACEBACK_LINES = 12


def _short(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def summarize_errors(errors: list[BaseException], total: int) -> str:
    """`N of M workers failed` and the first few distinct errors (type, shortened message,
    the last lines of one traceback each)."""
    kinds = Counter(f"{type(e).__name__}: {_short(e)}" for e in errors)
    lines = [f"{len(errors)} of {total} workers failed; {len(kinds)} distinct error(s)"]
    shown: set[str] = set()
    for error in errors:
        key = f"{type(error).__name__}: {_short(error)}"
        if key in shown:
            continue
        shown.add(key)
        lines.append(f"- {kinds[key]} × {key}")
        frames = traceback.format_exception(error.__class__, error, error.__traceback__, chain=False)
        tail = "".join(frames).splitlines()[-MAX_TRACEBACK_LINES:]
        lines += [f"    {_short(line, 200)}" for line in tail]
        if len(shown) >= MAX_DISTINCT_ERRORS:
            break
    return "\n".join(lines)


def run_concurrently(
    tasks: list[Callable[[], Any]], *, timeout: float = 120, meanwhile: Callable[[], None] | None = None
) -> list[Any]:
    """Run `tasks` in threads released together; `meanwhile` runs in this thread once they
    are started (a `RowLockHeld.release_when_waited`, say)."""
    barrier = threading.Barrier(len(tasks))
    results: list[Any] = [None] * len(tasks)

    def worker(index: int, task: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=timeout)
            results[index] = task()
        except BaseException as exc:  # noqa: BLE001 - reported to the test, summarized
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
            thread.join(timeout)
    hung = sum(thread.is_alive() for thread in threads)
    assert not hung, f"{hung} of {len(threads)} worker threads hung"
    errors = [r for r in results if isinstance(r, BaseException)]
    if errors:
        # Raised from None, with the tracebacks dropped: pytest must not render each
        # worker's frames and locals.
        raise AssertionError(summarize_errors(errors, len(tasks))) from None
    return results


def wait_until(condition: Callable[[], bool], *, what: str, timeout: float = 30.0) -> None:
    """Poll `condition` until it holds; fail naming `what` after `timeout` seconds (a hang,
    never a slow machine: the timeout is far above any expected wait)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.005)


class LockWaits:
    """Counts the backends of the test database that wait for a lock (PostgreSQL's
    pg_stat_activity), over a connection of its own (autocommit: a fresh view each time).
    A context manager; only for PostgreSQL."""

    def __init__(self) -> None:
        if connection.vendor != "postgresql":
            raise RuntimeError("lock waits are observable on PostgreSQL only")
        self.connection = connections.create_connection("default")

    def count(self, *, on: str | None = None) -> int:
        """How many wait for a lock now (`on`: only those whose query contains it)."""
        sql = (
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        params: list[str] = []
        if on is not None:
            sql += " AND strpos(query, %s) > 0"
            params.append(on)
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]

    def __enter__(self) -> "LockWaits":
        return self

    def __exit__(self, *exc: object) -> None:
        self.connection.close()


class RowLockHeld:
    """A row locked (FOR NO KEY UPDATE: the foreign-key checks of inserts that name it still
    pass) by a transaction of its own, so the threads of a test meet there:
    `release_when_waited(n)` ends that transaction once n transactions wait for a lock at
    the same time (this one, or one held by another thread: retries of one booking wait for
    the first one's row). That proves the threads overlapped: run one after another, they
    would pass every invariant without ever meeting, even with the lock gone. PostgreSQL
    only; elsewhere (SQLite, whose writers take turns on the whole database) it holds
    nothing and releases at once. A context manager: released on exit whatever happened."""

    def __init__(self, table: str, pk: int) -> None:
        self.holder = None
        if connection.vendor == "postgresql":
            self.holder = connections.create_connection("default")
            self.holder.set_autocommit(False)
            with self.holder.cursor() as cursor:
                quoted = self.holder.ops.quote_name(table)
                cursor.execute(f"SELECT 1 FROM {quoted} WHERE id = %s FOR NO KEY UPDATE", [pk])
                if cursor.fetchone() is None:
                    raise LookupError(f"no row {table} #{pk}")

    def release_when_waited(self, waiters: int = 2) -> Callable[[], None]:
        def release() -> None:
            if self.holder is None:
                return
            try:
                with LockWaits() as locks:
                    wait_until(lambda: locks.count() >= waiters,
                               what=f"{waiters} of the threads' transactions to wait for a lock at once")
            finally:
                self.release()

        return release

    def release(self) -> None:
        if self.holder is not None:
            self.holder.rollback()
            self.holder.close()
            self.holder = None

    def __enter__(self) -> "RowLockHeld":
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
