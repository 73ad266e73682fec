"""`make bench`: the whole load benchmark, from an empty database to one table.

Creates a fresh PostgreSQL database, migrates and seeds it, measures the database's own
ceiling for a hot-event booking with pgbench, shows what the load generator can drive
(wrk against a trivial server), starts the API under gunicorn (gunicorn.conf.py, production
settings, rate limits off), runs every scenario at each connection count, verifies the
inventory after each booking scenario, stops everything it started and prints the table.

Configuration (environment; defaults in brackets):
  BENCH_PG_URL        server URL without database [postgres://postgres@127.0.0.1:5432]
  BENCH_DB            database, dropped and recreated [evently_bench]
  BENCH_REDIS_URL     Redis for cache and rate-limit counters [redis://127.0.0.1:6379/3]
  BENCH_PORT          port of the API [8077];  BENCH_STATIC_PORT [8078]
  BENCH_DURATION      seconds per scenario [12]; BENCH_SELLOUT_DURATION [20]
  BENCH_CONNS         HTTP connections / pgbench clients ["16 64"]
  BENCH_WRK_THREADS   wrk threads [2]
  BENCH_SCENARIOS     subset to run, e.g. "hot sellout" or "doors" [all]
  BENCH_DOORS_TICKETS, BENCH_DOORS_CONNS   the "doors open" scenario [5000, 32]
  BENCH_APP_DIR       code tree to serve (e.g. a scratch copy with a proposed change) [repo]
  WEB_CONCURRENCY, GUNICORN_THREADS   passed to gunicorn.conf.py
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import psycopg

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
import cpu  # noqa: E402
import report  # noqa: E402

APP_DIR = Path(os.environ.get("BENCH_APP_DIR", REPO)).resolve()
PY = str(REPO / ".venv" / "bin" / "python")
GUNICORN = str(REPO / ".venv" / "bin" / "gunicorn")
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
DB = os.environ.get("BENCH_DB", "evently_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/3")
PORT = int(os.environ.get("BENCH_PORT", "8077"))
STATIC_PORT = int(os.environ.get("BENCH_STATIC_PORT", "8078"))
DURATION = int(os.environ.get("BENCH_DURATION", "12"))
# The sell-out runs longer, so that 2,000 seats go even at ~100 bookings/s and the 409s after
# the sell-out show in the same run.
SELLOUT_DURATION = int(os.environ.get("BENCH_SELLOUT_DURATION", "20"))
CONNS = [int(c) for c in os.environ.get("BENCH_CONNS", "16 64").split()]
WRK_THREADS = int(os.environ.get("BENCH_WRK_THREADS", "2"))
OUT = BENCH / "out"
RESULTS = OUT / "results"

# (key, label, wrk scenario, booking?)
SCENARIOS = [
    ("healthz", "GET /healthz", "healthz", False),
    ("events", "GET /events (20 of 200)", "events", False),
    ("event", "GET /events/{id}", "event", False),
    ("hot", "book hot event (qty 1)", "book_hot", True),
    ("sellout", "sell-out rush (2,000)", "book_hot", True),
    ("spread", "book over 200 events", "book_spread", True),
    ("seats", "book named seats", "book_seats", True),
    ("me", "GET /me/bookings", "me", False),
    ("doors", "doors open: check-in", "doors", False),  # run_doors(), not wrk
]
SELECTED = set(os.environ.get("BENCH_SCENARIOS", " ".join(s[0] for s in SCENARIOS)).split())

ENV = {
    **os.environ,
    "JWT_SECRET": os.environ.get("BENCH_JWT_SECRET") or "bench-" + secrets.token_hex(24),
    "DATABASE_URL": f"{PG_URL}/{DB}",
    "REDIS_URL": REDIS_URL,
    "RATELIMIT_ENABLE": "false",
    # No access log: it measures the API, and the old commits it is compared with wrote none.
    "GUNICORN_ACCESSLOG": "",
    "DEBUG": "false",
    "PORT": str(PORT),
    "HOST": "127.0.0.1",
    "DJANGO_SETTINGS_MODULE": "evently.settings",
    "BENCH_OUT": str(OUT),
    "BENCH_CONNS": " ".join(map(str, CONNS)),
    "BENCH_APP_DIR": str(APP_DIR),
}
started: list[subprocess.Popen] = []


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def sh(args: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(args, env=ENV, cwd=APP_DIR, text=True, capture_output=True, **kw)


def db() -> psycopg.Connection:
    return psycopg.connect(f"{PG_URL}/{DB}", autocommit=True, application_name="evently-bench")


def scalar(sql: str, *args) -> object:
    with db() as conn:
        return conn.execute(sql, args).fetchone()[0]


# --- setup --------------------------------------------------------------------------------

def fresh_database() -> None:
    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (DB,)
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}"')
        conn.execute(f'CREATE DATABASE "{DB}"')
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def migrate_and_seed() -> dict:
    for args in (["manage.py", "migrate", "--noinput", "-v0"], [str(BENCH / "seed.py")]):
        result = sh([PY, *args])
        if result.returncode:
            sys.exit(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        if result.stdout.strip():
            log(result.stdout.strip())
    with db() as conn:
        conn.execute("VACUUM ANALYZE")
    return json.loads((OUT / "state.json").read_text())


# --- measurements -------------------------------------------------------------------------

def pgbench(state: dict, conns: int) -> dict:
    """The database's ceiling: the hot-event booking transaction alone, on its own event."""
    event_id = state[f"pgbench_{conns}"]
    logdir = OUT / "pgbench"
    logdir.mkdir(exist_ok=True)
    for old in logdir.glob(f"c{conns}*"):
        old.unlink()
    users = state["users"]
    args = [
        "pgbench", "-n", "-f", str(BENCH / "pgbench" / "booking.sql"),
        "-D", f"event_id={event_id}", "-D", f"user_lo={users[0]}", "-D", f"user_hi={users[-1]}",
        "-c", str(conns), "-j", str(min(conns, WRK_THREADS)), "-T", str(DURATION),
        "-l", "--log-prefix", str(logdir / f"c{conns}"), f"{PG_URL}/{DB}",
    ]
    before = scalar("SELECT booked_count FROM events_event WHERE id = %s", event_id)
    result = subprocess.run(args, text=True, capture_output=True)
    if result.returncode:
        sys.exit(f"pgbench failed:\n{result.stdout}\n{result.stderr}")
    tps = float(re.search(r"tps = ([\d.]+) \(without", result.stdout).group(1))
    latencies = sorted(
        int(line.split()[2]) for f in logdir.glob(f"c{conns}*") for line in f.read_text().splitlines()
    )
    failed = re.search(r"number of failed transactions: (\d+)", result.stdout)
    booked = scalar("SELECT booked_count FROM events_event WHERE id = %s", event_id) - before
    return {
        "tps": tps, "transactions": len(latencies), "booked": booked,
        "failed": int(failed.group(1)) if failed else 0,
        "p50_us": pct(latencies, 50), "p90_us": pct(latencies, 90), "p99_us": pct(latencies, 99),
        "check": check_inventory(event_id),
    }


