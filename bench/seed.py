"""Seed the benchmark database through the ORM and the project's services.

Writes into $BENCH_OUT (default bench/out):
  state.json        event ids of every scenario, user ids; for "doors": the event, its
                    5,000 ticket codes and one token per door scanner
  tokens.lua        `tokens = {...}`: one access token per bench user (wrk scripts load it)

Users are bulk-inserted with one precomputed password hash (hashing thousands of Argon2
passwords would take minutes and is not what the benchmark measures). Events go through
`events.services.event_create` and seat maps through `events.services.seat_map_generate`,
so the database holds exactly what the API would have created.
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

import django

sys.path.insert(0, os.environ.get("BENCH_APP_DIR") or str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "evently.settings")
django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework_simplejwt.tokens import AccessToken  # noqa: E402

from accounts.models import User  # noqa: E402
from bookings.models import Ticket  # noqa: E402
from bookings.services import BookingRequest, booking_create  # noqa: E402
from events.services import event_create, seat_map_generate  # noqa: E402

OUT = Path(os.environ.get("BENCH_OUT", Path(__file__).resolve().parent / "out"))
N_USERS = int(os.environ.get("BENCH_USERS", "4000"))
N_SPREAD = int(os.environ.get("BENCH_SPREAD_EVENTS", "200"))
SPREAD_ROWS, SPREAD_COLS = 50, 10  # 500 seats each
HOT_ROWS, HOT_COLS = 40, 500  # 20,000 seats (the largest row is 500 seats)
SELLOUT_ROWS, SELLOUT_COLS = 100, 20  # 2,000 seats
CONNS = [int(c) for c in os.environ.get("BENCH_CONNS", "16 64").split()]
SELECTED = os.environ.get("BENCH_SCENARIOS", "").split()
DOORS_TICKETS = int(os.environ.get("BENCH_DOORS_TICKETS", "5000"))
DOORS_CONNS = int(os.environ.get("BENCH_DOORS_CONNS", "32"))
DOORS_COLS = 100


def seed_doors(users: list[User], password: str) -> dict:
    """The "doors open" event: DOORS_TICKETS tickets sold through the booking service
    (parties of 1 to 4, as people book), and one door-staff account per scanner."""
    rows = -(-DOORS_TICKETS // DOORS_COLS)
    event_id = event("Doors open", "Stadium", rows=rows, cols=DOORS_COLS, days=1)
    sold, i = 0, 0
    while sold < DOORS_TICKETS:
        qty = min((1, 2, 4, 3, 2)[i % 5], DOORS_TICKETS - sold)
        booking_create(
            user=users[i % len(users)], event_id=event_id, request=BookingRequest(qty=qty),
            idempotency_key=f"doors-{i}",
        )
        sold, i = sold + qty, i + 1
    User.objects.bulk_create([
        User(name=f"Door {n}", email=f"door{n}@bench.evently.test", password=password, role=User.Role.CHECKIN)
        for n in range(DOORS_CONNS)
    ])
    doors = User.objects.filter(role=User.Role.CHECKIN, email__startswith="door").order_by("id")
    return {
        "event": event_id,
        "codes": list(Ticket.objects.filter(event_id=event_id).values_list("code", flat=True)),
        "tokens": [str(AccessToken.for_user(u)) for u in doors],
    }


def event(name: str, venue: str, *, rows: int, cols: int, days: int) -> int:
    start = timezone.now() + timedelta(days=days)
    ev = event_create(
        name=name, venue=venue, start_time=start, end_time=start + timedelta(hours=3),
        capacity=rows * cols,
    )
    seat_map_generate(event_id=ev.id, rows=rows, cols=cols)
    return ev.id


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    password = make_password("bench-password-123")
    User.objects.bulk_create(
        [
            User(name=f"Bench User {i}", email=f"bench{i}@bench.evently.test", password=password)
            for i in range(N_USERS)
        ],
        batch_size=2000,
    )
    users = list(User.objects.filter(email__endswith="@bench.evently.test").order_by("id"))
    doors = seed_doors(users, password) if not SELECTED or "doors" in SELECTED else None
    # The 200 events of the catalogue: GET /events pages through them, "spread" books them.
    spread = [
        event(f"Spread {i:03d}", f"Hall {i % 17}", rows=SPREAD_ROWS, cols=SPREAD_COLS, days=10 + i)
        for i in range(N_SPREAD)
    ]
    # One fresh event per booking scenario and connection count, seat maps pre-generated.
    state: dict = {"users": [u.id for u in users], "spread": spread, "conns": CONNS}
    for c in CONNS:
        state[f"hot_{c}"] = event(f"Hot {c}", "Arena", rows=HOT_ROWS, cols=HOT_COLS, days=400)
        state[f"sellout_{c}"] = event(
            f"Sellout {c}", "Club", rows=SELLOUT_ROWS, cols=SELLOUT_COLS, days=401
        )
        state[f"seats_{c}"] = event(f"Seats {c}", "Theatre", rows=HOT_ROWS, cols=HOT_COLS, days=402)
        state[f"pgbench_{c}"] = event(
            f"pgbench {c}", "Ceiling", rows=HOT_ROWS * 2, cols=HOT_COLS, days=403
        )
    state["seat_cols"] = HOT_COLS
    if doors:
        state["doors"] = doors
    tokens = [str(AccessToken.for_user(u)) for u in users]
    (OUT / "tokens.lua").write_text(
        "tokens = {\n" + ",\n".join(f'"{t}"' for t in tokens) + "\n}\n"
    )
    (OUT / "state.json").write_text(json.dumps(state))
    print(
        f"seeded {len(users)} users, {len(spread)} spread events, "
        f"{4 * len(CONNS)} scenario events in {time.perf_counter() - t0:.1f}s"
    )


if __name__ == "__main__":
    main()
