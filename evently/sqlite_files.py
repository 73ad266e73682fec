"""The embedded SQLite database is private to its owner.

A SQLite file holds everything PostgreSQL would keep behind its own permissions: password
hashes, email addresses, tickets' codes. `sqlite3` creates it (and its `-wal` and `-shm`
files, which copy the database's mode) readable by every local user under the usual umask
022. On every new connection, the database file and its WAL files lose all group and other
permissions: a file created by this connection holds no rows yet when that happens (only the
header its WAL pragma wrote), and a file left readable by an earlier version is tightened
too. In-memory databases have no file.
"""

from __future__ import annotations

import logging
import os
import stat
from typing import Any

logger = logging.getLogger(__name__)

_SIDE_FILES = ("", "-wal", "-shm", "-journal")


def make_private(path: str) -> list[str]:
    """Remove group and other permissions from the SQLite database at `path` and its WAL,
    shared-memory and journal files. Returns the paths it changed. A file this process may
    not change (another owner) is logged and left alone, never an error."""
    changed = []
    for suffix in _SIDE_FILES:
        name = path + suffix
        try:
            mode = stat.S_IMODE(os.stat(name).st_mode)
            if mode & 0o077:
                os.chmod(name, mode & 0o700)
                changed.append(name)
        except FileNotFoundError:
            continue
        except OSError as exc:
            logger.warning("could not make %s private: %s", name, exc)
    return changed


def on_connection_created(sender: Any, connection: Any, **kwargs: Any) -> None:
    """`connection_created` receiver: SQLite database files become owner-only."""
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict.get("NAME") or "")
    if name and os.path.isfile(name):  # not ":memory:" or a "file:...?mode=memory" URI
        make_private(name)
