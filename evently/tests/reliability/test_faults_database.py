"""Database faults against a real server: lock contention past BOOKING_LOCK_TIMEOUT (both
backends), a connection killed mid-request and a booking transaction killed after taking
the event lock (PostgreSQL: pg_terminate_backend; a SIGKILLed worker too), every backend
connection dropped at once (what a database restart looks like to the app), and a server
restart. After each: clean JSON errors, no partial booking, check_inventory passes, and
later requests succeed."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from evently.tests.reliability.conftest import record
from evently.tests.reliability.live import LiveServer, is_json_error, suite_uses_postgres, token

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

postgres_only = pytest.mark.skipif(
    not suite_uses_postgres(),
    reason="needs PostgreSQL (pg_terminate_backend, row locks); runs in CI's PostgreSQL pass",
)


def bookings_with_key(server: LiveServer, key: str) -> list[tuple]:
    return server.db.query("SELECT id, status, qty FROM bookings_booking WHERE idempotency_key = ?", key)


def booked_count(server: LiveServer, event_id: int) -> int:
    return server.db.query("SELECT booked_count FROM events_event WHERE id = ?", event_id)[0][0]


def assert_inventory_ok(server: LiveServer) -> None:
    code, output = server.db.check_inventory()
    assert code == 0, output


@contextlib.contextmanager
def holding_event_lock(server: LiveServer, event_id: int) -> Iterator[None]:
    """Another client holds the event's inventory lock: PostgreSQL, the row lock every
    inventory writer takes; SQLite, the database write lock."""
    if server.db.vendor == "postgresql":
        conn = server.db.factory.postgres.connect(server.db.name)
        try:
            conn.execute("SELECT id FROM events_event WHERE id = %s FOR UPDATE", (event_id,))
            yield
        finally:
            conn.rollback()
            conn.close()
    else:
        conn = sqlite3.connect(server.db.name, timeout=30, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            yield
        finally:
            conn.execute("ROLLBACK")
            conn.close()


def in_thread(fn: Any) -> tuple[threading.Thread, dict]:
    box: dict = {}

    def run() -> None:
        try:
            box["response"] = fn()
        except requests.RequestException as exc:
            box["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    return thread, box


def wait_for_backend(server: LiveServer, *where: str, timeout: float = 15) -> int:
    """pid of the server's PostgreSQL backend that is waiting for a lock (`where`: LIKE
    patterns of its query, any of them)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = server.db.factory.postgres.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'"
            " AND query LIKE ANY(%s)",
            server.db.name, list(where),
        )
        if rows:
            return rows[0][0]
        time.sleep(0.05)
    raise AssertionError(f"no backend of {server.db.name} waits on a lock for {where!r}")


# --- lock contention -------------------------------------------------------------------------

def test_lock_wait_past_the_timeout_is_503_and_a_retry_with_the_key_books_once(start_server) -> None:  # noqa: ANN001
    server = start_server(BOOKING_LOCK_TIMEOUT="1")
    user = token(server.signup("contention@reliability.test"))
    event = server.create_event(capacity=10, seats=(1, 10))
    mine = server.post(f"/events/{event['id']}/book", {"qty": 1}, token=user, headers={"Idempotency-Key": "first"})
    assert mine.status_code == 200

    with holding_event_lock(server, event["id"]):
        started = time.monotonic()
        busy = server.post(f"/events/{event['id']}/book", {"qty": 2}, token=user, headers={"Idempotency-Key": "k1"})
        waited = time.monotonic() - started
        cancel = server.delete(f"/bookings/{mine.json()['id']}", token=user)
        patch = server.patch(f"/admin/events/{event['id']}", {"capacity": 12}, token=token(1))
    record("faults survived")

    for response in (busy, cancel, patch):
        assert response.status_code == 503, response.text
        assert response.json() == {"detail": "Event is busy, retry"}
        assert int(response.headers["Retry-After"]) >= 1
    assert 0.8 < waited < 10
    assert bookings_with_key(server, "k1") == []
    assert booked_count(server, event["id"]) == 1

    retry = server.post(f"/events/{event['id']}/book", {"qty": 2}, token=user, headers={"Idempotency-Key": "k1"})
    replay = server.post(f"/events/{event['id']}/book", {"qty": 2}, token=user, headers={"Idempotency-Key": "k1"})

    assert retry.status_code == 200 and retry.json()["status"] == "CONFIRMED"
    assert replay.status_code == 200 and replay.headers.get("Idempotent-Replayed") == "true"
    assert replay.json()["id"] == retry.json()["id"]
    assert len(bookings_with_key(server, "k1")) == 1
    assert booked_count(server, event["id"]) == 3
    assert_inventory_ok(server)


