"""Two API server processes on different ports sharing one database and one Redis: a
sell-out rush split across both oversells nothing, the rate limit is one limit, and an
analytics invalidation made through one is seen through the other. Runs on both backends
(two processes on one SQLite file serialize on its write lock)."""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import requests

from evently.tests.reliability.conftest import note, record
from evently.tests.reliability.live import (
    DatabaseFactory,
    LiveServer,
    RedisServer,
    admin_token,
    book_with_retries,
    bulk_users,
    token,
)

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

BUYERS = 40
CAPACITY = 15


@dataclass
class Pair:
    a: LiveServer
    b: LiveServer
    redis: RedisServer


@pytest.fixture(scope="module")
def pair(databases: DatabaseFactory, rel_dir) -> Iterator[Pair]:  # noqa: ANN001
    redis = RedisServer(rel_dir).start()
    db = databases.new()
    env = {"REDIS_URL": redis.url, "RATELIMIT_ENABLE": "true", "RATELIMIT_LOGIN": "4/h",
           "RATELIMIT_BOOKING": "1000/h", "RATELIMIT_ADMIN": "1000/h", "ANALYTICS_CACHE_TTL": "300"}
    servers = []
    try:
        for _ in range(2):
            servers.append(LiveServer(db=db, workdir=rel_dir, env=env).start())
        yield Pair(servers[0], servers[1], redis)
    finally:
        for server in servers:
            server.stop()
        redis.stop()


def test_a_sell_out_rush_split_across_two_processes_never_oversells(pair: Pair) -> None:
    users = bulk_users(pair.a.db, BUYERS, "mp-buyer")
    event = pair.a.create_event(capacity=CAPACITY, seats=(3, 5))
    barrier = threading.Barrier(BUYERS)
    results = [None] * BUYERS

    def buy(n: int) -> None:
        server = pair.a if n % 2 else pair.b
        barrier.wait(30)
        results[n] = (server.port, book_with_retries(server.url, event["id"], token(users[n]), f"mp-{n}", {"qty": 1}))

    threads = [threading.Thread(target=buy, args=(n,)) for n in range(BUYERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not any(thread.is_alive() for thread in threads)
    record("faults survived")

    finals = Counter(outcome.status for _, outcome in results)
    winners_by_server = Counter(port for port, outcome in results if outcome.status == 200)
    note("two-process rush", {"finals": dict(finals), "winners per server": dict(winners_by_server)})
    assert finals == {200: CAPACITY, 409: BUYERS - CAPACITY}
    answered_by_server = Counter(port for port, outcome in results if outcome.status in (200, 409))
    assert sorted(answered_by_server.values()) == [BUYERS // 2, BUYERS // 2]  # both took part
    labels = [label for _, o in results if o.status == 200 for label in o.body["seat_labels"]]
    assert len(labels) == len(set(labels)) == CAPACITY
    for server in (pair.a, pair.b):
        seen = server.get(f"/events/{event['id']}").json()
        assert (seen["booked_count"], seen["available"]) == (CAPACITY, 0)
    code, output = pair.a.db.check_inventory()
    assert code == 0, output
    record("oversells", 0)


def test_the_login_rate_limit_is_one_limit_across_both_processes(pair: Pair) -> None:
    statuses = []
    for n in range(8):
        server = pair.a if n % 2 else pair.b
        response = server.post("/auth/login", {"email": "root@reliability.test", "password": "wrong-password"})
        statuses.append(response.status_code)

    assert statuses == [401] * 4 + [429] * 4
    refused = pair.a.post("/auth/login", {"email": "a@b.co", "password": "whatever-pw"})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0


def test_an_invalidation_through_one_process_is_seen_by_the_other(pair: Pair) -> None:
    admin = admin_token()
    user = token(bulk_users(pair.a.db, 1, "mp-analytics")[0])
    event = pair.b.create_event(capacity=10)  # a change through B (event created)

    def summary(server: LiveServer) -> tuple[str, dict]:
        response = server.get("/admin/analytics/summary", token=admin)
        assert response.status_code == 200
        return response.headers["X-Cache"], response.json()

    cached_a = summary(pair.a)
    cached_b = summary(pair.b)
    assert cached_b[0] == "HIT" and cached_b[1] == cached_a[1]  # one cache for both

    booked = pair.b.post(f"/events/{event['id']}/book", {"qty": 2}, token=user, headers={"Idempotency-Key": uuid.uuid4().hex})
    assert booked.status_code == 200
    after_a = summary(pair.a)

    assert after_a[0] == "MISS"
    assert after_a[1]["totals"]["booked"] == cached_a[1]["totals"]["booked"] + 2
    assert summary(pair.b) == ("HIT", after_a[1])
    home_a = requests.get(pair.a.url + "/stats/homepage", timeout=30).json()
    home_b = requests.get(pair.b.url + "/stats/homepage", timeout=30).json()
    assert home_a == home_b


def test_a_change_made_during_a_redis_pause_is_seen_by_the_other_process(pair: Pair) -> None:
    """A change made while Redis is paused is seen by the other process within seconds."""
    import os
    import signal

    admin = admin_token()
    user = token(bulk_users(pair.a.db, 1, "mp-pause")[0])
    event = pair.a.create_event(capacity=10)
    pair.a.get("/admin/analytics/summary", token=admin)
    before = pair.a.get("/admin/analytics/summary", token=admin)
    assert before.headers["X-Cache"] == "HIT"

    os.kill(pair.redis.proc.pid, signal.SIGSTOP)  # unreachable, keeps its data
    try:
        booked = pair.b.post(f"/events/{event['id']}/book", {"qty": 2}, token=user,
                             headers={"Idempotency-Key": uuid.uuid4().hex})
        assert booked.status_code == 200
    finally:
        os.kill(pair.redis.proc.pid, signal.SIGCONT)
    record("faults survived")

    # B owes the invalidation and retries it every second in the background (analytics/
    # cache.py), so A sees the change within about a second of Redis answering again,
    # without waiting for B's next request.
    import time

    expected = before.json()["totals"]["booked"] + 2
    deadline = time.monotonic() + 5
    after = pair.a.get("/admin/analytics/summary", token=admin)
    while after.json()["totals"]["booked"] != expected and time.monotonic() < deadline:
        time.sleep(0.2)
        after = pair.a.get("/admin/analytics/summary", token=admin)
    assert after.json()["totals"]["booked"] == expected, after.headers["X-Cache"]
