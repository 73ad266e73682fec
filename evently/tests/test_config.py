from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from evently.config import (
    cache_config,
    checked_rate,
    checked_secret,
    cors_origins,
    database_config,
    flag,
    host_list,
    network_list,
    normalize_database_url,
    number,
)
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


@pytest.mark.parametrize("url", ["mysql://u@h/d", "garbage", "http://db.example/evently"])
def test_unknown_or_malformed_database_urls_are_refused_naming_the_variable(url: str) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # only our one line: no django-environ warning before it
        with pytest.raises(ImproperlyConfigured, match="DATABASE_URL must be"):
            config(url)


@pytest.mark.parametrize("url", ["localhost:6379", "garbage", "http://127.0.0.1:6379/13"])
def test_a_redis_url_redis_cannot_use_is_refused_at_startup(url: str) -> None:
    # It used to start, and every request touching the cache was a 500.
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL must start with"):
        cache_config(url)
    assert cache_config("rediss://:pw@cache.example:6380/0")["LOCATION"] == "rediss://:pw@cache.example:6380/0"


@pytest.mark.parametrize(
    "secret",
    [
        "x",
        "a" * 31,
        # .env.example's line, uncommented: django-environ keeps the inline comment.
        "change-me-to-a-long-random-string   # required; signs access tokens (HS256)",
        "change-me-to-a-long-random-string-0123456789",
        "0123456789abcdef0123456789abcdef 0123",
        " " * 40,
    ],
)
def test_a_short_spaced_or_example_secret_is_refused(secret: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="JWT_SECRET must be at least 32 characters"):
        checked_secret("JWT_SECRET", secret)


def test_a_random_secret_is_taken_as_given() -> None:
    secret = "Qm9vay1zZWF0cy0wMTIzNDU2Nzg5YWJjZGVmZ2hpamtsbW5vcA"
    assert checked_secret("JWT_SECRET", secret) == secret


def test_numbers_name_the_variable_when_wrong() -> None:
    assert number({}, "BOOKING_MAX_QTY", 10, minimum=1) == 10
    assert number({"BOOKING_MAX_QTY": " "}, "BOOKING_MAX_QTY", 10, minimum=1) == 10
    assert number({"BOOKING_MAX_QTY": "4"}, "BOOKING_MAX_QTY", 10, minimum=1) == 4
    assert number({"BOOKING_LOCK_TIMEOUT": "0.5"}, "BOOKING_LOCK_TIMEOUT", 5.0, minimum=0.01) == 0.5
    for raw in ("abc", "0", "-1", "1.5", "\u0663", "1_0"):
        with pytest.raises(ImproperlyConfigured, match="BOOKING_MAX_QTY must be a whole number ≥ 1"):
            number({"BOOKING_MAX_QTY": raw}, "BOOKING_MAX_QTY", 10, minimum=1)
    for raw in ("nan", "inf", "-1", "soon"):
        with pytest.raises(ImproperlyConfigured, match="BOOKING_LOCK_TIMEOUT must be a number"):
            number({"BOOKING_LOCK_TIMEOUT": raw}, "BOOKING_LOCK_TIMEOUT", 5.0, minimum=0.01)


def test_flags_are_true_or_false_words_and_nothing_else() -> None:
    # django-environ reads any other word as false: RATELIMIT_ENABLE=ture switched every limit off.
    assert flag({}, "RATELIMIT_ENABLE", True) is True
    assert [flag({"F": raw}, "F", False) for raw in ("true", "TRUE", " yes ", "1", "on", "y", "ok")] == [True] * 7
    assert [flag({"F": raw}, "F", True) for raw in ("false", "False", "no", "0", "off", "n")] == [False] * 6
    for raw in ("ture", "yes-please", "2", "enabled"):
        with pytest.raises(ImproperlyConfigured, match="RATELIMIT_ENABLE must be true or false"):
            flag({"RATELIMIT_ENABLE": raw}, "RATELIMIT_ENABLE", True)


def test_rates_are_django_ratelimit_rates_or_empty() -> None:
    assert checked_rate("RATELIMIT_LOGIN", " 5/m ") == "5/m"
    assert checked_rate("RATELIMIT_LOGIN", "100/10s") == "100/10s"
    assert checked_rate("RATELIMIT_LOGIN", "") == ""  # no limit for the group
    # "lots" and "5" made every login a 500; "5/M" meant five per second.
    # "5/0m" started, then every login was a 500 (django-ratelimit refuses a zero period).
    for raw in ("lots", "5", "5/M", "5/minute", "/m", "5/0m", "0/m", "05/m"):
        with pytest.raises(ImproperlyConfigured, match="RATELIMIT_LOGIN must be a rate like 5/m"):
            checked_rate("RATELIMIT_LOGIN", raw)