# --- a connection killed mid-request ---------------------------------------------------------

@postgres_only
def test_connection_killed_while_a_booking_waits_fails_cleanly_then_recovers(start_server) -> None:  # noqa: ANN001
    server = start_server(BOOKING_LOCK_TIMEOUT="20")
    user = token(server.signup("killed@reliability.test"))
    event = server.create_event(capacity=10, seats=(1, 10))

    with holding_event_lock(server, event["id"]):
        thread, box = in_thread(lambda: server.post(
            f"/events/{event['id']}/book", {"qty": 2}, token=user, headers={"Idempotency-Key": "victim"}))
        pid = wait_for_backend(server, 'SELECT %"events_event"%FOR UPDATE%')
        server.db.factory.postgres.execute("SELECT pg_terminate_backend(%s)", pid)
        thread.join(30)
        assert not thread.is_alive(), "the request never ended"
    record("faults survived")

    response = box["response"]
    assert response.status_code in (500, 503), response.text
    assert is_json_error(response)
    assert "Traceback" not in response.text
    assert bookings_with_key(server, "victim") == []
    assert booked_count(server, event["id"]) == 0
    # Every later request works, on whichever of the worker's threads it lands.
    for n in range(8):
        assert server.get("/events").status_code == 200
    retry = server.post(f"/events/{event['id']}/book", {"qty": 2}, token=user, headers={"Idempotency-Key": "victim"})
    assert retry.status_code == 200
    assert len(bookings_with_key(server, "victim")) == 1
    assert_inventory_ok(server)


@postgres_only
def test_every_connection_dropped_at_once_then_a_server_restart(start_server) -> None:  # noqa: ANN001
    """All backends of the app's database terminated (what a PostgreSQL restart or failover
    looks like to the app; the shared instance itself is not restarted), then the API
    server restarted: persistent connections are health-checked and replaced, nothing lost."""
    server = start_server()
    user = token(server.signup("restart@reliability.test"))
    event = server.create_event(capacity=20)
    ids = []
    for n in range(6):  # spread persistent connections over the worker's threads
        response = server.post(f"/events/{event['id']}/book", {"qty": 1}, token=user, headers={"Idempotency-Key": f"r{n}"})
        assert response.status_code == 200
        ids.append(response.json()["id"])

    killed = server.db.factory.postgres.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
        server.db.name,
    )
    assert killed, "the server held no connection to terminate"
    statuses = [server.get("/events").status_code for _ in range(12)]
    more = server.post(f"/events/{event['id']}/book", {"qty": 1}, token=user, headers={"Idempotency-Key": "after"})
    record("faults survived")

    assert statuses == [200] * 12
    assert more.status_code == 200

    server.restart()
    mine = server.get("/me/bookings", token=user).json()
    assert sorted(b["id"] for b in mine) == sorted([*ids, more.json()["id"]])
    assert server.get(f"/events/{event['id']}").json()["booked_count"] == 7
    assert_inventory_ok(server)
    record("faults survived")


# --- a booking transaction killed after it took the event lock -------------------------------

