"""Pure helpers that turn environment strings into Django settings (unit-tested)."""

from __future__ import annotations

import ipaddress
import math
import re
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

import environ
from django.core.exceptions import ImproperlyConfigured

N = TypeVar("N", int, float)

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
    try:
        with warnings.catch_warnings():  # django-environ warns of an unknown scheme; we refuse it
            warnings.simplefilter("ignore")
            config = environ.Env.db_url_config(normalize_database_url(url))
        engine = config["ENGINE"]
    except (KeyError, ValueError):
        engine = ""
    if not (engine.endswith("sqlite3") or "postgresql" in engine):
        raise ImproperlyConfigured(
            "DATABASE_URL must be postgres://user:password@host:5432/name or sqlite:////path/to/file, "
            f"or empty for the embedded SQLite file; not a {url.split('://', 1)[0][:20]!r} URL"
        )
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
    raise AssertionError(engine)  # unreachable: refused above


_REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def cache_config(redis_url: str) -> dict[str, Any]:
    """Redis through django-redis when `REDIS_URL` is set, else an in-process cache.
    Raises ImproperlyConfigured for a URL redis-py cannot use (found at startup, not as a
    500 on the first request that touches the cache)."""
    if redis_url.strip() and not redis_url.strip().lower().startswith(_REDIS_SCHEMES):
        raise ImproperlyConfigured(
            "REDIS_URL must start with redis://, rediss:// or unix:// (redis://host:6379/0), "
            "or be empty for the in-process cache"
        )
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


SECRET_MIN_LENGTH = 32


def checked_secret(name: str, value: str) -> str:
    """A signing secret (`JWT_SECRET`, `DJANGO_SECRET_KEY`) as given. Raises
    ImproperlyConfigured naming `name` when it is shorter than 32 characters (HS256 wants a
    256-bit key), holds whitespace (an inline `# comment` kept on a `.env` line, as
    django-environ keeps it, makes the comment part of the secret) or is `.env.example`'s
    placeholder: each would sign tokens with a value others can guess or read."""
    if len(value) < SECRET_MIN_LENGTH or any(char.isspace() for char in value) or "change-me" in value.lower():
        raise ImproperlyConfigured(
            f"{name} must be at least {SECRET_MIN_LENGTH} characters of random text without spaces "
            f"(got {len(value)} characters); make one with: "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
    return value


_ASCII_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
# django-environ's true words, and their opposites.
_TRUE, _FALSE = ("true", "on", "ok", "y", "yes", "1"), ("false", "off", "n", "no", "0")


def flag(environ: Mapping[str, str], name: str, default: bool) -> bool:
    """A true/false variable (true/false, 1/0, yes/no, y/n, on/off, ok; any case), `default` when
    unset or empty. Raises ImproperlyConfigured naming it otherwise: django-environ reads
    any other word as false, so `RATELIMIT_ENABLE=ture` switched every limit off."""
    raw = environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in _TRUE or raw in _FALSE:
        return raw in _TRUE
    raise ImproperlyConfigured(f"{name} must be true or false, not {environ[name].strip()!r}")


def number(environ: Mapping[str, str], name: str, default: N, *, minimum: N) -> N:
    """The variable `name` as a number of `default`'s type (int or float), `default` when it
    is unset or empty. Raises ImproperlyConfigured naming the variable for anything else
    than a finite number ≥ `minimum` (a negative body limit would refuse every POST)."""
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    cast = type(default)
    try:
        # ASCII only, as every number the API reads (int() would take "٣" and "1_0")
        value = cast(raw) if _ASCII_NUMBER.fullmatch(raw) else None
    except ValueError:
        value = None
    if value is None or not math.isfinite(value) or value < minimum:
        kind = "a whole number" if cast is int else "a number"
        raise ImproperlyConfigured(f"{name} must be {kind} ≥ {minimum}, not {raw!r}")
    return value


# django-ratelimit's rate: count/[multiplier]period. Its own pattern makes the period
# optional and lower-case only, so "5/M" silently meant five per SECOND.
_RATE = re.compile(r"[1-9][0-9]*/(?:[1-9][0-9]*)?[smhd]")


def checked_rate(name: str, value: str) -> str:
    """A rate limit as django-ratelimit reads it (`5/m`, `100/10s`), or "" for no limit in
    that group. Raises ImproperlyConfigured naming the variable otherwise (django-ratelimit
    would fail on every limited request, or read `5/M` as five per second)."""
    value = value.strip()
    if value and not _RATE.fullmatch(value):
        raise ImproperlyConfigured(
            f"{name} must be a rate like 5/m or 100/10s (a count ≥ 1, '/', an optional multiplier "
            f"≥ 1 and one of s, m, h, d in lower case), or empty for no limit; not {value!r}"
        )
    return value


def host_list(value: str) -> list[str]:
    """ALLOWED_HOSTS from a comma-separated list, each entry trimmed. Raises
    ImproperlyConfigured when it names no host (Django would then refuse every request)."""
    hosts = [host.strip() for host in value.split(",") if host.strip()]
    if not hosts:
        raise ImproperlyConfigured("ALLOWED_HOSTS names no host: set it to your domain(s), comma-separated, or *")
    return hosts


def network_list(name: str, value: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """Comma-separated addresses and networks (`10.0.0.0/8, 127.0.0.1, ::1`), each entry
    trimmed; empty for none. An IPv4-mapped entry (`::ffff:127.0.0.1`, as gunicorn on `[::]`
    logs IPv4 clients) is its IPv4 network, the form `evently.client_ip` gives those clients.
    Raises ImproperlyConfigured naming the variable for an entry that is neither."""
    networks = []
    for entry in (part.strip() for part in value.split(",")):
        if not entry:
            continue
        try:
            network = ipaddress.ip_network(entry, strict=False)
            mapped = getattr(network.network_address, "ipv4_mapped", None)
            if mapped is not None and network.prefixlen >= 96:
                network = ipaddress.ip_network(f"{mapped}/{network.prefixlen - 96}", strict=False)
            networks.append(network)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must be comma-separated IP addresses or networks (10.0.0.0/8, ::1), "
                f"or empty; not {entry[:60]!r}"
            ) from None
    return networks
