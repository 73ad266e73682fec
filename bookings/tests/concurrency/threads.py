"""Run N callables at once: threads released together by a barrier, each closing its own
database connection at the end."""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from django.db import connection


def run_concurrently(tasks: list[Callable[[], Any]], *, timeout: float = 120) -> list[Any]:
    barrier = threading.Barrier(len(tasks))
    results: list[Any] = [None] * len(tasks)

    def worker(index: int, task: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=timeout)
            results[index] = task()
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            exc.add_note("".join(traceback.format_exception(exc)))
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, t)) for i, t in enumerate(tasks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a worker thread hung"
    errors = [r for r in results if isinstance(r, BaseException)]
    assert not errors, "worker errors:\n" + "\n".join(
        "".join(traceback.format_exception(error)) for error in errors[:3]
    )
    return results
