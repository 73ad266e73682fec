"""gunicorn settings for `make run`, the Dockerfile and the benchmark.

Workers × threads bounds the number of database connections and so the number of
transactions that can queue on one hot event row (docs/PERFORMANCE.md).
"""

import os

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
worker_class = "gthread"
timeout = 30
graceful_timeout = 30
keepalive = 5
accesslog = os.environ.get("GUNICORN_ACCESSLOG", None)
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


def post_worker_init(worker):  # noqa: ANN001, ANN201
    # A thread that holds the event row lock needs the GIL back after every SQL round trip;
    # with the default 5 ms switch interval it can wait that long behind a thread that is
    # busy serializing, and the whole queue on the row waits with it (docs/PERFORMANCE.md).
    import sys

    interval = float(os.environ.get("BENCH_SWITCH_INTERVAL") or 0)
    if interval > 0:
        sys.setswitchinterval(interval)


def child_exit(server, worker):  # noqa: ANN001, ANN201
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
