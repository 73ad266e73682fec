"""A short soak in CI (the long one is `make soak`, docs/RELIABILITY.md): mixed traffic for
~25 s on 2 workers × 4 threads, sampled every 2.5 s. Catches lost bookings, 5xx, connection
leaks (database, Redis, file descriptors) and gross memory growth; the trend over minutes
is what `make soak` measures."""

from __future__ import annotations

import pytest

from evently.tests.reliability.conftest import note, record
from evently.tests.reliability.soak import format_report, run

pytestmark = [pytest.mark.reliability, pytest.mark.slow]


def test_short_soak_loses_nothing_and_leaks_nothing() -> None:
    report = run(duration=25, interval=2.5, clients=6)
    record("soak requests", report["requests"])
    record("soak bookings lost", report["bookings_lost"])
    note("soak (CI)", {k: v for k, v in report.items() if k not in ("samples", "by_operation")})

    assert report["requests"] > 200, format_report(report)
    assert report["bookings_confirmed"] > 20, format_report(report)
    assert report["failures"] == [], format_report(report)
