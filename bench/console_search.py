"""Time the folded searches with and without the accounts' trigram indexes (docs/PERFORMANCE.md §7).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/evently_search_bench \
        .venv/bin/python bench/console_search.py --seed

Seeds 100,000 accounts and 10,000 events (once; `--seed` on a database whose name contains
"bench", migrated first), then alternates rounds without and with the trigram indexes of
`accounts/0006` (dropped and re-created between rounds, `ANALYZE` after each) and prints,
per round, the median of 5 of:
- `count()` of the accounts whose email or name contains the needle (one console query);
- the staff console's user list searched (`GET /staff/accounts/user/?q=`, the whole page:
  the list, its count and the total, through Django's test client as an admin);
- `GET /events?q=`'s query over the 10,000 events, counted (no index either way: the events
  row is updated by every booking, and an index on it would be written by the updates that
  are not HOT).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "evently.settings")
os.environ.setdefault("EVENTLY_ENV_FILE", "")
django.setup()

from datetime import timedelta  # noqa: E402

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User, fold_email  # noqa: E402
from events.models import Event  # noqa: E402
from events.selectors import event_list  # noqa: E402

WORDS = "amber birch cedar delta ember fjord grove harbor indigo juniper kestrel lumen meadow nova orchid".split()
NEEDLES = ["juniper", "lumen", "straße", "ada9"]
INDEXES = ["accounts_user_email_folded_trgm", "accounts_user_name_folded_trgm"]
ADMIN_EMAIL = "search-bench-admin@example.com"


def seed(users: int, events: int) -> None:
    name = str(connection.settings_dict["NAME"])
    if "bench" not in name:
        raise SystemExit(f"refusing to seed database {name!r} (its name lacks 'bench')")
    call_command("migrate", verbosity=0)
    rng = random.Random(7)
    password = make_password("bench-password-1")
    rows = []
    for i in range(users):
        first, last = rng.choice(WORDS), rng.choice(WORDS)
        email = f"{first}.{last}{i}@example.com"
        rows.append(User(email=email, email_folded=fold_email(email), name=f"{first.title()} {last.title()} {i}", password=password))
    rows[0].name = "Ada Straße"
    User.objects.bulk_create(rows, batch_size=5_000)
    User.objects.create(email=ADMIN_EMAIL, email_folded=fold_email(ADMIN_EMAIL), name="Bench admin", password=password, role=User.Role.ADMIN)
    start = timezone.now() + timedelta(days=30)
    Event.objects.bulk_create(
        [
            Event(name=f"{rng.choice(WORDS).title()} Night {i}", venue=f"{rng.choice(WORDS).title()} Hall",
                  start_time=start + timedelta(hours=i), end_time=start + timedelta(hours=i + 2), capacity=100)
            for i in range(events)
        ],
        batch_size=5_000,
    )


def set_indexes(present: bool) -> None:
    with connection.schema_editor() as editor:
        for name in INDEXES:
            editor.execute(f"DROP INDEX IF EXISTS {editor.quote_name(name)}")
    if present:
        call_command("migrate", "accounts", "0005", verbosity=0)
        call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE accounts_user")
        cursor.execute("ANALYZE events_event")


def median_ms(run: Callable[[], Any], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def round_(client: Client) -> dict[str, float]:
    out = {}
    for needle in NEEDLES:
        query = User.objects.filter(Q(email__folded_contains=needle) | Q(name__folded_contains=needle))
        out[f"count {needle}"] = median_ms(query.count)
        out[f"console {needle}"] = median_ms(lambda: client.get("/staff/accounts/user/", {"q": needle}))
        out[f"events {needle}"] = median_ms(lambda: event_list(q=needle).count())
    return out


def main() -> None:
    if "--seed" in sys.argv:
        seed(users=100_000, events=10_000)
    client = Client()
    client.force_login(User.objects.get(email=ADMIN_EMAIL))
    results: dict[bool, list[dict[str, float]]] = {False: [], True: []}
    for present in (False, True, False, True):
        set_indexes(present)
        results[present].append(round_(client))
        print(f"round {'with' if present else 'without'} indexes done", flush=True)
    print(f"{'ms (median of 5)':<22} {'without r1':>11} {'with r2':>9} {'without r3':>11} {'with r4':>9}")
    for key in results[False][0]:
        cells = [results[p][i][key] for i in (0, 1) for p in (False, True)]
        print(f"{key:<22} " + " ".join(f"{c:>10.1f}" for c in cells))


if __name__ == "__main__":
    main()
