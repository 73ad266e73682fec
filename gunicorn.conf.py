"""gunicorn settings for `make run`, the Dockerfile and the benchmark.

Workers × threads bounds the number of database connections (persistent: CONN_MAX_AGE) and
so the number of transactions that can queue on one hot event row: 16 here, the client
count at which PostgreSQL still runs the hot-row booking at full speed (pgbench: 64
clients on one row are slower than 16). Four processes of four threads: on the 2-core
reference machine 4 x 4 beat 2 x 8 (less waiting for the GIL), 4 x 2 (too few requests in
flight to overlap database waits), and no other shape tried (8 x 2, 16 x 1, 4 x 3, 5 x 3,
6 x 3) beat it beyond the noise (docs/PERFORMANCE.md, section 5). Override with
WEB_CONCURRENCY / GUNICORN_THREADS; keep workers × threads well under PostgreSQL's
max_connections (or put PgBouncer in front, docs/SCALING.md).
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
_single = not (os.environ.get("DATABASE_URL", "").strip() and os.environ.get("REDIS_URL", "").strip())
workers = int(os.environ.get("WEB_CONCURRENCY", "1" if _single else "4"))
threads = int(os.environ.get("GUNICORN_THREADS", "8" if _single else "4"))
worker_class = "gthread"
timeout = 30
graceful_timeout = 30
keepalive = 5
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
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()


# /metrics must add up every worker's counters: prometheus_client's multiprocess mode, with
# one directory per server start.
def on_starting(server):  # noqa: ANN001, ANN201
    import shutil
    import tempfile

    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or tempfile.mkdtemp(prefix="evently-metrics-")
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path, exist_ok=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = path


def child_exit(server, worker):  # noqa: ANN001, ANN201
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
