"""Every business series is on /metrics with 0 from the start (issue 12 item 18)."""

import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]

EXPECTED_AT_ZERO = [
    'evently_rate_limit_rejections_total{group="login"} 0.0',
    'evently_rate_limit_rejections_total{group="booking"} 0.0',
    'evently_rate_limit_rejections_total{group="admin"} 0.0',
    'evently_rate_limit_rejections_total{group="signup"} 0.0',
    'evently_rate_limit_rejections_total{group="password_reset"} 0.0',
    'evently_rate_limit_rejections_total{group="checkin"} 0.0',
    'evently_cancellations_total{previous_status="CONFIRMED"} 0.0',
    'evently_cancellations_total{previous_status="WAITLISTED"} 0.0',
    "evently_lock_timeouts_total 0.0",
    "evently_waitlist_promotions_total 0.0",
    "evently_idempotent_replays_total 0.0",
    "evently_event_changes_oldest_unfanned_seconds 0.0",
    *[
        f'evently_analytics_cache_total{{name="{name}",result="{result}"}} 0.0'
        for name in ("summary", "homepage", "events_page")
        for result in ("hit", "miss", "refresh", "bypass")
    ],
]


def test_a_fresh_process_exports_every_business_series_at_zero() -> None:
    """A new process, as after a server start: nothing has happened yet."""
    script = (
        "import django; django.setup(); "
        "from django.test import Client; "
        "import sys; sys.stdout.write(Client().get('/metrics').content.decode())"
    )
    env = {"DJANGO_SETTINGS_MODULE": "evently.settings_test", "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=60, check=True
    ).stdout

    missing = [line for line in EXPECTED_AT_ZERO if line not in out.splitlines()]
    assert missing == []


@pytest.mark.django_db
def test_metrics_endpoint_lists_the_series(api_client) -> None:
    text = api_client.get("/metrics").content.decode()

    for line in EXPECTED_AT_ZERO:
        assert line.rsplit(" ", 1)[0] in text


def test_made_up_http_methods_add_no_series(client, db) -> None:
    """A method outside HTTP's own is `<invalid method>` in every label, so clients cannot grow
    /metrics (and the memory behind it) by inventing methods."""
    for i in range(3):
        response = client.generic(f"X{i:06d}", "/events")
        assert response.status_code == 405 and response.json()["detail"]

    text = client.get("/metrics").content.decode()

    assert 'method="X0000' not in text
    assert 'method="<invalid method>",view="event-list"' in text


@pytest.mark.django_db
def test_metrics_can_be_kept_to_the_networks_the_deployment_names(client, settings) -> None:
    """The contract: /metrics is for anyone, "may be restricted by config"."""
    import ipaddress

    settings.METRICS_ALLOWED_NETWORKS = [ipaddress.ip_network("10.0.0.0/8")]

    outside = client.get("/metrics", REMOTE_ADDR="203.0.113.9")
    inside = client.get("/metrics", REMOTE_ADDR="10.1.2.3")

    assert outside.status_code == 403
    assert outside.json() == {"detail": "Metrics are not available to this address"}
    assert inside.status_code == 200 and b"evently_bookings_total" in inside.content
