"""gunicorn settings for `make run`, the Dockerfile and the benchmark.

With PostgreSQL and Redis: two processes per core, ONE thread each. A booking is about 7 ms
of Python CPU (Django's ORM, DRF) around a few short database waits, so a process with
several threads mostly queues its threads on the GIL, and the thread holding an event's row
lock waits for the GIL like the others while everyone behind the lock waits for it. One
thread per process leaves that scheduling to the kernel; two processes per core keep a core
busy while the other waits on the database. Measured on the 2-core reference machine
(docs/PERFORMANCE.md, section 2.1): single-threaded shapes (2 × 1 to 6 × 1) booked a hot
event 20-30% faster than 4 × 4 or 4 × 2 (medians), with fewer transactions queued on the row,
and 4 × 1 opens 4 database connections instead of 16. At most 8 workers by default (the cores
counted are the ones this process may use, within a cgroup CPU quota): a bigger host sets
WEB_CONCURRENCY and sizes PostgreSQL's max_connections (or PgBouncer, docs/SCALING.md) for
hosts × workers × threads. A request holds its process until its body is sent: put a
buffering proxy in front for slow clients and long downloads (docs/SCALING.md), as for any
synchronous WSGI server.
"""

import os
from pathlib import Path

import environ

# The same `.env` the settings read (evently.config.env_file: EVENTLY_ENV_FILE, empty for
# none), so the server's shape follows DATABASE_URL there too.
_env_file = os.environ.get("EVENTLY_ENV_FILE")
if _env_file is None:
    _env_file = str(Path(__file__).resolve().parent / ".env")
if _env_file.strip():
    environ.Env.read_env(_env_file, overwrite=False)

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
# One process unless both PostgreSQL and Redis are configured:
# - on the embedded SQLite default, SQLite locks the whole database, and writers of one
#   process queue fairly on an in-process lock (events/locking.py), while several processes
#   would poll SQLite's busy handler;
# - without REDIS_URL the cache is in-process, so a second process would neither see the
#   invalidations (analytics, GET /events pages) nor share the rate-limit counters.
_database_url = os.environ.get("DATABASE_URL", "").strip()
_single = (
    not _database_url
    or _database_url.lower().startswith("sqlite")  # sqlite:////path is SQLite too
    or not os.environ.get("REDIS_URL", "").strip()
)
MAX_DEFAULT_WORKERS = 8


def cpu_budget() -> int:
    """The cores this process may use: its CPU affinity (a container's cpuset), capped by a
    cgroup v2 CPU quota (`docker run --cpus`, a Kubernetes limit) when one is set."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()[:2]
        if quota != "max":
            cores = min(cores, max(1, -(-int(quota) // int(period))))
    except (OSError, ValueError):
        pass
    return cores


def _count(name: str, default: int) -> int:
    """A positive whole number from the environment, or `default` when unset; anything else
    stops the server with one line naming the variable (0 workers would listen and never
    answer)."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit() and int(raw) >= 1):
        raise SystemExit(f"{name} must be a whole number ≥ 1, not {raw!r}")
    return int(raw)


workers = _count("WEB_CONCURRENCY", 1 if _single else min(2 * cpu_budget(), MAX_DEFAULT_WORKERS))
threads = _count("GUNICORN_THREADS", 8 if _single else 1)
worker_class = "gthread"
timeout = 30
graceful_timeout = 30
keepalive = 5
# No gunicornc control socket (gunicorn 25+): its default path is per user, not per server, so
# a second server on the host (another port, a test run) would take it over. Signals to the
# master (HUP reload, TTIN/TTOU workers, TERM) do the same jobs.
control_socket_disable = True
# Request limits (docs/RELIABILITY.md): a header field up to 16 KiB, so an oversized bearer
# token (8,192 characters and more) reaches the API and gets its JSON 401 instead of
# gunicorn's HTML 431; the request line at gunicorn's largest bounded value (8,190 bytes;
# 0 would mean unbounded).
limit_request_field_size = 16384
limit_request_line = 8190
limit_request_fields = 100
# One line per request on stdout by default (what an operator expects to see); a file path
# writes there, an empty value switches it off (the benchmark does, to measure the API alone).
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
# The access log never holds a password-reset token (evently/gunicorn_logging.py).
logger_class = "evently.gunicorn_logging.RedactingLogger"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()


# At start, in the master: /metrics must add up every worker's counters (prometheus_client's
# multiprocess mode, with one directory per server start), and gunicorn's own error answers
# are JSON (evently/gunicorn_errors.py).
def on_starting(server):  # noqa: ANN001, ANN201
    import shutil
    import tempfile

    from evently import gunicorn_errors

    # What gunicorn refuses before Django sees it (bad request line, 414, 431) gets a JSON body.
    gunicorn_errors.install()

    global _own_metrics_dir
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if path:  # the operator's directory: emptied of an earlier run's files
        shutil.rmtree(path, ignore_errors=True)
        os.makedirs(path, exist_ok=True)
    else:
        # A directory of our own, removed again when the server stops (on_exit). mkdtemp's,
        # as made (empty, mode 0700): removing and making it again under its name in /tmp
        # would let another local user take the name in between.
        path = _own_metrics_dir = tempfile.mkdtemp(prefix="evently-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = path


_own_metrics_dir = None


def on_exit(server):  # noqa: ANN001, ANN201
    import shutil

    if _own_metrics_dir:
        shutil.rmtree(_own_metrics_dir, ignore_errors=True)


# In each worker: without a broker, emails leave from the process's publisher thread rather
# than the request (notifications.delivery.deliver_in_background); on a graceful stop the
# worker waits for that thread, within the stop's grace period. Ctrl-C stops the worker at
# once, not after a 30-second hang (evently/gunicorn_signals.py).
def post_worker_init(worker):  # noqa: ANN001, ANN201
    from evently.gunicorn_signals import quit_once
    from notifications.delivery import deliver_in_background

    quit_once(worker)
    deliver_in_background()


# A body refused unread (413, 411), or too large for gunicorn to discard unread, closes its
# connection, and the answer says so (evently/gunicorn_keepalive.py).
def pre_request(worker, req):  # noqa: ANN001, ANN201
    from evently.gunicorn_keepalive import close_when_body_refused

    close_when_body_refused(worker, req)


def worker_exit(server, worker):  # noqa: ANN001, ANN201
    from notifications.delivery import flush_publisher

    flush_publisher(max(1.0, graceful_timeout - 5.0))


def child_exit(server, worker):  # noqa: ANN001, ANN201
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
