"""Fixtures for the reliability suite: real gunicorn servers with their own databases, a
private redis-server, and a record of the figures quoted in docs/RELIABILITY.md.

`RELIABILITY_FIGURES=/path/file.json` writes the figures of a run to that file; they are
printed in the terminal summary either way.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from evently.tests.reliability.live import (
    DatabaseFactory,
    LiveServer,
    RedisServer,
    ServerDatabase,
    workdir,
)

FIGURES: Counter[str] = Counter()
NOTES: dict[str, Any] = {}


def record(name: str, amount: int = 1) -> None:
    FIGURES[name] += amount


def note(name: str, value: Any) -> None:
    NOTES[name] = value


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "reliability: starts real server processes (docs/RELIABILITY.md)")
    config.addinivalue_line("markers", "slow: takes more than ~10 s; still runs in CI")
    config.addinivalue_line("markers", "postgres_only: needs PostgreSQL (skipped on SQLite, with a reason)")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not FIGURES and not NOTES:
        return
    terminalreporter.section("reliability figures")
    for name in sorted(FIGURES):
        terminalreporter.write_line(f"{name}: {FIGURES[name]}")
    for name in sorted(NOTES):
        terminalreporter.write_line(f"{name}: {NOTES[name]}")
    target = os.environ.get("RELIABILITY_FIGURES")
    if target:
        Path(target).write_text(json.dumps({"figures": FIGURES, "notes": NOTES}, indent=2, default=str))


@pytest.fixture(scope="session")
def rel_dir() -> Iterator[Path]:
    with workdir() as path:
        yield path


@pytest.fixture(scope="session")
def databases(rel_dir: Path) -> Iterator[DatabaseFactory]:
    factory = DatabaseFactory(rel_dir)
    yield factory
    factory.cleanup()


@pytest.fixture
def server_db(databases: DatabaseFactory) -> ServerDatabase:
    return databases.new()


@pytest.fixture
def start_server(databases: DatabaseFactory, rel_dir: Path) -> Iterator[Callable[..., LiveServer]]:
    """Start gunicorn servers; all are stopped at teardown. `db=` shares a database."""
    started: list[LiveServer] = []

    def start(*, db: ServerDatabase | None = None, workers: int = 1, threads: int = 4, **env: str) -> LiveServer:
        server = LiveServer(db=db or databases.new(), workdir=rel_dir, env=env, workers=workers, threads=threads)
        started.append(server)
        return server.start()

    yield start
    for server in reversed(started):
        server.stop()


@pytest.fixture
def start_redis(rel_dir: Path) -> Iterator[Callable[[], RedisServer]]:
    """Private redis-servers on free ports (killed at teardown): tests may kill and restart them."""
    started: list[RedisServer] = []

    def start() -> RedisServer:
        server = RedisServer(rel_dir)
        started.append(server)
        return server.start()

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="module")
def module_server(databases: DatabaseFactory, rel_dir: Path) -> Iterator[LiveServer]:
    """One server per module for tests that only read or make independent changes."""
    server = LiveServer(db=databases.new(), workdir=rel_dir).start()
    yield server
    server.stop()
