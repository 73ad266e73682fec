"""Render bench/out/results/*.json as the one table `make bench` prints (Markdown).

Usage: report.py [RESULTS_DIR]   (run.py calls render() itself)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ORDER = ["healthz", "events", "event", "hot", "sellout", "spread", "seats", "me", "doors"]
LABELS = {
    "healthz": "GET /healthz",
    "events": "GET /events?page_size=20",
    "event": "GET /events/{id}",
    "hot": "book: hot event, qty 1",
    "sellout": "book: sell-out of 2,000",
    "spread": "book: spread over 200 events",
    "seats": "book: named seat",
    "me": "GET /me/bookings",
    "doors": "doors open: check-in, codes in random order",
}
BOOKING = {"hot", "sellout", "spread", "seats"}


def ms(us: float) -> str:
    return f"{us / 1000:.1f}"


def render(results: Path) -> str:
    meta = json.loads((results / "meta.json").read_text()) if (results / "meta.json").exists() else {}
    pg = {int(k): v for k, v in json.loads((results / "pgbench.json").read_text()).items()} \
        if (results / "pgbench.json").exists() else {}
    rows = []
    for key in ORDER:
        for f in sorted(results.glob(f"{key}-*.json"), key=lambda p: int(p.stem.split("-")[1])):
            rows.append(json.loads(f.read_text()))
    lines = []
    if meta:
        lines.append(
            f"Evently benchmark, {meta.get('date')}: {meta.get('cpus')} CPUs, gunicorn "
            f"{meta.get('workers')} workers x {meta.get('threads')} threads, {meta.get('duration_s')} s "
            f"per scenario, wrk 2 threads; load average before/after "
            f"{meta.get('load_before')}/{meta.get('load_after')}; whole run {meta.get('elapsed_s')} s"
        )
        lines.append("")
    lines.append(
        "| scenario | conns | req/s | p50 ms | p90 ms | p99 ms | 2xx | non-2xx by status "
        "| vs pgbench@16 | app CPU ms/req | PG CPU ms/req | lock waiters max | verification |"
    )
    lines.append("|" + "---|" * 13)
    for r in rows:
        statuses = r["statuses"]
        ok = sum(n for s, n in statuses.items() if s.startswith("2"))
        other = ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items()) if not s.startswith("2"))
        # wrk counts every non-2xx answer as a "status" error too: already in the column.
        errors = {k: v for k, v in r["socket_errors"].items() if v and k != "status"}
        if errors:
            other = ", ".join(filter(None, [other] + [f"{k}: {v}" for k, v in errors.items()]))
        ratio = ""
        verify = ""
        if r["key"] in BOOKING:
            booked_rps = r["booked"] / (r["duration_us"] / 1e6)
            rate = min(r["rps"], booked_rps)
            if r.get("sold_out_s"):  # a sold-out event books nothing more: the rate until then
                rate = r["booked"] / r["sold_out_s"]
            if 16 in pg:
                ratio = f"{100 * rate / pg[16]['tps']:.0f}%"
            verify = r.get("verify", "")
            verify += f" ({r['booked']} booked"
            if r.get("abandoned"):
                verify += f", {r['abandoned']} finished after wrk stopped"
            verify += ")"
            if r["key"] == "sellout":
                sold = r.get("sold_out_s")
                verify += (f"; sold out in {sold:.2f} s" if sold is not None
                           else f"; NOT sold out ({r.get('left', '?')} left)")
        if r["key"] == "doors":
            verify = f"{r.get('verify', '')} ({r.get('checked_in')} of {r.get('tickets')} tickets checked in, each once)"
        label = LABELS[r["key"]]
        rps = r["rps"]
        if r["key"] == "sellout":
            rps_text = f"{rps:.0f} ({r['booked'] / r['sold_out_s']:.0f} bookings/s to sell-out)" \
                if r.get("sold_out_s") else f"{rps:.0f}"
        else:
            rps_text = f"{rps:.0f}"
        lines.append(
            f"| {label} | {r['conns']} | {rps_text} | {ms(r['p50_us'])} | {ms(r['p90_us'])} "
            f"| {ms(r['p99_us'])} | {ok} | {other or '-'} | {ratio} | {r['app_cpu_ms']:.1f} "
            f"| {r['pg_cpu_ms']:.1f} | {r['lock_waiters_max'] if r['key'] in BOOKING else ''} | {verify} |"
        )
    if pg:
        lines.append("")
        lines.append("PostgreSQL ceiling (pgbench, bench/pgbench/booking.sql: the hot-event booking "
                     "transaction alone, same schema, one event):")
        lines.append("")
        lines.append("| clients | tps | p50 ms | p90 ms | p99 ms | failed | inventory |")
        lines.append("|---|---|---|---|---|---|---|")
        for conns, p in sorted(pg.items()):
            lines.append(
                f"| {conns} | {p['tps']:.0f} | {ms(p['p50_us'])} | {ms(p['p90_us'])} "
                f"| {ms(p['p99_us'])} | {p['failed']} | {p['check']} |"
            )
        if len(pg) > 1:
            lo, hi = min(pg), max(pg)
            lines.append("")
            lines.append(f"One hot row at {hi} vs {lo} clients: {pg[hi]['tps'] / pg[lo]['tps']:.2f}x "
                         f"the throughput, {pg[hi]['p50_us'] / max(1, pg[lo]['p50_us']):.1f}x the median latency.")
    loadgen = results / "loadgen.json"
    if loadgen.exists():
        lg = json.loads(loadgen.read_text())
        lines.append("")
        lines.append(
            f"Load generator ceiling: wrk with the booking script against a do-nothing server: "
            f"{lg['rps']:.0f} req/s (p50 {ms(lg['p50_us'])} ms)."
        )
    if meta.get("sql"):
        lines.append(
            "SQL per booking request (round trips: auth, BEGIN and COMMIT included; statements: "
            "without BEGIN/COMMIT, as bookings/tests/test_query_counts.py counts; the SELECT 1 of "
            f"CONN_HEALTH_CHECKS is not logged and comes on top): {meta['sql']}."
        )
    if meta.get("api_backends"):
        lines.append(
            f"PostgreSQL connections the API used over all scenarios: {meta['api_backends']} distinct "
            f"backends (gunicorn workers x threads = {meta.get('workers')} x {meta.get('threads')}; "
            "persistent connections, CONN_MAX_AGE), sampled every 100 ms."
        )
    if meta.get("final_check"):
        lines.append(f"Final check_inventory over the whole database: {meta['final_check']}.")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "out" / "results"))
