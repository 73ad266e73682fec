"""A gunicorn worker stopped during a booking rush: SIGTERM (graceful: in-flight requests
finish) and SIGKILL (a crash: in-flight transactions roll back). Clients retry with the same
Idempotency-Key after a connection error or a 5xx, as the contract allows. Afterwards:

- every 200 has its booking, stored as answered;
- every stored booking belongs to a key whose retry returns exactly that booking;
- no key made two bookings, nothing is oversold, check_inventory passes.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import Counter

import pytest
import requests

from evently.tests.reliability.conftest import note, record
from evently.tests.reliability.live import (
    BookingAttempts,
    LiveServer,
    book_with_retries,
    bulk_users,
    token,
)

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

CLIENTS = 8
CAPACITY = 60
PER_CLIENT = 10  # 80 attempts for 60 seats: the rush sells out


def rush(server: LiveServer, event_id: int, tokens: list[str], stop_worker, tag: str) -> list[BookingAttempts]:  # noqa: ANN001
    results: list[BookingAttempts] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(tokens) + 1)

    def client(n: int, user_token: str) -> None:
        session = requests.Session()
        barrier.wait(30)
        for i in range(PER_CLIENT):
            outcome = book_with_retries(server.url, event_id, user_token, f"{tag}-{n}-{i}", {"qty": 1}, session=session)
            with lock:
                results.append(outcome)

    threads = [threading.Thread(target=client, args=(n, t)) for n, t in enumerate(tokens)]
    for thread in threads:
        thread.start()
    barrier.wait(30)
    # Stop the worker once a quarter of the attempts are answered: mid-rush, by construction.
    total = len(tokens) * PER_CLIENT
    deadline = time.monotonic() + 60
    while len(results) < total // 4 and time.monotonic() < deadline:
        time.sleep(0.01)
    stop_worker()
    done_at_stop = len(results)
    for thread in threads:
        thread.join(120)
    assert not any(thread.is_alive() for thread in threads), "a client hung"
    assert 0 < done_at_stop < total // 2, done_at_stop
    return results


def verify(server: LiveServer, event_id: int, results: list[BookingAttempts], tokens_by_key: dict[str, str]) -> dict:
    finals = Counter(r.status for r in results)
    assert set(finals) <= {200, 409}, finals  # every key got a final answer
    answered = {r.key: r.booking_id for r in results if r.status == 200}
    rows = server.db.query(
        "SELECT idempotency_key, id, status FROM bookings_booking WHERE event_id = ?", event_id)
    stored = {key: booking_id for key, booking_id, _ in rows}

    # No key made two bookings; every stored booking is confirmed.
    assert len(rows) == len(stored)
    assert {status for _, _, status in rows} <= {"CONFIRMED"}
    # Every 200 has its booking, with the id the client was given.
    assert {k: stored.get(k) for k in answered} == answered
    # Every booking was answered 200 to its key's client...
    assert set(stored) == set(answered), set(stored) ^ set(answered)
    # ...and a retry with its key returns exactly it.
    for key, booking_id in stored.items():
        replay = server.post(f"/events/{event_id}/book", {"qty": 1}, token=tokens_by_key[key], headers={"Idempotency-Key": key})
        assert replay.status_code == 200 and replay.json()["id"] == booking_id
        assert replay.headers.get("Idempotent-Replayed") == "true"
    booked = server.db.query("SELECT booked_count, capacity FROM events_event WHERE id = ?", event_id)[0]
    assert booked[0] == len(stored) <= booked[1]  # no oversell
    code, output = server.db.check_inventory()
    assert code == 0, output
    retried = sum(1 for r in results if len(r.log) > 1)
    errors = Counter(entry for r in results for entry in r.log[:-1])
    return {"confirmed": len(stored), "refused": finals[409], "retried keys": retried, "transient": dict(errors)}


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_a_worker_stopped_during_a_booking_rush_loses_no_booking(start_server, sig: signal.Signals) -> None:  # noqa: ANN001
    server = start_server(workers=2, threads=4)
    users = bulk_users(server.db, CLIENTS, f"rush-{sig.name.lower()}")
    tokens = [token(u) for u in users]
    event = server.create_event(capacity=CAPACITY, seats=(6, 10))
    victims: list[int] = []

    def stop_worker() -> None:
        victim = server.worker_pids()[0]
        victims.append(victim)
        os.kill(victim, sig)

    results = rush(server, event["id"], tokens, stop_worker, tag=sig.name)
    tokens_by_key = {f"{sig.name}-{n}-{i}": t for n, t in enumerate(tokens) for i in range(PER_CLIENT)}
    summary = verify(server, event["id"], results, tokens_by_key)
    record("faults survived")
    record("rush bookings lost", 0)
    record("rush bookings confirmed", summary["confirmed"])
    note(f"worker {sig.name} during rush", summary)

    assert summary["confirmed"] == CAPACITY
    # The worker really went away, and the master replaced it.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and (victims[0] in server.worker_pids() or len(server.worker_pids()) != 2):
        time.sleep(0.1)
    assert victims[0] not in server.worker_pids()
    assert len(server.worker_pids()) == 2
    if sig == signal.SIGTERM:
        # Graceful: requests the worker had accepted were answered, never cut off with a 5xx.
        assert not any(entry.startswith("5") for entry in summary["transient"]), summary
