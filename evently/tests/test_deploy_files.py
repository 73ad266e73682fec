"""docker-compose.yml and the Dockerfile can't be run here (no Docker engine): these tests read
them and check what the docs promise."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _seconds(value: str) -> int:
    match = re.fullmatch(r"(\d+)s", value)
    assert match, value
    return int(match.group(1))


def test_compose_stop_grace_covers_gunicorns_graceful_timeout() -> None:
    graceful = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["graceful_timeout"]
    api = _compose()["services"]["api"]

    assert _seconds(api["stop_grace_period"]) > graceful


def test_compose_runs_the_worker_and_beat_from_the_api_image() -> None:
    services = _compose()["services"]

    assert services["worker"]["command"][:4] == ["celery", "-A", "evently", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "evently", "beat"]
    assert services["worker"]["build"] == services["beat"]["build"] == services["api"]["build"]


def test_readme_names_the_compose_version_the_env_file_form_needs() -> None:
    """`env_file` entries with `path`/`required` need Docker Compose 2.24+."""
    uses_long_form = any(
        isinstance(entry, dict) and "required" in entry
        for service in _compose()["services"].values()
        for entry in service.get("env_file", [])
    )
    readme = (ROOT / "README.md").read_text()

    assert uses_long_form
    assert re.search(r"Compose v?2\.24", readme)
