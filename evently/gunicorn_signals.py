"""A gunicorn worker quits once, however many quit signals reach it.

Ctrl-C at the terminal of `make run` sends SIGINT to the whole process group: the master
and its worker at once. The master answers with a SIGQUIT to the worker ("quick shutdown"),
which often arrives while the worker is still inside its handler for the SIGINT. gunicorn's
gthread worker (27.0) then runs `handle_quit` again, nested, and the nested call waits for
the thread pool's shutdown lock that the outer call holds: the worker hangs until the
master kills it `graceful_timeout` (30 s) later ("Worker (pid:…) was sent SIGKILL! Perhaps
out of memory?"). Measured: 1 stop in 6 to 2 in 4 hung with a browser's kept-alive connection
open.
"""

from __future__ import annotations

import signal
from typing import Any

QUIT_SIGNALS = frozenset({signal.SIGINT, signal.SIGQUIT})


def quit_once(worker: Any) -> None:
    """Install SIGINT/SIGQUIT handlers on `worker` (a gunicorn worker, in its own process,
    after its `init_signals`) that run its `handle_quit` at most once. The first thing the
    handler does is block both signals, so a later one stays pending instead of nesting; a
    nested call that slipped in before that returns at once."""
    handle_quit = worker.handle_quit
    started: list[int] = []

    def handle_quit_once(signum: int, frame: Any) -> None:
        signal.pthread_sigmask(signal.SIG_BLOCK, QUIT_SIGNALS)
        if started:
            return
        started.append(signum)
        handle_quit(signum, frame)

    for signum in QUIT_SIGNALS:
        signal.signal(signum, handle_quit_once)
