"""gunicorn.conf.py's default shape: several processes only when they share a database
that locks rows and a cache (Redis), then two single-threaded processes per core
(docs/PERFORMANCE.md section 2); otherwise one process, whose in-process cache and locks are
then the only ones."""

from __future__ import annotations

import os
import runpy
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"
CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
QUOTA = Path("/sys/fs/cgroup/cpu.max")


@pytest.fixture(autouse=True)
def _no_cpu_quota_of_this_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """The shapes below are those of a machine without a cgroup CPU quota: this machine's own
    (a container's /sys/fs/cgroup/cpu.max, often present even as `max 100000`) must neither
    change them nor skip the test. A test that wants a quota fakes the file over this."""
    real_read_text = Path.read_text

    def read_text(self, *args, **kwargs):  # noqa: ANN001, ANN202
        if str(self) == str(QUOTA):
            raise FileNotFoundError(str(QUOTA))
        return real_read_text(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", read_text)


def shape(monkeypatch: pytest.MonkeyPatch, **env: str) -> tuple[int, int]:
    # Set, even if empty: gunicorn.conf.py reads .env without overwriting what is set.
    for name in ("DATABASE_URL", "REDIS_URL"):
        monkeypatch.setenv(name, env.get(name, ""))
    for name in ("WEB_CONCURRENCY", "GUNICORN_THREADS"):
        if name in env:
            monkeypatch.setenv(name, env[name])
        else:
            monkeypatch.delenv(name, raising=False)
    conf = runpy.run_path(str(CONF))
    return conf["workers"], conf["threads"]


@pytest.mark.parametrize(
    "env, expected",
    [
        ({}, (1, 8)),
        ({"REDIS_URL": "redis://r:6379/0"}, (1, 8)),
        ({"DATABASE_URL": "postgres://p/evently"}, (1, 8)),
        ({"DATABASE_URL": "postgres://p/evently", "REDIS_URL": "redis://r:6379/0"}, (min(2 * CORES, 8), 1)),
        ({"DATABASE_URL": "postgres://p/evently", "WEB_CONCURRENCY": "3", "GUNICORN_THREADS": "2"}, (3, 2)),
        # An SQLite file named in DATABASE_URL is still SQLite: one process (it ran four).
        ({"DATABASE_URL": "sqlite:////tmp/evently.sqlite3", "REDIS_URL": "redis://r:6379/0"}, (1, 8)),
        ({"DATABASE_URL": "SQLite:////tmp/evently.sqlite3", "REDIS_URL": "redis://r:6379/0"}, (1, 8)),
    ],
)
def test_default_shape(monkeypatch, tmp_path, env, expected) -> None:
    monkeypatch.chdir(tmp_path)
    assert shape(monkeypatch, **env) == expected


def test_the_default_worker_count_is_two_per_core_at_most_eight(monkeypatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)
    env = {"DATABASE_URL": "postgres://p/evently", "REDIS_URL": "redis://r:6379/0"}
    for cores, expected in ((1, 2), (2, 4), (3, 6), (4, 8), (32, 8)):
        monkeypatch.setattr(os, "sched_getaffinity", lambda pid, n=cores: set(range(n)))
        assert shape(monkeypatch, **env) == (expected, 1)


def test_a_cgroup_cpu_quota_caps_the_cores_counted(monkeypatch, tmp_path) -> None:
    """`docker run --cpus=1.5` on a 32-core host: 2 cores counted, 4 workers."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(32)))
    real_read_text = Path.read_text

    def read_text(self, *args, **kwargs):
        if str(self) == str(QUOTA):
            return "150000 100000\n"
        return real_read_text(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", read_text)
    assert shape(monkeypatch, DATABASE_URL="postgres://p/evently", REDIS_URL="redis://r:6379/0") == (4, 1)


def test_request_limits_let_an_8192_character_token_reach_the_api(monkeypatch, tmp_path) -> None:
    """docs/RELIABILITY.md promises 401 JSON for an 8,192-character bearer token; gunicorn's
    default field limit (8,190 bytes) would answer its own HTML 431 first."""
    monkeypatch.chdir(tmp_path)
    shape(monkeypatch)
    conf = runpy.run_path(str(CONF))
    header_field = len("Authorization: Bearer ") + 8192 + len("\r\n")

    assert conf["limit_request_field_size"] >= header_field
    assert 0 < conf["limit_request_line"] <= 8190  # bounded (0 would be unlimited)
    assert conf["limit_request_fields"] >= 50


def test_gunicorn_parses_a_request_with_an_8192_character_token(monkeypatch, tmp_path) -> None:
    """The configured limits, through gunicorn's own request parser."""
    import io

    from gunicorn.config import Config
    from gunicorn.http.parser import RequestParser

    monkeypatch.chdir(tmp_path)
    shape(monkeypatch)
    values = runpy.run_path(str(CONF))
    cfg = Config()
    for name in ("limit_request_field_size", "limit_request_line", "limit_request_fields"):
        cfg.set(name, values[name])
    raw = b"GET /auth/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + b"a" * 8192 + b"\r\n\r\n"

    request = next(iter(RequestParser(cfg, io.BytesIO(raw), ("127.0.0.1", 1))))

    assert dict(request.headers)["AUTHORIZATION"] == "Bearer " + "a" * 8192


def test_an_access_log_is_written_by_default_and_can_be_switched_off(monkeypatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)
    shape(monkeypatch)
    monkeypatch.delenv("GUNICORN_ACCESSLOG", raising=False)
    default = runpy.run_path(str(CONF))["accesslog"]
    monkeypatch.setenv("GUNICORN_ACCESSLOG", "")
    off = runpy.run_path(str(CONF))["accesslog"]

    assert default == "-"  # stdout
    assert off is None


def test_the_access_log_never_holds_a_password_reset_token(monkeypatch, tmp_path) -> None:
    """The web app's reset page is served by Django: its request line, and the Referer of its
    API calls, carry the link's token, a working secret for an hour."""
    import datetime
    import logging

    from gunicorn.config import Config

    monkeypatch.chdir(tmp_path)
    shape(monkeypatch)
    cfg = Config()
    for name, value in runpy.run_path(str(CONF)).items():
        if name in cfg.settings:
            cfg.set(name, value)
    logger = cfg.logger_class(cfg)
    lines: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())  # type: ignore[method-assign]
    logger.access_log.handlers = [handler]
    logger.access_log.setLevel(logging.INFO)
    secret = "c9x-7c4f0e1d2b3a4958d6e7f8a9b0c1d2e3"
    url = f"/app/reset-password?uid=Mg&token={secret}"
    environ = {
        "REQUEST_METHOD": "GET", "RAW_URI": url, "PATH_INFO": "/app/reset-password",
        "QUERY_STRING": f"uid=Mg&token={secret}", "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "192.0.2.1", "HTTP_REFERER": f"http://localhost:8000{url}",
    }

    class Response:
        status, sent, headers = "200 OK", 10, [("Content-Type", "text/html")]

    logger.access(Response(), [("REFERER", environ["HTTP_REFERER"])], environ, datetime.timedelta(seconds=0.01))

    [line] = lines
    assert secret not in line
    assert "/app/reset-password?uid=Mg&token=[redacted] HTTP/1.1" in line
    assert "http://localhost:8000/app/reset-password?uid=Mg&token=[redacted]" in line


