import logging
from collections.abc import Iterator

import pytest
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _warm_request_stack(transactional_db: None) -> None:
    """Serve one request before the threads start: django-prometheus registers its
    middleware metrics on first use, which is not thread-safe (gunicorn builds the
    middleware once per worker before serving, so production never races here)."""
    APIClient().get("/healthz")


@pytest.fixture(autouse=True)
def _quiet_request_errors() -> Iterator[None]:
    """A worker's unexpected exception reaches `run_concurrently` (the test client re-raises
    it), which reports a short summary; Django's own error log would add every thread's
    traceback to the failure report (issue 12 item 21), so it is silenced here."""
    loggers = [logging.getLogger(name) for name in ("django.request", "django.server")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL + 1)
    yield
    for logger, level in zip(loggers, levels):
        logger.setLevel(level)
