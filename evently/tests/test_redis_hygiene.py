"""The suite never flushes a real Redis: it uses only the Redis the caller named in
REDIS_URL and deletes only its own keys (issue 12 item 20)."""

import pytest
from django.conf import settings
from django.core.cache import cache

from conftest import delete_own_keys, redis_test_url


def test_without_redis_url_no_redis_is_guessed(monkeypatch) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert redis_test_url() is None
    monkeypatch.setenv("REDIS_URL", "  ")
    assert redis_test_url() is None
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/13")
    assert redis_test_url() == "redis://127.0.0.1:6379/13"


def test_each_run_has_its_own_key_prefix() -> None:
    assert settings.TEST_CACHE_KEY_PREFIX.startswith("evently-test-")
    assert len(settings.TEST_CACHE_KEY_PREFIX) > len("evently-test-") + 8


class _FakeRedisCache:
    key_prefix = "evently"

    class client:  # noqa: N801
        @staticmethod
        def get_client(write: bool = True):
            raise AssertionError("must not touch Redis")


def test_cleanup_refuses_a_prefix_not_made_for_tests() -> None:
    with pytest.raises(RuntimeError, match="not made for tests"):
        delete_own_keys(_FakeRedisCache())


@pytest.mark.redis
def test_cleanup_deletes_this_runs_keys_and_nothing_else(real_redis) -> None:
    import redis

    raw = redis.Redis.from_url(redis_test_url())
    run = settings.TEST_CACHE_KEY_PREFIX
    foreign = [f"someone-else:{run}", f"evently:1:{run}", f"evently-test-other-{run}:1:x"]  # unique names
    for key in foreign:
        raw.set(key, "keep", ex=60)
    cache.set("ours", "delete me", 60)
    try:
        assert raw.exists(f"{settings.TEST_CACHE_KEY_PREFIX}:1:ours")

        delete_own_keys(cache)

        assert not raw.exists(f"{settings.TEST_CACHE_KEY_PREFIX}:1:ours")
        assert all(raw.get(key) == b"keep" for key in foreign)
    finally:
        raw.delete(*foreign)