@postgres_only
@pytest.mark.parametrize(
    "how, body",
    [
        ("pg_terminate_backend", {"qty": 2}),  # best available
        ("pg_terminate_backend", {"seat_ids": ["A-1", "A-2"]}),  # named seats
        ("SIGKILL worker", {"seat_ids": ["A-1", "A-2"]}),
    ],
    ids=["terminated-quantity", "terminated-named", "worker-killed-named"],
)
def test_booking_transaction_killed_after_taking_the_lock_leaves_no_trace(start_server, how: str, body: dict) -> None:  # noqa: ANN001
    """The booking is stopped half-way: it holds the event lock and has inserted its row,
    and waits on a seat this test has locked. Killing it must leave no booking, no reserved
    seat, no count, and must release the event lock for the next buyer."""
    server = start_server(BOOKING_LOCK_TIMEOUT="20")
    user = token(server.signup(f"half-{how[:4]}-{len(body)}{'qty' in body}@reliability.test"))
    event = server.create_event(capacity=10, seats=(1, 10))
    pid, box = _book_while_a_seat_is_locked(server, event, user, body, kill=how)
    record("faults survived")

    if how == "pg_terminate_backend":
        assert box["response"].status_code in (500, 503) and is_json_error(box["response"])
    else:
        assert "error" in box  # the connection died with the worker: no answer at all
        server.wait_ready()  # the master has started a new worker
    assert bookings_with_key(server, "half") == []
    assert reserved_seats(server, event["id"]) == 0
    assert booked_count(server, event["id"]) == 0
    started = time.monotonic()
    retry = server.post(f"/events/{event['id']}/book", body, token=user, headers={"Idempotency-Key": "half"})
    assert retry.status_code == 200 and retry.json()["seat_labels"] == ["A-1", "A-2"]
    assert time.monotonic() - started < 5  # the event lock was released, not left to time out
    assert len(bookings_with_key(server, "half")) == 1
    assert_inventory_ok(server)


@postgres_only
def test_worker_killed_during_a_quantity_booking_leaves_no_trace(start_server) -> None:  # noqa: ANN001
    """One path for every booking: a worker killed inside the locked transaction never sends
    COMMIT, so nothing is written. The client never got an answer; its retry with the same
    key books once."""
    server = start_server(BOOKING_LOCK_TIMEOUT="20")
    user = token(server.signup("half-kill-one@reliability.test"))
    event = server.create_event(capacity=10, seats=(1, 10))
    _book_while_a_seat_is_locked(server, event, user, {"qty": 2}, kill="SIGKILL worker")
    record("faults survived")
    server.wait_ready()

    stored = bookings_with_key(server, "half")
    state = (len(stored), reserved_seats(server, event["id"]), booked_count(server, event["id"]))
    assert state == (0, 0, 0), state
    retry = server.post(f"/events/{event['id']}/book", {"qty": 2}, token=user, headers={"Idempotency-Key": "half"})
    assert retry.status_code == 200 and retry.json()["seat_labels"] == ["A-1", "A-2"]
    assert len(bookings_with_key(server, "half")) == 1
    assert booked_count(server, event["id"]) == 2
    assert_inventory_ok(server)


def reserved_seats(server: LiveServer, event_id: int) -> int:
    return server.db.query(
        "SELECT COUNT(*) FROM events_seat WHERE event_id = ? AND reserved", event_id
    )[0][0]


def _book_while_a_seat_is_locked(server: LiveServer, event: dict, user: str, body: dict, *, kill: str) -> tuple[int, dict]:
    """Book while this test locks seat A-1; once the booking waits on it, kill it (`kill`)."""
    seat_lock = server.db.factory.postgres.connect(server.db.name)
    try:
        seat_lock.execute(
            "SELECT id FROM events_seat WHERE event_id = %s AND label = 'A-1' FOR UPDATE", (event["id"],))
        thread, box = in_thread(lambda: server.post(
            f"/events/{event['id']}/book", body, token=user, headers={"Idempotency-Key": "half"}))
        # The booking's UPDATE of the seats' reserved flag waits on A-1.
        pid = wait_for_backend(server, '%UPDATE%events_seat%SET%')
        # The booking row exists, uncommitted, inside the locked transaction.
        assert server.db.factory.postgres.execute(
            "SELECT state FROM pg_stat_activity WHERE pid = %s", pid) == [("active",)]
        if kill == "pg_terminate_backend":
            server.db.factory.postgres.execute("SELECT pg_terminate_backend(%s)", pid)
        else:
            for worker in server.worker_pids():
                os.kill(worker, signal.SIGKILL)
        thread.join(30)
        assert not thread.is_alive(), "the request never ended"
    finally:
        seat_lock.rollback()
        seat_lock.close()
    return pid, box
