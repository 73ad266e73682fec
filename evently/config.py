"""Pure helpers that turn environment strings into Django settings (unit-tested)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import environ

_SQLALCHEMY_DRIVER = re.compile(r"^(?P<scheme>postgres(?:ql)?|sqlite)\+[a-z0-9_]+://", re.IGNORECASE)


def normalize_database_url(url: str) -> str:
    """Accept SQLAlchemy URLs of the legacy service (`postgresql+psycopg2://…`)."""
    return _SQLALCHEMY_DRIVER.sub(lambda m: f"{m.group('scheme').lower()}://", url.strip())


def database_config(
    url: str, *, base_dir: Path, lock_timeout_seconds: float, conn_max_age: int
) -> dict[str, Any]:
    """Database settings for `DATABASE_URL`, or an embedded SQLite file when it is empty.

    PostgreSQL: persistent connections, and `lock_timeout` set once per connection so any
    wait for a row lock (the event row above all) is bounded.
    SQLite: WAL and immediate transactions, so concurrent writers queue on the database lock
    (for up to the same timeout) instead of failing on a lock upgrade.
    """
    lock_timeout_ms = max(1, int(lock_timeout_seconds * 1000))
    if not url.strip():
        url = f"sqlite:///{base_dir / 'db.sqlite3'}"
    config = environ.Env.db_url_config(normalize_database_url(url))
    engine = config["ENGINE"]
    if engine.endswith("sqlite3"):
        name = str(config.get("NAME") or base_dir / "db.sqlite3")
        return {
            "ENGINE": "django_prometheus.db.backends.sqlite3",
            "NAME": name,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": lock_timeout_seconds,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                ),
            },
            "TEST": {"NAME": str(Path(name).with_name("test_" + Path(name).name))},
        }
    if "postgresql" in engine:
        options = dict(config.get("OPTIONS") or {})
        options["options"] = f"-c lock_timeout={lock_timeout_ms}"
        return {
            "ENGINE": "django_prometheus.db.backends.postgresql",
            "NAME": config.get("NAME") or "evently",
            "USER": config.get("USER", ""),
            "PASSWORD": config.get("PASSWORD", ""),
            "HOST": config.get("HOST", ""),
            "PORT": str(config.get("PORT") or ""),
            "CONN_MAX_AGE": conn_max_age,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ValueError(f"Unsupported DATABASE_URL scheme: {url.split(':', 1)[0]}")


def cache_config(redis_url: str) -> dict[str, Any]:
    """Redis through django-redis when `REDIS_URL` is set, else an in-process cache."""
    if not redis_url.strip():
        return {
            "BACKEND": "django_prometheus.cache.backends.locmem.LocMemCache",
            "LOCATION": "evently",
        }
    return {
        "BACKEND": "django_prometheus.cache.backends.redis.RedisCache",
        "LOCATION": redis_url.strip(),
        "KEY_PREFIX": "evently",
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.DefaultClient",
            # Fail fast when Redis is away: a dead cache must not stall requests.
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 0.5,
        },
    }


def cors_origins(value: str) -> list[str]:
    return [origin.strip().rstrip("/") for origin in value.split(",") if origin.strip()]


def env_file(environ: Mapping[str, str], *, base_dir: Path) -> Path | None:
    """The `.env` file to read: `EVENTLY_ENV_FILE` when set (empty = none), else the one in
    the project root. The test settings set it empty, so a developer's `.env` (written by
    `make run`) never changes what the tests run with."""
    value = environ.get("EVENTLY_ENV_FILE")
    if value is None:
        return base_dir / ".env"
    return Path(value) if value.strip() else None
