import pytest
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _warm_request_stack(transactional_db: None) -> None:
    """Serve one request before the threads start: django-prometheus registers its
    middleware metrics on first use, which is not thread-safe (gunicorn builds the
    middleware once per worker before serving, so production never races here)."""
    APIClient().get("/healthz")
