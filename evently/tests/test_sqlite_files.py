"""The embedded SQLite database and its WAL files are readable by their owner only."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django.db.backends.sqlite3.base import DatabaseWrapper

from evently.config import database_config
from evently.sqlite_files import make_private


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def open_database(django_db_blocker: Any) -> Iterator[Callable[[Path], DatabaseWrapper]]:
    """Connect to a SQLite file configured as `make run` configures the embedded default
    (WAL mode), outside the test database: Django sends `connection_created` on connecting."""

    def connect(path: Path) -> DatabaseWrapper:
        config = database_config(f"sqlite:///{path}", base_dir=path.parent, lock_timeout_seconds=5, conn_max_age=0)
        settings_dict = {**connections["default"].settings_dict, **config, "ENGINE": "django.db.backends.sqlite3"}
        wrapper = DatabaseWrapper(settings_dict, alias="private-file-test")
        wrapper.ensure_connection()
        return wrapper

    with django_db_blocker.unblock():
        yield connect


def test_a_new_database_and_its_wal_files_are_private(
    tmp_path: Path, open_database: Callable[[Path], DatabaseWrapper]
) -> None:
    path = tmp_path / "db.sqlite3"
    previous = os.umask(0o022)  # the usual umask: sqlite3 would create the file 0644
    try:
        wrapper = open_database(path)
        with wrapper.cursor() as cursor:
            cursor.execute("CREATE TABLE t (x INTEGER)")
            cursor.execute("INSERT INTO t VALUES (1)")
        assert mode(path) == 0o600
        assert mode(Path(f"{path}-wal")) == 0o600  # created after: SQLite copies the database's mode
        assert mode(Path(f"{path}-shm")) == 0o600
        wrapper.close()
    finally:
        os.umask(previous)


def test_an_existing_readable_database_is_tightened_on_the_next_connection(
    tmp_path: Path, open_database: Callable[[Path], DatabaseWrapper]
) -> None:
    path = tmp_path / "db.sqlite3"
    open_database(path).close()
    for name in (path, Path(f"{path}-wal")):
        name.touch()
        os.chmod(name, 0o664)

    wrapper = open_database(path)

    assert mode(path) == 0o600
    assert mode(Path(f"{path}-wal")) == 0o600
    wrapper.close()


def test_only_group_and_other_bits_go(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    path.touch()
    os.chmod(path, 0o444)
    journal = Path(f"{path}-journal")
    journal.touch()
    os.chmod(journal, 0o600)

    assert make_private(str(path)) == [str(path)]
    assert mode(path) == 0o400
    assert mode(journal) == 0o600

