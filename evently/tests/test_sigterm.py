"""A SIGTERM to pytest (a stopped CI run: `.ci/run` passes it on) ends the run as Ctrl-C does,
with fixtures' teardown, so the live servers the tests started are stopped, not left behind
(the root conftest's `pytest_sessionstart`)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).parent / "probes" / "sigterm_probe.py"


def test_sigterm_ends_the_run_with_teardown(tmp_path: Path) -> None:
    env = dict(os.environ, SIGTERM_PROBE_DIR=str(tmp_path))
    proc = subprocess.Popen(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(PROBE)],
        cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / "started").exists():
            assert proc.poll() is None, proc.communicate()[0]
            assert time.monotonic() < deadline, "the probe's test never started"
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()

    assert (tmp_path / "torn-down").read_text() == "teardown ran", output
    assert proc.returncode == 2, output  # pytest's "interrupted"
    assert "KeyboardInterrupt: signal 15" in output
