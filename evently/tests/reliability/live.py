"""Real processes for the reliability tests: gunicorn API servers, their own databases
(a migrated template per test session, copied per server) and a private redis-server.

Nothing here touches pytest's own test database: every server gets a database of its own,
seeded through its HTTP API (an admin is created once in the template with promote_admin).
Every process started here is stopped by whoever started it (fixtures' teardown), by pid.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import jwt
import requests

from events.tests.dates import future_year

PROJECT_DIR = Path(__file__).resolve().parents[3]
PYTHON = sys.executable
JWT_SECRET = "reliability-" + uuid.uuid4().hex + uuid.uuid4().hex
ADMIN_EMAIL = "root@reliability.test"
ADMIN_PASSWORD = "reliability-admin-pw"
ADMIN_ID = 1  # the only user in the template database
START_TIMEOUT = 60.0

# Variables of the suite's own environment that must not leak into a server's.
_SCRUB = ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "PROMETHEUS_MULTIPROC_DIR")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def suite_uses_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").strip().lower().startswith("postgres")


def base_env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _SCRUB}
    env.update(
        DJANGO_SETTINGS_MODULE="evently.settings",
        JWT_SECRET=JWT_SECRET,
        REDIS_URL="",
        RATELIMIT_ENABLE="false",
        LOG_LEVEL="WARNING",
        DEBUG="false",
        PYTHONUNBUFFERED="1",
    )
    env.update(overrides)
    return env


def manage(database_url: str, *args: str, timeout: float = 120, **env: str) -> str:
    """Run `manage.py ARGS` against a server database; returns stdout, raises on failure."""
    done = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=base_env(DATABASE_URL=database_url, **env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


# --- databases ------------------------------------------------------------------------------


class PostgresAdmin:
    """Creates and drops the servers' databases on the PostgreSQL the suite runs against."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url.replace("postgresql+psycopg2://", "postgresql://", 1))
        self.parts = parts
        self.maintenance = urlunsplit(parts._replace(path="/postgres"))

    def url_for(self, name: str) -> str:
        return urlunsplit(self.parts._replace(scheme="postgres", path=f"/{name}"))

    def execute(self, sql: str, *params: Any) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.maintenance, autocommit=True, connect_timeout=5) as conn:
            cur = conn.execute(sql, params or None)
            return cur.fetchall() if cur.description else []

    def connect(self, name: str):  # noqa: ANN201 - a psycopg connection
        import psycopg

        return psycopg.connect(self.url_for(name).replace("postgres://", "postgresql://", 1), connect_timeout=5)

    def create(self, name: str, template: str | None = None) -> str:
        clause = f' TEMPLATE "{template}"' if template else ""
        for attempt in range(20):
            try:
                self.execute(f'CREATE DATABASE "{name}"{clause}')
                break
            except Exception as exc:  # noqa: BLE001 - the template is briefly in use right after migrate
                if "is being accessed by other users" not in str(exc) or attempt == 19:
                    raise
                time.sleep(0.25)
        return self.url_for(name)

    def drop(self, name: str) -> None:
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class DatabaseFactory:
    """One migrated template per session (with the admin user), copied for every server."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.tag = f"{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self.postgres = PostgresAdmin(os.environ["DATABASE_URL"]) if suite_uses_postgres() else None
        self.created: list[str] = []
        self._count = 0
        self._lock = threading.Lock()
        self.template = self._make_template()

    @property
    def vendor(self) -> str:
        return "postgresql" if self.postgres else "sqlite"

    def _make_template(self) -> str:
        if self.postgres:
            name = f"evently_rel_tpl_{self.tag}"
            self.postgres.drop(name)
            url = self.postgres.create(name)
            self.created.append(name)
        else:
            name = str(self.workdir / "template.sqlite3")
            url = f"sqlite:///{name}"
        manage(url, "migrate", "--noinput", "-v", "0")
        manage(
            url, "promote_admin", ADMIN_EMAIL, "--create", "--name", "Reliability Admin",
            "--password", ADMIN_PASSWORD,
        )
        if not self.postgres:
            with contextlib.closing(sqlite3.connect(name)) as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                conn.execute("PRAGMA journal_mode=DELETE")
        return name

    def new(self) -> "ServerDatabase":
        with self._lock:
            self._count += 1
            n = self._count
        if self.postgres:
            name = f"evently_rel_{self.tag}_{n}"
            url = self.postgres.create(name, template=self.template)
            self.created.append(name)
            return ServerDatabase(url=url, name=name, factory=self)
        path = self.workdir / f"server-{n}.sqlite3"
        shutil.copyfile(self.template, path)
        return ServerDatabase(url=f"sqlite:///{path}", name=str(path), factory=self)

    def cleanup(self) -> None:
        if self.postgres:
            for name in reversed(self.created):
                with contextlib.suppress(Exception):
                    self.postgres.drop(name)


@dataclass
class ServerDatabase:
    url: str
    name: str
    factory: DatabaseFactory

    @property
    def vendor(self) -> str:
        return self.factory.vendor

    def query(self, sql: str, *params: Any) -> list[tuple]:
        """Read the server's database directly (outside the API), e.g. to count rows."""
        if self.factory.postgres:
            with contextlib.closing(self.factory.postgres.connect(self.name)) as conn:
                cur = conn.execute(sql.replace("?", "%s"), params or None)
                rows = cur.fetchall() if cur.description else []
                conn.commit()
                return rows
        with contextlib.closing(sqlite3.connect(self.name, timeout=30)) as conn:
            return conn.execute(sql, params).fetchall()

    def check_inventory(self) -> tuple[int, str]:
        """`manage.py check_inventory` on this database: (exit code, output)."""
        done = subprocess.run(
            [PYTHON, "manage.py", "check_inventory"],
            cwd=PROJECT_DIR, env=base_env(DATABASE_URL=self.url),
            capture_output=True, text=True, timeout=120,
        )
        return done.returncode, done.stdout + done.stderr