def test_allowed_hosts_are_trimmed_and_never_empty() -> None:
    # " localhost" (after a comma and a space) used to be a host no request could match.
    assert host_list("example.com, localhost") == ["example.com", "localhost"]
    with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS names no host"):
        host_list(" , ")


def test_metrics_networks_are_addresses_or_networks_or_empty() -> None:
    import ipaddress

    assert network_list("METRICS_ALLOWED_NETWORKS", "") == []
    assert network_list("METRICS_ALLOWED_NETWORKS", " 10.0.0.0/8, 127.0.0.1 ,::1") == [
        ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("127.0.0.1/32"), ipaddress.ip_network("::1/128"),
    ]
    # As gunicorn on [::] logs an IPv4 client; evently.client_ip gives it as IPv4.
    assert network_list("METRICS_ALLOWED_NETWORKS", "::ffff:127.0.0.1, ::ffff:10.0.0.0/104") == [
        ipaddress.ip_network("127.0.0.1/32"), ipaddress.ip_network("10.0.0.0/8"),
    ]
    for wrong in ("localhost", "10.0.0.0/33", "10.0.0.1/8x"):
        with pytest.raises(ImproperlyConfigured, match="METRICS_ALLOWED_NETWORKS must be"):
            network_list("METRICS_ALLOWED_NETWORKS", wrong)


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
    dotenv.write_text("JWT_SECRET=from-the-developers-env-file-0123456789abcdef\nPASSWORD_MIN_LENGTH=99\n")

    real = _settings_value(tmp_path, "evently.settings", "PASSWORD_MIN_LENGTH", EVENTLY_ENV_FILE=str(dotenv))
    test = _settings_value(tmp_path, "evently.settings_test", "PASSWORD_MIN_LENGTH", EVENTLY_ENV_FILE=str(dotenv))
    secret = _settings_value(tmp_path, "evently.settings_test", "JWT_SECRET", EVENTLY_ENV_FILE=str(dotenv))

    assert real == "99"
    assert test == "8"
    assert secret != "from-the-developers-env-file-0123456789abcdef"


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


def _settings_failure(tmp_path: Path, **env: str) -> str:
    """stderr of importing the real settings with `env` on top of a valid environment."""
    import os
    import subprocess
    import sys

    base = {k: v for k, v in os.environ.items() if k not in ("EVENTLY_ENV_FILE", "JWT_SECRET")}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=tmp_path,
        env={
            **base, "EVENTLY_ENV_FILE": "", "JWT_SECRET": "k" * 40, **env,
            "DJANGO_SETTINGS_MODULE": "evently.settings", "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        },
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode != 0, (env, result.stdout)
    return result.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"JWT_SECRET": "x"}, "JWT_SECRET must be at least 32 characters"),
        ({"DJANGO_SECRET_KEY": "...   # default: derived from JWT_SECRET"}, "DJANGO_SECRET_KEY must be at least 32"),
        ({"RATELIMIT_LOGIN": "lots"}, "RATELIMIT_LOGIN must be a rate"),
        ({"REDIS_URL": "localhost:6379"}, "REDIS_URL must start with"),
        ({"DATABASE_URL": "garbage"}, "DATABASE_URL must be"),
        ({"REQUEST_BODY_MAX_BYTES": "-1"}, "REQUEST_BODY_MAX_BYTES must be a whole number ≥ 1024"),
        ({"ACCESS_TOKEN_EXPIRE_MINUTES": "-5"}, "ACCESS_TOKEN_EXPIRE_MINUTES must be a whole number ≥ 1"),
        ({"BOOKING_MAX_QTY": "abc"}, "BOOKING_MAX_QTY must be a whole number"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL must be DEBUG, INFO"),
        ({"EMAIL_URL": "garbage"}, "EMAIL_URL must be smtp://"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS names no host"),
        ({"RATELIMIT_ENABLE": "ture"}, "RATELIMIT_ENABLE must be true or false"),
        ({"RATELIMIT_LOGIN": "5/0m"}, "RATELIMIT_LOGIN must be a rate"),
    ],
)
def test_the_real_settings_refuse_a_bad_value_naming_it(tmp_path: Path, env: dict, message: str) -> None:
    assert message in _settings_failure(tmp_path, **env)


