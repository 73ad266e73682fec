"""Count (and list) the SQL statements of one booking request, end to end through the API.

Usage: sqlcount.py EVENT_ID [--verbose]   (DJANGO_SETTINGS_MODULE=evently.settings, bench DB)

Runs one POST /events/{id}/book with qty 1 and one with a named seat through Django's test
client (same middleware, auth and views as under gunicorn) and prints the statements.
Django's debug cursor logs BEGIN and COMMIT too, so the count is every round trip to
PostgreSQL that the request makes (authentication's user lookup included).
"""

from __future__ import annotations

import json
import os
import sys
import uuid
from pathlib import Path

import django

sys.path.insert(0, os.environ.get("BENCH_APP_DIR") or str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "evently.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from rest_framework_simplejwt.tokens import AccessToken  # noqa: E402

from accounts.models import User  # noqa: E402
from events.models import Seat  # noqa: E402


def one(client: Client, event_id: int, token: str, body: dict, verbose: bool) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(
            f"/events/{event_id}/book", data=json.dumps(body), content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
        )
    assert response.status_code == 200, (response.status_code, response.content)
    statements = [q["sql"] for q in ctx.captured_queries]
    if verbose:
        for sql in statements:
            print("   ", sql[:160])
    # (every round trip, statements without BEGIN/COMMIT as bookings/tests/test_query_counts.py counts)
    bare = [s for s in statements if not s.lstrip().upper().startswith(("BEGIN", "COMMIT"))]
    return len(statements), len(bare)


def main() -> None:
    event_id = int(sys.argv[1])
    verbose = "--verbose" in sys.argv
    user = User.objects.order_by("id").first()
    token = str(AccessToken.for_user(user))
    client = Client()
    one(client, event_id, token, {"qty": 1}, False)  # warm-up: first request loads everything
    qty = one(client, event_id, token, {"qty": 1}, verbose)
    label = Seat.objects.filter(event_id=event_id, reserved=False).order_by(
        "-row_index", "-col_number").values_list("label", flat=True).first()
    seats = one(client, event_id, token, {"seat_ids": [label]}, verbose)
    print(json.dumps({
        "round_trips_qty": qty[0], "statements_qty": qty[1],
        "round_trips_seat": seats[0], "statements_seat": seats[1],
    }))


if __name__ == "__main__":
    main()