# --- redis ----------------------------------------------------------------------------------


class RedisServer:
    """A private redis-server on a free port, so tests can kill and restart it (on the same
    port: the servers under test are configured with its URL)."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.proc: subprocess.Popen | None = None
        self.started = False

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        # The port was only looked up: another process may have taken it before redis-server
        # binds it. Then redis-server exits (never a ping answered by someone else's server),
        # and a first start tries another port; a restart must keep its port, and fails.
        for _ in range(5):
            if self._start():
                self.started = True
                return self
            if self.started:
                break
            self.port = free_port()
        raise RuntimeError(f"redis-server could not listen on port {self.port}")

    def _start(self) -> bool:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed")
        log = open(self.workdir / f"redis-{self.port}.log", "ab")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "no", "--dir", str(self.workdir)],
            stdout=log, stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:  # exited: the port is someone else's
                self.proc = None
                return False
            if self.ping():
                if self.client().info("server")["process_id"] == self.proc.pid:
                    return True
                self.proc.wait(15)  # another Redis answered on the port: ours exits
                self.proc = None
                return False
            time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def ping(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=0.2, socket_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def client(self):  # noqa: ANN201
        import redis

        return redis.Redis(port=self.port, socket_connect_timeout=1, socket_timeout=2)

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)
        self.proc = None

    def stop(self) -> None:
        self.kill()


# --- API servers ----------------------------------------------------------------------------


@dataclass
class LiveServer:
    """gunicorn serving evently.wsgi on a free port, with its own database."""

    db: ServerDatabase
    workdir: Path
    env: dict[str, str] = field(default_factory=dict)
    workers: int = 1
    threads: int = 4
    port: int = 0
    proc: subprocess.Popen | None = None
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "LiveServer":
        # gunicorn gets the socket already bound (fd://): a port only looked up here and bound
        # by gunicorn later could be taken meanwhile by any other process on the machine.
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        self.port = listener.getsockname()[1]
        self.log_path = self.workdir / f"gunicorn-{self.port}.log"
        metrics_dir = self.workdir / f"metrics-{self.port}"
        env = base_env(DATABASE_URL=self.db.url, PROMETHEUS_MULTIPROC_DIR=str(metrics_dir), **self.env)
        log = open(self.log_path, "ab")  # noqa: SIM115
        try:
            self.proc = subprocess.Popen(
                [PYTHON, "-m", "gunicorn", "evently.wsgi", "--bind", f"fd://{listener.fileno()}",
                 "--workers", str(self.workers), "--threads", str(self.threads),
                 "--graceful-timeout", "20"],
                cwd=PROJECT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True, pass_fds=(listener.fileno(),),
            )
        finally:
            log.close()
            listener.close()  # gunicorn holds its own copy
        self.wait_ready()
        return self

    def wait_ready(self, timeout: float = START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                if requests.get(self.url + "/healthz", timeout=2).status_code == 200:
                    if len(self.worker_pids()) >= self.workers:
                        return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not become healthy:\n{self.log_tail()}")

    def log_tail(self, lines: int = 60) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def worker_pids(self) -> list[int]:
        if self.proc is None:
            return []
        return children_of(self.proc.pid)

    def stop(self, timeout: float = 25) -> None:
        """SIGTERM (graceful), then SIGKILL the whole process group if it lingers."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        # Workers that outlived their master (never expected) go with the group.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc = None

    def restart(self) -> "LiveServer":
        self.stop()
        return self.start()

    # -- HTTP helpers --------------------------------------------------------------------

    def get(self, path: str, token: str | None = None, **kwargs: Any) -> requests.Response:
        return requests.get(self.url + path, headers=auth(token, kwargs.pop("headers", None)), timeout=kwargs.pop("timeout", 30), **kwargs)

    def post(self, path: str, body: Any = None, token: str | None = None, **kwargs: Any) -> requests.Response:
        return requests.post(self.url + path, json=body, headers=auth(token, kwargs.pop("headers", None)), timeout=kwargs.pop("timeout", 30), **kwargs)

    def patch(self, path: str, body: Any = None, token: str | None = None, **kwargs: Any) -> requests.Response:
        return requests.patch(self.url + path, json=body, headers=auth(token, kwargs.pop("headers", None)), timeout=kwargs.pop("timeout", 30), **kwargs)

    def delete(self, path: str, token: str | None = None, **kwargs: Any) -> requests.Response:
        return requests.delete(self.url + path, headers=auth(token, kwargs.pop("headers", None)), timeout=kwargs.pop("timeout", 30), **kwargs)

    def signup(self, email: str, password: str = "a-long-password", name: str = "Tester") -> int:
        response = self.post("/auth/signup", {"name": name, "email": email, "password": password})
        assert response.status_code == 200, response.text
        return response.json()["id"]

    def create_event(self, capacity: int = 10, seats: tuple[int, int] | None = None, **fields: Any) -> dict:
        year = future_year()  # an event still to come, so on sale whenever this runs
        body = {
            "name": fields.pop("name", f"Reliability {uuid.uuid4().hex[:6]}"),
            "venue": fields.pop("venue", "Loopback Hall"),
            "start_time": f"{year}-01-01T19:00:00Z",
            "end_time": f"{year}-01-01T22:00:00Z",
            "capacity": capacity,
            **fields,
        }
        response = self.post("/admin/events", body, token=admin_token())
        assert response.status_code == 200, response.text
        event = response.json()
        if seats:
            generated = self.post(
                f"/admin/events/{event['id']}/seats/generate",
                {"rows": seats[0], "cols": seats[1]}, token=admin_token(),
            )
            assert generated.status_code == 200, generated.text
            event = self.get(f"/events/{event['id']}").json()
        return event


