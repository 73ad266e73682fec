"""Redis faults against a real server and a private redis-server (killed, paused, restarted):
the API keeps serving, analytics are computed uncached, rate limits fail open (the decision
in docs/DECISIONS.md), /readyz is 503 naming the cache, and everything recovers when Redis
returns. Runs on both database backends."""

from __future__ import annotations

import os
import signal
import time
import uuid

import pytest

from evently.tests.reliability.conftest import record
from evently.tests.reliability.live import LiveServer, admin_token, token

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

LIMITED = {"RATELIMIT_ENABLE": "true", "RATELIMIT_LOGIN": "3/h", "RATELIMIT_BOOKING": "1000/h",
           "RATELIMIT_ADMIN": "1000/h", "ANALYTICS_CACHE_TTL": "300"}


def wait_for(predicate, timeout: float = 15, what: str = "condition") -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def logins(server: LiveServer, n: int) -> list[int]:
    """n failed logins (wrong password, so the limiter is what decides 401 vs 429)."""
    return [
        server.post("/auth/login", {"email": "root@reliability.test", "password": "wrong-password"}).status_code
        for _ in range(n)
    ]


def summary(server: LiveServer) -> tuple[int, str, dict]:
    response = server.get("/admin/analytics/summary", token=admin_token())
    return response.status_code, response.headers.get("X-Cache", ""), response.json()


def assert_serving_without_cache(server: LiveServer, event_id: int, user_token: str) -> None:
    """Every kind of request still answers while the cache is unreachable."""
    ready = server.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["cache"] == "unavailable" and ready.json()["database"] == "ok"
    assert "cache" in ready.json()["detail"]
    assert server.get("/healthz").status_code == 200
    assert server.get("/events").status_code == 200
    assert server.get("/stats/homepage").status_code == 200
    # Analytics: computed every time (never a HIT), and fresh after a booking.
    first = summary(server)
    booked = server.post(f"/events/{event_id}/book", {"qty": 1}, token=user_token,
                         headers={"Idempotency-Key": uuid.uuid4().hex})
    assert booked.status_code == 200, booked.text
    second = summary(server)
    assert (first[0], first[1], second[0], second[1]) == (200, "MISS", 200, "MISS")
    assert second[2]["totals"]["booked"] == first[2]["totals"]["booked"] + 1
    # Rate limits fail open: more failed logins than the limit, none refused.
    assert logins(server, 5) == [401] * 5
    record("faults survived")


def test_redis_down_at_start_then_back(start_server, start_redis) -> None:  # noqa: ANN001
    reserved = start_redis()  # learn a free port, then take Redis away before the server starts
    reserved.kill()
    server = start_server(REDIS_URL=reserved.url, **LIMITED)
    user = token(server.signup("redis-start@reliability.test"))
    event = server.create_event(capacity=50)

    started = time.monotonic()
    assert_serving_without_cache(server, event["id"], user)
    assert time.monotonic() - started < 30  # a dead cache fails fast (connect timeout 0.5 s)

    reserved.start()
    wait_for(lambda: server.get("/readyz").status_code == 200, what="/readyz to recover")
    assert summary(server)[1] == "MISS"
    assert summary(server)[1] == "HIT"
    # The limiter counts again: 3 attempts allowed, then 429 with Retry-After.
    statuses = logins(server, 4)
    assert statuses == [401, 401, 401, 429]
    limited = server.post("/auth/login", {"email": "x@y.z", "password": "whatever-pw"})
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    record("faults survived")


def test_redis_killed_mid_run_then_restarted(start_server, start_redis) -> None:  # noqa: ANN001
    redis = start_redis()
    server = start_server(REDIS_URL=redis.url, **LIMITED)
    user = token(server.signup("redis-mid@reliability.test"))
    event = server.create_event(capacity=50)
    assert server.get("/readyz").status_code == 200
    assert [summary(server)[1], summary(server)[1]] == ["MISS", "HIT"]
    assert logins(server, 1) == [401]

    redis.kill()
    assert_serving_without_cache(server, event["id"], user)

    redis.start()
    wait_for(lambda: server.get("/readyz").status_code == 200, what="/readyz to recover")
    assert [summary(server)[1], summary(server)[1]] == ["MISS", "HIT"]
    assert logins(server, 4) == [401, 401, 401, 429]
    record("faults survived")


def test_changes_made_while_redis_is_unreachable_are_not_hidden_after_it_returns(start_server, start_redis) -> None:  # noqa: ANN001
    redis = start_redis()
    server = start_server(REDIS_URL=redis.url, **LIMITED)
    user = token(server.signup("redis-pause@reliability.test"))
    event = server.create_event(capacity=50)
    summary(server)
    before = summary(server)
    assert before[1] == "HIT"

    os.kill(redis.proc.pid, signal.SIGSTOP)  # unreachable, but keeps its data
    try:
        booked = server.post(f"/events/{event['id']}/book", {"qty": 3}, token=user,
                             headers={"Idempotency-Key": uuid.uuid4().hex})
        assert booked.status_code == 200
    finally:
        os.kill(redis.proc.pid, signal.SIGCONT)
    wait_for(lambda: server.get("/readyz").status_code == 200, what="/readyz to recover")
    record("faults survived")

    after = summary(server)
    assert after[2]["totals"]["booked"] == before[2]["totals"]["booked"] + 3, after[1]
