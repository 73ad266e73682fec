from pathlib import Path

import pytest

from evently.config import cache_config, cors_origins, database_config, normalize_database_url
from evently.envfile import ensure_jwt_secret

BASE = Path("/srv/evently")


def config(url: str) -> dict:
    return database_config(url, base_dir=BASE, lock_timeout_seconds=5, conn_max_age=600)


@pytest.mark.parametrize(
    "url",
    [
        "postgres://app:pw@db.example:5433/evently",
        "postgresql://app:pw@db.example:5433/evently",
        "postgresql+psycopg2://app:pw@db.example:5433/evently",
        "postgresql+psycopg://app:pw@db.example:5433/evently",
    ],
)
def test_postgres_urls_of_both_forms_give_the_same_settings(url: str) -> None:
    db = config(url)

    assert db["ENGINE"] == "django_prometheus.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "evently", "app", "pw", "db.example", "5433",
    )
    assert db["CONN_MAX_AGE"] == 600
    assert db["OPTIONS"]["options"] == "-c lock_timeout=5000"


def test_sqlalchemy_driver_suffix_is_dropped() -> None:
    assert normalize_database_url("postgresql+psycopg2://u@h/d") == "postgresql://u@h/d"
    assert normalize_database_url("postgres://u@h/d") == "postgres://u@h/d"


def test_no_database_url_means_embedded_sqlite_in_wal_with_immediate_transactions() -> None:
    db = config("")

    assert db["ENGINE"] == "django_prometheus.db.backends.sqlite3"
    assert db["NAME"] == str(BASE / "db.sqlite3")
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
    assert db["OPTIONS"]["timeout"] == 5


def test_sqlite_url_is_accepted() -> None:
    assert config("sqlite:////tmp/x.sqlite3")["NAME"] == "/tmp/x.sqlite3"


def test_unknown_scheme_is_refused() -> None:
    with pytest.raises(ValueError):
        config("mysql://u@h/d")


def test_cache_is_in_process_without_redis_url_and_redis_with_it() -> None:
    assert "LocMemCache" in cache_config("")["BACKEND"]
    redis = cache_config("redis://127.0.0.1:6379/2")
    assert "RedisCache" in redis["BACKEND"]
    assert redis["LOCATION"] == "redis://127.0.0.1:6379/2"


def test_cors_origins_are_split_and_trimmed() -> None:
    assert cors_origins(" http://a.test/, https://b.test ,,") == ["http://a.test", "https://b.test"]


def test_envfile_writes_a_secret_once_and_keeps_other_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JWT_SECRET", raising=False)
    env = tmp_path / ".env"
    env.write_text("LOG_LEVEL=DEBUG\nJWT_SECRET=\n")

    assert ensure_jwt_secret(env) is True
    first = env.read_text()
    assert ensure_jwt_secret(env) is False

    assert env.read_text() == first
    assert "LOG_LEVEL=DEBUG" in first
    secret = [line for line in first.splitlines() if line.startswith("JWT_SECRET=")][0].split("=", 1)[1]
    assert len(secret) >= 40


def test_settings_refuse_to_start_without_jwt_secret(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "JWT_SECRET"}
    env["DJANGO_SETTINGS_MODULE"] = "evently.settings"
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=tmp_path, env={**env, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        capture_output=True, text=True,
    )
    assert result.returncode != 0
    assert "JWT_SECRET is not set" in result.stderr


# --- `.env` is read outside tests only (issue 12 item 19) ---------------------------------


def test_env_file_defaults_to_the_project_root_and_can_be_named_or_switched_off(tmp_path: Path) -> None:
    from evently.config import env_file

    assert env_file({}, base_dir=tmp_path) == tmp_path / ".env"
    assert env_file({"EVENTLY_ENV_FILE": "/etc/evently.env"}, base_dir=tmp_path) == Path("/etc/evently.env")
    assert env_file({"EVENTLY_ENV_FILE": ""}, base_dir=tmp_path) is None


def _settings_value(tmp_path: Path, module: str, name: str, **env: str) -> str:
    import os
    import subprocess
    import sys

    base = {k: v for k, v in os.environ.items() if k not in ("EVENTLY_ENV_FILE", name, "JWT_SECRET")}
    result = subprocess.run(
        [sys.executable, "-c", f"from django.conf import settings; print(settings.{name})"],
        cwd=tmp_path,
        env={**base, **env, "DJANGO_SETTINGS_MODULE": module, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        capture_output=True, text=True, check=True, timeout=60,
    )
    return result.stdout.strip()


def test_test_settings_ignore_a_developers_env_file(tmp_path: Path) -> None:
    """As after `make run`: a `.env` with a JWT secret and conflicting values. The real
    settings read it; the test settings do not, even when pointed at it."""
    dotenv = tmp_path / ".env"
    dotenv.write_text("JWT_SECRET=from-the-developers-env-file\nPASSWORD_MIN_LENGTH=99\n")

    real = _settings_value(tmp_path, "evently.settings", "PASSWORD_MIN_LENGTH", EVENTLY_ENV_FILE=str(dotenv))
    test = _settings_value(tmp_path, "evently.settings_test", "PASSWORD_MIN_LENGTH", EVENTLY_ENV_FILE=str(dotenv))
    secret = _settings_value(tmp_path, "evently.settings_test", "JWT_SECRET", EVENTLY_ENV_FILE=str(dotenv))

    assert real == "99"
    assert test == "8"
    assert secret != "from-the-developers-env-file"


def test_the_test_process_itself_ignores_env_files() -> None:
    import os

    from django.conf import settings

    assert os.environ["EVENTLY_ENV_FILE"] == ""
    assert settings.ENV_FILE is None


def test_gunicorn_conf_follows_the_same_env_file_rule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import runpy

    conf_path = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"
    dotenv = tmp_path / ".env"
    dotenv.write_text("WEB_CONCURRENCY=7\n")
    monkeypatch.setenv("WEB_CONCURRENCY", "0")  # so monkeypatch restores whatever the file sets
    monkeypatch.delenv("WEB_CONCURRENCY")

    monkeypatch.setenv("EVENTLY_ENV_FILE", "")
    assert runpy.run_path(str(conf_path))["workers"] != 7
    monkeypatch.setenv("EVENTLY_ENV_FILE", str(dotenv))
    assert runpy.run_path(str(conf_path))["workers"] == 7