def pct(values: list[int], p: float) -> int:
    return values[min(len(values) - 1, int(len(values) * p / 100))] if values else 0


def check_inventory(event_id: int | None = None) -> str:
    args = [PY, "manage.py", "check_inventory"] + ([str(event_id)] if event_id else [])
    result = sh(args)
    if result.returncode == 0:
        return "ok"
    return "VIOLATION: " + (result.stdout + result.stderr).strip().replace("\n", " | ")[:300]


def cpu_used_since(master: subprocess.Popen, before: dict[int, float]) -> tuple[float, float]:
    """CPU seconds since `before` (a cpu.snapshot of the server's and PostgreSQL's
    processes): (gunicorn workers, PostgreSQL backends)."""
    app_pids = set(server_pids(master))
    after = cpu.snapshot(list(app_pids) + pg_backend_pids())
    app = cpu.delta({p: v for p, v in before.items() if p in app_pids},
                    {p: v for p, v in after.items() if p in app_pids})
    pg = cpu.delta({p: v for p, v in before.items() if p not in app_pids},
                   {p: v for p, v in after.items() if p not in app_pids})
    return app, pg


def wrk(scenario: str, conns: int, url: str, *, duration: int, **env: str) -> dict:
    out = RESULTS / f"wrk-{scenario}-{conns}-{time.time_ns()}.json"
    threads = min(WRK_THREADS, conns)  # wrk refuses more threads than connections
    wrk_env = {
        **os.environ, "SCENARIO": scenario, "OUT_JSON": str(out), "RUN_ID": secrets.token_hex(4),
        "TOKENS": str(OUT / "tokens.lua"), "WRK_THREADS": str(threads), **env,
    }
    subprocess.run(
        ["wrk", "-t", str(threads), "-c", str(conns), "-d", f"{duration}s", "--timeout", "10s",
         "-s", str(BENCH / "lua" / "scenario.lua"), url],
        env=wrk_env, check=True, capture_output=True, text=True,
    )
    result = json.loads(out.read_text())
    out.unlink()
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


