"""Run only by test_sigterm.py, in a pytest of its own (the file name does not match
`python_files`, so the suite never collects it): a test that waits, and a fixture whose
teardown leaves a mark, so that the caller can see a SIGTERM run the teardown."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

MARK = Path(os.environ.get("SIGTERM_PROBE_DIR", "/nonexistent"))


@pytest.fixture
def leaves_a_mark() -> Iterator[None]:
    yield
    (MARK / "torn-down").write_text("teardown ran")


def test_waits_for_the_signal(leaves_a_mark: None) -> None:
    (MARK / "started").write_text("")
    time.sleep(60)