def test_no_control_socket_for_two_servers_to_share(monkeypatch: pytest.MonkeyPatch) -> None:
    """gunicorn's control socket defaults to one path per user: two servers on one host
    would share it."""
    from gunicorn.config import KNOWN_SETTINGS

    monkeypatch.setenv("DATABASE_URL", "")
    assert runpy.run_path(str(CONF))["control_socket_disable"] is True
    assert "control_socket_disable" in {setting.name for setting in KNOWN_SETTINGS}


def test_a_worker_delivers_emails_in_the_background_and_waits_for_them_on_exit(
    monkeypatch: pytest.MonkeyPatch, settings
) -> None:
    """Without a broker, a gunicorn worker hands its emails to its publisher thread (the
    request does not wait for the mail server), and a stopping worker waits for that thread
    within the grace period."""
    from evently import gunicorn_signals
    from notifications import delivery

    monkeypatch.setenv("DATABASE_URL", "")
    conf = runpy.run_path(str(CONF))
    monkeypatch.setattr(delivery, "_background_pid", None)
    flushed, quit_once_for = [], []
    monkeypatch.setattr(delivery, "flush_publisher", lambda timeout=5.0: flushed.append(timeout) or True)
    monkeypatch.setattr(gunicorn_signals, "quit_once", quit_once_for.append)
    settings.NOTIFICATION_DELIVERY_IN_BACKGROUND = True

    assert not delivery._background_delivery()
    conf["post_worker_init"](worker := object())
    assert delivery._background_delivery()
    assert quit_once_for == [worker]  # its signal handlers (test_gunicorn_signals.py)
    settings.NOTIFICATION_DELIVERY_IN_BACKGROUND = False
    assert not delivery._background_delivery()
    conf["worker_exit"](None, None)
    assert flushed == [conf["graceful_timeout"] - 5.0]