BACKENDS: set[tuple[int, str]] = set()  # (pid, backend_start) of every API connection seen


class LockSampler(threading.Thread):
    """Every 100 ms: how many of the API's transactions wait on a row lock; which backends
    (connections) serve the API, to show they are reused, not opened per request."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.waiting: list[int] = []

    def run(self) -> None:
        with db() as conn:
            while not self.stop.is_set():
                row = conn.execute(
                    "SELECT count(*) FILTER (WHERE wait_event_type = 'Lock'), "
                    "array_agg(pid || '@' || backend_start) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid() "
                    "AND application_name <> 'evently-bench'", (DB,)
                ).fetchone()
                self.waiting.append(row[0])
                BACKENDS.update(tuple(b.split("@", 1)) for b in row[1] or [])
                self.stop.wait(0.1)


def server_pids(master: subprocess.Popen) -> list[int]:
    return cpu.children(master.pid)


def pg_backend_pids() -> list[int]:
    with db() as conn:
        return [r[0] for r in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", (DB,)
        )]


def booked(event_ids: list[int]) -> int:
    with db() as conn:
        return conn.execute(
            "SELECT coalesce(sum(booked_count), 0) FROM events_event WHERE id = ANY(%s)", (event_ids,)
        ).fetchone()[0]


def settle(event_ids: list[int]) -> int:
    """Requests wrk abandoned at its deadline still finish on the server: wait for them."""
    last, stable_since = booked(event_ids), time.monotonic()
    while time.monotonic() - stable_since < 1.0:
        time.sleep(0.2)
        now = booked(event_ids)
        if now != last:
            last, stable_since = now, time.monotonic()
    return last


def run_scenario(key: str, scenario: str, is_booking: bool, conns: int, state: dict,
                 master: subprocess.Popen) -> dict:
    url = f"http://127.0.0.1:{PORT}"
    env: dict[str, str] = {"EVENT_IDS": ",".join(map(str, state["spread"]))}
    events: list[int] = []
    if key in ("hot", "sellout", "seats"):
        events = [state[f"{key}_{conns}"]]
        env["EVENT_ID"] = str(events[0])
        env["SEAT_COLS"] = str(state["seat_cols"])
    elif key == "spread":
        events = state["spread"]
    before = booked(events) if is_booking else 0
    pids = server_pids(master) + pg_backend_pids()
    cpu_before = cpu.snapshot(pids)
    sampler = LockSampler()
    sampler.start()
    started_at = time.time()
    result = wrk(scenario, conns, url, duration=SELLOUT_DURATION if key == "sellout" else DURATION,
                 **env)
    sampler.stop.set()
    sampler.join()
    after = settle(events) if is_booking else 0
    app_cpu, pg_cpu = cpu_used_since(master, cpu_before)
    result.update(
        key=key, conns=conns, app_cpu_ms=1000 * app_cpu / max(1, result["requests"]),
        pg_cpu_ms=1000 * pg_cpu / max(1, result["requests"]),
        lock_waiters_max=max(sampler.waiting, default=0),
        lock_waiters_median=statistics.median(sampler.waiting) if sampler.waiting else 0,
    )
    if is_booking:
        ok = result["statuses"].get("200", 0)
        result["booked"] = after - before
        result["abandoned"] = result["booked"] - ok
        inventory = check_inventory(events[0] if len(events) == 1 else None)
        # wrk drops requests still in flight at its deadline; the server completes them, so
        # up to `conns` bookings may have no 200 on the client side (never the other way).
        counts_ok = 0 <= result["booked"] - ok <= conns
        result["verify"] = inventory if not counts_ok or inventory != "ok" else "ok"
        if not counts_ok:
            result["verify"] = f"MISMATCH: {ok} x 200 vs {result['booked']} booked; {inventory}"
        if key == "sellout":
            capacity = scalar("SELECT capacity FROM events_event WHERE id = %s", events[0])
            last = scalar(
                "SELECT extract(epoch FROM max(created_at)) FROM bookings_booking "
                "WHERE event_id = %s AND status = 'CONFIRMED'", events[0])
            result["sold_out_s"] = (float(last) - started_at) if after >= capacity else None
            result["capacity"] = capacity
            result["left"] = capacity - scalar(
                "SELECT booked_count FROM events_event WHERE id = %s", events[0])
    (RESULTS / f"{key}-{conns}.json").write_text(json.dumps(result))
    return result


DOORS_CONNS = int(os.environ.get("BENCH_DOORS_CONNS", "32"))


def run_doors(state: dict, master: subprocess.Popen) -> dict:
    """"Doors open": every ticket of the doors event scanned once, in random order, by
    DOORS_CONNS scanners at once (one keep-alive connection and one door-staff token each),
    POST /admin/events/{id}/checkin with an Idempotency-Key per code (a retry after a broken
    connection replays, never double-admits). Not wrk: the scenario is a fixed number of
    requests, not a duration. Verifies: one 200 per code, no 5xx, every ticket of the event
    checked in, check_inventory ok."""
    doors = state["doors"]
    event_id, tokens = doors["event"], doors["tokens"]
    codes = list(doors["codes"])
    random.shuffle(codes)
    queue_lock = threading.Lock()
    outcomes: dict[str, list[int]] = {code: [] for code in codes}
    latencies: list[int] = []
    statuses: dict[str, int] = {}
    errors: list[str] = []

    def scanner(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        headers = {"Authorization": f"Bearer {tokens[n % len(tokens)]}", "Content-Type": "application/json"}
        while True:
            with queue_lock:
                if not codes:
                    break
                code = codes.pop()
            body = json.dumps({"code": code})
            for attempt in range(3):
                t = time.perf_counter_ns()
                try:
                    conn.request("POST", f"/admin/events/{event_id}/checkin", body,
                                 {**headers, "Idempotency-Key": f"door-{code}"})
                    response = conn.getresponse()
                    response.read()
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
                    if attempt == 2:
                        with queue_lock:
                            errors.append(f"{type(exc).__name__}: {exc}")
                    continue
                elapsed = (time.perf_counter_ns() - t) // 1000
                with queue_lock:
                    latencies.append(elapsed)
                    statuses[str(response.status)] = statuses.get(str(response.status), 0) + 1
                    outcomes[code].append(response.status)
                break
        conn.close()

    total = len(codes)
    pids = server_pids(master) + pg_backend_pids()
    cpu_before = cpu.snapshot(pids)
    sampler = LockSampler()
    sampler.start()
    threads = [threading.Thread(target=scanner, args=(n,)) for n in range(DOORS_CONNS)]
    started_ns = time.perf_counter_ns()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    duration_us = (time.perf_counter_ns() - started_ns) // 1000
    sampler.stop.set()
    sampler.join()
    app_cpu, pg_cpu = cpu_used_since(master, cpu_before)
    latencies.sort()
    admitted_once = sum(1 for seen in outcomes.values() if seen.count(200) == 1)
    checked_in = scalar(
        "SELECT count(*) FROM bookings_ticket WHERE event_id = %s AND status = 'checked_in' "
        "AND checked_in_at IS NOT NULL", event_id)
    live = scalar("SELECT count(*) FROM bookings_ticket WHERE event_id = %s AND status <> 'void'", event_id)
    fivexx = sum(n for s, n in statuses.items() if s.startswith("5"))
    inventory = check_inventory(event_id)
    problems = []
    if admitted_once != total:
        problems.append(f"{total - admitted_once} codes without exactly one 200")
    if checked_in != total or live != total:
        problems.append(f"{checked_in} of {live} live tickets checked in (expected {total})")
    if fivexx or errors:
        problems.append(f"{fivexx} x 5xx, {len(errors)} connection errors {errors[:2]}")
    if inventory != "ok":
        problems.append(inventory)
    result = {
        "key": "doors", "conns": DOORS_CONNS, "requests": len(latencies), "duration_us": duration_us,
        "rps": len(latencies) / (duration_us / 1e6),
        "p50_us": pct(latencies, 50), "p90_us": pct(latencies, 90), "p99_us": pct(latencies, 99),
        "max_us": latencies[-1] if latencies else 0, "statuses": statuses,
        "socket_errors": {"connect": 0, "read": len(errors), "write": 0, "timeout": 0, "status": 0},
        "app_cpu_ms": 1000 * app_cpu / max(1, len(latencies)),
        "pg_cpu_ms": 1000 * pg_cpu / max(1, len(latencies)),
        "lock_waiters_max": max(sampler.waiting, default=0),
        "tickets": total, "checked_in": checked_in,
        "verify": "ok" if not problems else "; ".join(problems),
    }
    (RESULTS / f"doors-{DOORS_CONNS}.json").write_text(json.dumps(result))
    return result


def loadgen_ceiling(state: dict) -> dict:
    """wrk with the booking script against a server that does nothing."""
    server = subprocess.Popen([sys.executable, str(BENCH / "static_server.py"), str(STATIC_PORT)])
    started.append(server)
    wait_http(f"http://127.0.0.1:{STATIC_PORT}/healthz")
    try:
        return wrk("book_hot", max(CONNS), f"http://127.0.0.1:{STATIC_PORT}", duration=5,
                   EVENT_ID=str(state[f"hot_{CONNS[0]}"]))
    finally:
        stop(server)


def wait_http(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"{url} did not come up")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process in started:
        started.remove(process)


def start_server() -> subprocess.Popen:
    server = subprocess.Popen(
        [GUNICORN, "-c", str(REPO / "gunicorn.conf.py"), "evently.wsgi"],
        env=ENV, cwd=APP_DIR, stdout=open(OUT / "gunicorn.log", "w"), stderr=subprocess.STDOUT,
    )
    started.append(server)
    wait_http(f"http://127.0.0.1:{PORT}/healthz")
    # Warm every worker and thread (imports, URL resolver, DB connections) before measuring.
    wrk("healthz", max(CONNS), f"http://127.0.0.1:{PORT}", duration=2)
    wrk("events", max(CONNS), f"http://127.0.0.1:{PORT}", duration=2)
    return server


def machine_load() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


def main() -> int:
    RESULTS.mkdir(parents=True, exist_ok=True)
    for old in RESULTS.glob("*.json"):
        old.unlink()
    t0 = time.monotonic()
    meta = {
        "date": time.strftime("%Y-%m-%d %H:%M:%S"), "duration_s": DURATION, "conns": CONNS,
        "workers": os.environ.get("WEB_CONCURRENCY", "(gunicorn.conf.py)"),
        "threads": os.environ.get("GUNICORN_THREADS", "(gunicorn.conf.py)"),
        "app_dir": str(APP_DIR), "load_before": machine_load(), "cpus": os.cpu_count(),
    }
    # The server's shape as gunicorn will read it: gunicorn.conf.py evaluated in the server's
    # environment (DATABASE_URL set, so the PostgreSQL defaults apply).
    shape = sh([PY, "-c", "import runpy, sys; g = runpy.run_path(sys.argv[1]);"
                " print(g['workers'], g['threads'])", str(REPO / "gunicorn.conf.py")])
    if shape.returncode != 0:
        raise SystemExit(f"gunicorn.conf.py failed: {shape.stderr[-500:]}")
    meta["workers"], meta["threads"] = (int(v) for v in shape.stdout.split()[-2:])
    log(f"fresh database {DB}, Redis {REDIS_URL}, code from {APP_DIR}")
    fresh_database()
    # The server's environment, so bench/profile.sh can serve the same database afterwards.
    (OUT / "server.env").write_text("".join(
        f"{k}={ENV[k]}\n" for k in ("JWT_SECRET", "DATABASE_URL", "REDIS_URL", "RATELIMIT_ENABLE")))
    state = migrate_and_seed()

    pg = {}
    wrk_keys = {key for key, *_ in SCENARIOS if key != "doors"}
    for conns in CONNS if SELECTED & wrk_keys else []:
        log(f"pgbench ceiling, {conns} clients, {DURATION}s")
        pg[conns] = pgbench(state, conns)
        log(f"  {pg[conns]['tps']:.0f} tps, p99 {pg[conns]['p99_us'] / 1000:.1f} ms")
    (RESULTS / "pgbench.json").write_text(json.dumps(pg))

    if SELECTED & wrk_keys:
        log("load generator ceiling: wrk + booking script against a trivial server")
        (RESULTS / "loadgen.json").write_text(json.dumps(loadgen_ceiling(state)))

    log(f"gunicorn: {meta['workers']} workers x {meta['threads']} threads on :{PORT}")
    master = start_server()
    try:
        for key, _label, scenario, is_booking in SCENARIOS:
            if key not in SELECTED:
                continue
            if key == "doors":
                r = run_doors(state, master)
                log(f"doors    c={r['conns']:<3} {r['rps']:7.1f} req/s  p50 {r['p50_us'] / 1000:6.1f} ms"
                    f"  p99 {r['p99_us'] / 1000:7.1f} ms  {r['statuses']}  {r['verify']}")
                continue
            for conns in CONNS:
                r = run_scenario(key, scenario, is_booking, conns, state, master)
                log(f"{key:8} c={conns:<3} {r['rps']:7.1f} req/s  p50 {r['p50_us'] / 1000:6.1f} ms"
                    f"  p99 {r['p99_us'] / 1000:7.1f} ms  {r['statuses']}  {r.get('verify', '')}")
        count = sh([PY, str(BENCH / "sqlcount.py"), str(state["spread"][-1])])
        meta["sql"] = json.loads(count.stdout.strip().splitlines()[-1]) if count.returncode == 0 else {
            "error": count.stderr[-300:]}
        meta["final_check"] = check_inventory()
    finally:
        stop(master)
    meta["load_after"] = machine_load()
    meta["api_backends"] = len(BACKENDS)
    meta["elapsed_s"] = round(time.monotonic() - t0)
    (RESULTS / "meta.json").write_text(json.dumps(meta))
    table = report.render(RESULTS)
    (OUT / "results.md").write_text(table)
    print(table)
    failed = meta["final_check"] != "ok" or any(
        json.loads(f.read_text()).get("verify", "ok") != "ok" for f in RESULTS.glob("*-*.json")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        for process in list(started):
            stop(process)
