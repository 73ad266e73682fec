"""Project-wide fixtures: API clients, users and events from the apps' factories, and the
real Redis for tests marked `redis`."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import BaseCache, cache
from django.test import Client, override_settings
from rest_framework.test import APIClient
from accounts.tokens import AccessToken

from accounts.models import User
from accounts.tests.factories import UserFactory
from events.models import Event
from events.tests.factories import EventFactory


def pytest_sessionstart(session: pytest.Session) -> None:
    """A SIGTERM (a stopped CI run: `.ci/run` passes it on) ends the run as Ctrl-C does, by
    KeyboardInterrupt, so fixtures' teardown still stops the servers and workers the tests
    started (the live servers run in sessions of their own) instead of leaving them behind."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def delete_own_keys(target: BaseCache) -> None:
    """Empty the cache of this test run only. The in-process cache is ours alone (clear());
    on Redis only keys under this run's KEY_PREFIX are deleted, never FLUSHDB."""
    client = getattr(target, "client", None)
    if client is None or not hasattr(client, "get_client"):
        target.clear()
        return
    prefix = target.key_prefix
    if not prefix.startswith("evently-test-"):
        raise RuntimeError(f"refusing to delete keys of a Redis prefix not made for tests: {prefix!r}")
    redis = client.get_client(write=True)
    keys = list(redis.scan_iter(match=_glob_escape(prefix) + ":*", count=1000))
    if keys:
        redis.delete(*keys)


def _glob_escape(text: str) -> str:
    return "".join(f"[{c}]" if c in "*?[]\\" else c for c in text)


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    delete_own_keys(cache)
    yield
    delete_own_keys(cache)


def redis_test_url() -> str | None:
    """The Redis the `redis` tests may use: REDIS_URL as the caller set it, never a guess."""
    return os.environ.get("REDIS_URL", "").strip() or None


@pytest.fixture
def real_redis() -> Iterator[dict[str, Any]]:
    """The shared cache on the real Redis at REDIS_URL, under this run's own key prefix.

    Without REDIS_URL the test is skipped, saying so; with REDIS_URL set but unreachable it
    fails (a configured Redis that does not answer is an error, not a reason to skip)."""
    import redis

    from evently.config import cache_config

    url = redis_test_url()
    if url is None:
        pytest.skip("needs a test Redis: set REDIS_URL (CI's PostgreSQL + Redis pass does)")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.RedisError as exc:
        pytest.fail(f"REDIS_URL={url} is set but Redis does not answer: {exc}")
    config = cache_config(url)
    config["KEY_PREFIX"] = settings.TEST_CACHE_KEY_PREFIX
    with override_settings(CACHES={"default": config}):
        from django.core.cache import cache as redis_cache

        delete_own_keys(redis_cache)
        yield config
        delete_own_keys(redis_cache)


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


def token_for(user: User) -> str:
    return str(AccessToken.for_user(user))


@pytest.fixture
def client_for() -> Callable[[User], APIClient]:
    """An API client authenticated as the given user."""

    def make(user: User) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")
        return client

    return make


@pytest.fixture
def user(db: None) -> User:
    return UserFactory()


@pytest.fixture
def admin(db: None) -> User:
    return UserFactory(role=User.Role.ADMIN)


@pytest.fixture
def staff(admin: User) -> Client:
    """The staff console (Django's test client), logged in as `admin`."""
    client = Client()
    client.force_login(admin)
    return client


@pytest.fixture
def user_client(user: User, client_for: Callable[[User], APIClient]) -> APIClient:
    return client_for(user)


@pytest.fixture
def admin_client(admin: User, client_for: Callable[[User], APIClient]) -> APIClient:
    return client_for(admin)


@pytest.fixture
def event(db: None) -> Event:
    return EventFactory()
