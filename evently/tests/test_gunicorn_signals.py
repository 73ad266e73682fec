"""A gunicorn worker runs its quit handler once: Ctrl-C's SIGINT and the master's SIGQUIT
arriving together must not nest it (the nested call deadlocked on the thread pool's
shutdown lock until the master's SIGKILL, 30 s later)."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from typing import Any

import pytest

from evently.gunicorn_signals import QUIT_SIGNALS, quit_once


@pytest.fixture(autouse=True)
def _restore_signal_handling() -> Iterator[None]:
    """The test process's own handlers and signal mask, back afterwards; a quit signal left
    pending by a test is dropped (ignored while unblocked), never delivered to pytest."""
    handlers = {signum: signal.getsignal(signum) for signum in QUIT_SIGNALS}
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    yield
    for signum in QUIT_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    for signum, handler in handlers.items():
        signal.signal(signum, handler)


class Worker:
    """What `quit_once` needs of a gunicorn worker: `handle_quit`, which here records its
    calls and, like the master's SIGQUIT arriving mid-shutdown, signals again."""

    def __init__(self, again: Any) -> None:
        self.calls: list[int] = []
        self.blocked_meanwhile: list[bool] = []
        self.again = again

    def handle_quit(self, signum: int, frame: Any) -> None:
        self.calls.append(signum)
        self.blocked_meanwhile.append(QUIT_SIGNALS <= signal.pthread_sigmask(signal.SIG_BLOCK, []))
        self.again()


def test_a_second_quit_signal_during_the_first_does_not_run_the_handler_again() -> None:
    worker = Worker(again=lambda: signal.raise_signal(signal.SIGQUIT))
    quit_once(worker)

    signal.raise_signal(signal.SIGINT)  # Ctrl-C; the master's SIGQUIT follows inside

    assert worker.calls == [signal.SIGINT]
    assert worker.blocked_meanwhile == [True]
    assert signal.SIGQUIT in signal.sigpending()  # held, not delivered


def test_a_nested_call_that_slipped_in_before_the_block_returns_at_once() -> None:
    worker = Worker(again=lambda: signal.getsignal(signal.SIGQUIT)(signal.SIGQUIT, None))
    quit_once(worker)

    signal.getsignal(signal.SIGINT)(signal.SIGINT, None)

    assert worker.calls == [signal.SIGINT]


def test_both_quit_signals_go_to_the_once_handler() -> None:
    worker = Worker(again=lambda: None)
    quit_once(worker)

    signal.raise_signal(signal.SIGQUIT)

    assert worker.calls == [signal.SIGQUIT]
    assert signal.getsignal(signal.SIGINT) is signal.getsignal(signal.SIGQUIT)
