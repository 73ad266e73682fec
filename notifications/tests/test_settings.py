"""EMAIL_URL and the Celery mode are read from the environment (evently/settings.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRINT = (
    "import json, evently.settings as s; print(json.dumps({k: getattr(s, k, None) for k in "
    "['EMAIL_BACKEND', 'EMAIL_HOST', 'EMAIL_PORT', 'EMAIL_HOST_USER', 'EMAIL_HOST_PASSWORD', "
    "'EMAIL_USE_TLS', 'CELERY_TASK_ALWAYS_EAGER', 'CELERY_BROKER_URL', 'WEB_APP_URL']}))"
)


def _settings(**env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in ("EMAIL_URL", "REDIS_URL", "WEB_APP_URL", "PORT")}
    out = subprocess.run(
        [sys.executable, "-c", PRINT], cwd=ROOT, capture_output=True, text=True, check=True,
        env={**clean, "JWT_SECRET": "settings-test-0123456789abcdef0123456789", "DATABASE_URL": "",
             "EVENTLY_ENV_FILE": "", **env},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_without_email_url_or_redis_emails_go_to_the_console_from_the_web_process() -> None:
    s = _settings(EMAIL_URL="", REDIS_URL="")

    assert s["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert s["CELERY_TASK_ALWAYS_EAGER"] is True
    assert s["WEB_APP_URL"] == "http://localhost:8000"


def test_links_point_to_the_port_the_server_listens_on_unless_told_otherwise() -> None:
    """`PORT=9000 make run`: the emails' and .ics files' links must reach that server."""
    assert _settings(PORT="9000")["WEB_APP_URL"] == "http://localhost:9000"
    assert _settings(PORT="9000", WEB_APP_URL="https://tickets.example.org")["WEB_APP_URL"] == "https://tickets.example.org"


def test_smtp_tls_url_and_redis_select_smtp_and_the_worker() -> None:
    s = _settings(
        EMAIL_URL="smtp+tls://mailer:s3cret@mail.example.org:587", REDIS_URL="redis://127.0.0.1:6379/3",
        WEB_APP_URL="https://tickets.example.org/",
    )

    assert s["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (s["EMAIL_HOST"], s["EMAIL_PORT"], s["EMAIL_HOST_USER"], s["EMAIL_HOST_PASSWORD"]) == (
        "mail.example.org", 587, "mailer", "s3cret"
    )
    assert s["EMAIL_USE_TLS"] is True
    assert s["CELERY_TASK_ALWAYS_EAGER"] is False and s["CELERY_BROKER_URL"] == "redis://127.0.0.1:6379/3"
    assert s["WEB_APP_URL"] == "https://tickets.example.org"