def test_env_example_value_lines_carry_no_inline_comment() -> None:
    # django-environ keeps "value   # comment" whole: an uncommented example line must still be
    # the value alone.
    example = Path(__file__).resolve().parents[2] / ".env.example"
    for line in example.read_text().splitlines():
        value_line = line.lstrip("# ").split("=", 1)
        if len(value_line) == 2 and value_line[0].isupper() and value_line[0].replace("_", "").isalnum():
            assert " #" not in value_line[1], line


def test_debug_pages_hide_urls_that_carry_passwords() -> None:
    from django.test import override_settings
    from django.views.debug import get_exception_reporter_filter

    with override_settings(
        DEBUG=True,
        REDIS_URL="redis://:redispw99@cache.example:6379/0",
        EMAIL_URL="smtp+tls://mail:hunter2mail@mail.example:587",
        CELERY_BROKER_URL="redis://:redispw99@cache.example:6379/0",
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "redis://:redispw99@x"}},
    ):
        shown = str(get_exception_reporter_filter(None).get_safe_settings())

    assert "redispw99" not in shown and "hunter2mail" not in shown


def test_make_runs_secret_goes_to_the_env_file_the_settings_read(tmp_path: Path) -> None:
    # `make run` runs `python -m evently.envfile`: it wrote ./.env even when EVENTLY_ENV_FILE
    # named another file, and the settings then found no secret.
    import os
    import subprocess
    import sys

    named = tmp_path / "evently.env"
    named.write_text("LOG_LEVEL=INFO\n")
    env = {k: v for k, v in os.environ.items() if k != "JWT_SECRET"}
    subprocess.run(
        [sys.executable, "-m", "evently.envfile"], cwd=Path(__file__).resolve().parents[2],
        env={**env, "EVENTLY_ENV_FILE": str(named)}, check=True, capture_output=True, timeout=60,
    )
    secret = [line for line in named.read_text().splitlines() if line.startswith("JWT_SECRET=")]
    assert len(secret) == 1 and checked_secret("JWT_SECRET", secret[0].split("=", 1)[1])


def test_make_run_names_an_env_file_in_a_missing_folder_in_one_line(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "JWT_SECRET"}
    result = subprocess.run(
        [sys.executable, "-m", "evently.envfile"], cwd=Path(__file__).resolve().parents[2],
        env={**env, "EVENTLY_ENV_FILE": str(tmp_path / "nodir" / "x.env")}, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"EVENTLY_ENV_FILE names {tmp_path / 'nodir' / 'x.env'}, in a folder that does not exist"]


def test_manage_py_names_a_bad_setting_in_one_line(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, str(root / "manage.py"), "check"], cwd=tmp_path,
        env={**env, "EVENTLY_ENV_FILE": "", "JWT_SECRET": "x"}, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "Configuration error: JWT_SECRET must be at least 32 characters of random text without spaces "
        "(got 1 characters); make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"
    ]


def test_behind_tls_the_console_cookies_are_secure_and_hsts_is_sent(tmp_path: Path) -> None:
    """SECURE_COOKIES / SECURE_HSTS_SECONDS, read from the environment (off by default: plain
    HTTP in `make run` and Compose)."""
    valid = {"JWT_SECRET": "k" * 40, "EVENTLY_ENV_FILE": ""}

    def read(name: str, **env: str) -> str:
        return _settings_value(tmp_path, "evently.settings", name, **valid, **env)

    assert [read(n) for n in ("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS")] == [
        "False", "False", "0",
    ]
    on = {"SECURE_COOKIES": "true", "SECURE_HSTS_SECONDS": "31536000"}
    assert [read(n, **on) for n in ("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS")] == [
        "True", "True", "31536000",
    ]
    assert "SECURE_COOKIES must be true or false" in _settings_failure(tmp_path, SECURE_COOKIES="yes please")


def test_envfile_never_puts_the_secret_where_others_could_read_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # `make run` copies .env.example to .env first (mode 0644 under the usual umask); another
    # local user may have opened it then. The secret must not reach that file: it goes into a
    # new file that only the owner can open, which then takes the name.
    monkeypatch.delenv("JWT_SECRET", raising=False)
    env = tmp_path / ".env"
    env.write_text("LOG_LEVEL=INFO\n")
    env.chmod(0o644)

    with env.open() as opened_before:
        assert ensure_jwt_secret(env) is True
        seen_by_the_earlier_reader = opened_before.read()

    assert "JWT_SECRET" not in seen_by_the_earlier_reader
    assert "JWT_SECRET=" in env.read_text() and "LOG_LEVEL=INFO" in env.read_text()
    assert env.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == [".env"]  # no temporary file left
