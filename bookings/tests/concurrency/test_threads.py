"""Issue 12 item 21: a failing concurrency test reports a short summary."""

import pytest

from bookings.tests.concurrency.threads import run_concurrently

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def test_failing_workers_are_reported_as_a_short_summary() -> None:
    huge = "x" * 1_000_000

    def fail(i: int) -> None:
        raise ValueError(f"worker {i % 4}: {huge}")

    with pytest.raises(AssertionError) as caught:
        run_concurrently([lambda i=i: fail(i) for i in range(40)])

    message = str(caught.value)
    assert message.startswith("40 of 40 workers failed; 4 distinct error(s)")
    assert len(message) < 6_000
    assert message.count("ValueError: worker") <= 3 * 2  # first 3 distinct errors, each shown briefly
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
