"""gunicorn.conf.py's default shape: several processes only when they share a database
that locks rows and a cache (Redis); otherwise one process, whose in-process cache and
locks are then the only ones."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def shape(monkeypatch: pytest.MonkeyPatch, **env: str) -> tuple[int, int]:
    # Set, even if empty: gunicorn.conf.py reads .env without overwriting what is set.
    for name in ("DATABASE_URL", "REDIS_URL"):
        monkeypatch.setenv(name, env.get(name, ""))
    for name in ("WEB_CONCURRENCY", "GUNICORN_THREADS"):
        if name in env:
            monkeypatch.setenv(name, env[name])
        else:
            monkeypatch.delenv(name, raising=False)
    conf = runpy.run_path(str(CONF))
    return conf["workers"], conf["threads"]


@pytest.mark.parametrize(
    "env, expected",
    [
        ({}, (1, 8)),
        ({"REDIS_URL": "redis://r:6379/0"}, (1, 8)),
        ({"DATABASE_URL": "postgres://p/evently"}, (1, 8)),
        ({"DATABASE_URL": "postgres://p/evently", "REDIS_URL": "redis://r:6379/0"}, (4, 4)),
        ({"DATABASE_URL": "postgres://p/evently", "WEB_CONCURRENCY": "3", "GUNICORN_THREADS": "2"}, (3, 2)),
    ],
)
def test_default_shape(monkeypatch, tmp_path, env, expected) -> None:
    monkeypatch.chdir(tmp_path)
    assert shape(monkeypatch, **env) == expected
