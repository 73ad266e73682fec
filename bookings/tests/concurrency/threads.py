"""Run N callables at once: threads released together by a barrier, each closing its own
database connection at the end.

A failure is reported as a short summary (how many failed, the first few distinct errors,
each cut to a few lines), never every thread's traceback or a huge repr: a lock regression
makes every thread fail at once.
"""

from __future__ import annotations

import threading
import traceback
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.db import connection

MAX_DISTINCT_ERRORS = 3
MAX_MESSAGE_CHARS = 300
MAX_TRACEBACK_LINES = 12


def _short(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def summarize_errors(errors: list[BaseException], total: int) -> str:
    """`N of M workers failed` and the first few distinct errors (type, shortened message,
    the last lines of one traceback each)."""
    kinds = Counter(f"{type(e).__name__}: {_short(e)}" for e in errors)
    lines = [f"{len(errors)} of {total} workers failed; {len(kinds)} distinct error(s)"]
    shown: set[str] = set()
    for error in errors:
        key = f"{type(error).__name__}: {_short(error)}"
        if key in shown:
            continue
        shown.add(key)
        lines.append(f"- {kinds[key]} × {key}")
        frames = traceback.format_exception(error.__class__, error, error.__traceback__, chain=False)
        tail = "".join(frames).splitlines()[-MAX_TRACEBACK_LINES:]
        lines += [f"    {_short(line, 200)}" for line in tail]
        if len(shown) >= MAX_DISTINCT_ERRORS:
            break
    return "\n".join(lines)


def run_concurrently(tasks: list[Callable[[], Any]], *, timeout: float = 120) -> list[Any]:
    barrier = threading.Barrier(len(tasks))
    results: list[Any] = [None] * len(tasks)

    def worker(index: int, task: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=timeout)
            results[index] = task()
        except BaseException as exc:  # noqa: BLE001 - reported to the test, summarized
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, t)) for i, t in enumerate(tasks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    hung = sum(thread.is_alive() for thread in threads)
    assert not hung, f"{hung} of {len(threads)} worker threads hung"
    errors = [r for r in results if isinstance(r, BaseException)]
    if errors:
        # Raised from None, with the tracebacks dropped: pytest must not render each
        # worker's frames and locals.
        raise AssertionError(summarize_errors(errors, len(tasks))) from None
    return results