def auth(token: str | None, headers: dict[str, str] | None = None) -> dict[str, str]:
    merged = dict(headers or {})
    if token:
        merged["Authorization"] = f"Bearer {token}"
    return merged


def token(user_id: int, *, secret: str | None = None, lifetime: int = 3600, **claims: Any) -> str:
    """An access token as the server would issue it (HS256, `sub` = id as a string)."""
    now = int(time.time())
    payload = {"sub": str(user_id), "iat": now, "exp": now + lifetime, **claims}
    return jwt.encode(payload, secret or JWT_SECRET, algorithm="HS256")


def admin_token() -> str:
    return token(ADMIN_ID)


def children_of(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry))
    return sorted(found)


def rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def open_fds(pid: int) -> int:
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return 0


def is_json_error(response: requests.Response) -> bool:
    """The contract's error shape: a JSON object with a string `detail`."""
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and isinstance(body.get("detail"), str) and bool(body["detail"])


@contextlib.contextmanager
def workdir() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="evently-rel-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def dump(obj: Any) -> str:
    return json.dumps(obj, indent=1, default=str)[:2000]


def bulk_users(db: ServerDatabase, count: int, prefix: str) -> list[int]:
    """Create `count` users straight in the server's database (no password: they act
    through tokens minted with the server's secret), returning their ids in order."""
    out = manage(
        db.url, "shell", "-c",
        "from accounts.models import User;"
        f"users = User.objects.bulk_create([User(name='{prefix} %d' % i, email='{prefix}-%d@reliability.test' % i,"
        f" password='!') for i in range({count})]);"
        f"print(list(User.objects.filter(email__startswith='{prefix}-').order_by('id').values_list('id', flat=True)))",
    )
    return json.loads(out.strip().splitlines()[-1])


@dataclass
class BookingAttempts:
    """What a client saw while booking with one Idempotency-Key, retrying until answered."""

    key: str
    log: list[str] = field(default_factory=list)  # status codes or error names, in order
    status: int = 0
    body: dict = field(default_factory=dict)

    @property
    def booking_id(self) -> int | None:
        return self.body.get("id") if self.status == 200 else None


RETRYABLE = {500, 502, 503, 504}


def book_with_retries(
    base_url: str, event_id: int, user_token: str, key: str, body: dict, *,
    session: requests.Session | None = None, attempts: int = 25, timeout: float = 30,
) -> BookingAttempts:
    """POST /events/{id}/book, retrying with the same key after a connection error or a
    5xx (the contract makes that safe) until a final answer (any other status)."""
    result = BookingAttempts(key=key)
    http = session or requests.Session()
    for attempt in range(attempts):
        try:
            response = http.post(
                f"{base_url}/events/{event_id}/book", json=body, timeout=timeout,
                headers={"Authorization": f"Bearer {user_token}", "Idempotency-Key": key},
            )
        except requests.RequestException as exc:
            result.log.append(type(exc).__name__)
            time.sleep(min(0.05 * 2**attempt, 1.0))
            continue
        result.log.append(str(response.status_code))
        if response.status_code in RETRYABLE:
            time.sleep(min(0.05 * 2**attempt, 1.0))
            continue
        result.status = response.status_code
        result.body = response.json()
        return result
    return result
