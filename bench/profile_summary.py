"""Summarize py-spy `--format raw` (collapsed stacks) into where a request's time goes.

Usage: profile_summary.py FILE [--top N]

Each sample is attributed to the first matching category, checked from the innermost frame
outwards, so "SQL: event row lock" means "waiting inside the SELECT ... FOR UPDATE".
"""

from __future__ import annotations

import sys
from collections import Counter

# (category, predicate on the full collapsed stack) — order matters: first match wins.
RULES: list[tuple[str, callable]] = [
    ("idle: waiting for a request", lambda s: "wait_for_and_dispatch_events" in s
        or ("_worker (concurrent/futures/thread.py" in s and "handle (gunicorn" not in s)),
    ("SQL: SELECT ... FOR UPDATE (event row lock wait + query)", lambda s: "_fetch_locked" in s
        and "execute" in s.split("_fetch_locked")[-1]),
    ("Redis: analytics/catalogue invalidation after commit", lambda s: "invalidate (evently/cache.py" in s),
    ("SQL: COMMIT", lambda s: "commit (django/db/backends/base/base.py" in s
        or "__exit__ (django/db/transaction.py" in s and "_commit" in s),
    ("SQL: statements inside the transaction", lambda s: "booking_create" in s and (
        "execute (" in s.split("booking_create")[-1] and "psycopg" in s.split("booking_create")[-1])),
    ("Python: booking_create (ORM, outside the wire)", lambda s: "booking_create" in s),
    ("SQL: authentication (user row)", lambda s: "get_user (" in s and "psycopg" in s),
    ("Python: JWT auth", lambda s: "authenticate (" in s),
    ("Python: response serialization", lambda s: "booking_body" in s or "Serializer" in s.split(";")[-1] or "to_representation" in s),
    ("Python: request parsing/validation", lambda s: "validated (" in s or "parse" in s.split(";")[-1]),
    ("other SQL (psycopg)", lambda s: "psycopg" in s),
    ("Python: middleware/DRF/gunicorn/other", lambda s: True),
]


def main() -> None:
    path = sys.argv[1]
    totals: Counter[str] = Counter()
    leafs: Counter[str] = Counter()
    for line in open(path):
        line = line.rstrip("\n")
        if not line:
            continue
        stack, _, count = line.rpartition(" ")
        n = int(count)
        for name, pred in RULES:
            if pred(stack):
                totals[name] += n
                break
        if "wait_for_and_dispatch_events" not in stack:
            leafs[stack.split(";")[-1]] += n
    busy = sum(v for k, v in totals.items() if not k.startswith("idle"))
    print(f"{'category':62} {'samples':>8} {'% of request time':>18}")
    for name, n in totals.most_common():
        pct = "" if name.startswith("idle") else f"{100 * n / busy:.1f}%"
        print(f"{name:62} {n:>8} {pct:>18}")
    top = int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 0
    if top:
        print("\nhottest leaf frames:")
        for leaf, n in leafs.most_common(top):
            print(f"{n:>7}  {leaf}")


if __name__ == "__main__":
    main()