def _unset_and_restore_after(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Unset `name` for the test, and have it restored (or unset again) afterwards even when
    the code under test sets it with os.environ itself. (delenv(raising=False) records
    nothing for a variable that is not set: the value on_starting set then outlived the test,
    naming a directory on_exit had removed, and every later /metrics and manage.py in the run
    failed with 'PROMETHEUS_MULTIPROC_DIR ... not a directory'.)"""
    monkeypatch.setenv(name, "")
    monkeypatch.delenv(name)


def test_the_metrics_directory_it_makes_is_removed_when_the_server_stops(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    import gunicorn.util

    monkeypatch.setattr(gunicorn.util, "write_error", gunicorn.util.write_error)  # on_starting replaces it
    monkeypatch.setenv("DATABASE_URL", "")
    _unset_and_restore_after(monkeypatch, "PROMETHEUS_MULTIPROC_DIR")  # on_starting sets it
    conf = runpy.run_path(str(CONF))

    conf["on_starting"](None)
    made = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    assert made.is_dir() and made.name.startswith("evently-metrics-")
    conf["on_exit"](None)
    assert not made.exists()

    given = tmp_path / "metrics"  # a directory the operator names is theirs: emptied at start, kept
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(given))
    conf = runpy.run_path(str(CONF))
    conf["on_starting"](None)
    conf["on_exit"](None)
    assert given.is_dir()


def test_the_metrics_directory_it_makes_stays_private_from_the_start(monkeypatch: pytest.MonkeyPatch) -> None:
    """mkdtemp's directory (mode 0700, a name nobody else could take) is the one the workers
    write to. It was removed and made again under the same name in /tmp: another local user
    could take the name in between (makedirs(exist_ok=True) accepted their directory, or a
    symlink into it, and the workers' metric files with it), and the new directory was 0755."""
    import shutil

    import gunicorn.util

    monkeypatch.setattr(gunicorn.util, "write_error", gunicorn.util.write_error)  # on_starting replaces it
    monkeypatch.setenv("DATABASE_URL", "")
    _unset_and_restore_after(monkeypatch, "PROMETHEUS_MULTIPROC_DIR")  # on_starting sets it
    removed: list[str] = []
    real_rmtree = shutil.rmtree
    monkeypatch.setattr(shutil, "rmtree", lambda path, *a, **k: (removed.append(str(path)), real_rmtree(path, *a, **k))[1])
    conf = runpy.run_path(str(CONF))
    umask = os.umask(0o022)
    try:
        conf["on_starting"](None)
    finally:
        os.umask(umask)
    made = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    try:
        assert made.is_dir() and made.stat().st_mode & 0o777 == 0o700
        assert str(made) not in removed
    finally:
        conf["on_exit"](None)


@pytest.mark.parametrize("name", ["WEB_CONCURRENCY", "GUNICORN_THREADS"])
@pytest.mark.parametrize("raw", ["0", "-2", "two", "1.5"])
def test_a_worker_or_thread_count_below_one_stops_the_server_naming_it(monkeypatch, tmp_path, name, raw) -> None:
    # WEB_CONCURRENCY=0 listened and never answered; GUNICORN_THREADS=0 failed in every worker.
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit, match=f"{name} must be a whole number ≥ 1"):
        shape(monkeypatch, **{name: raw})
