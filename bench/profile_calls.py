"""Python calls and CPU per booking (or catalogue page) request, in-process (PERFORMANCE.md §2).

    .venv/bin/python bench/profile_calls.py          # PROFILE_DB, PROFILE_REDIS_URL, N
    PROFILE_REQUEST=events .venv/bin/python bench/profile_calls.py   # a cached GET /events page

Serves `POST /events/{id}/book` (qty 1, best available, a fresh Idempotency-Key and one of 50
users' tokens each time), or with PROFILE_REQUEST=events `GET /events?page_size=20` over 31
events (a catalogue cache hit after the first), through Django's WSGI handler, on PostgreSQL (a database of its own,
created fresh) and Redis, in one thread. Prints CPU milliseconds per request (noisy on a
shared machine) and cProfile's exact count of Python calls per request (not), then the calls
attributed to the innermost project function on the stack (file:function:line), i.e. which
line of ours paid for them. The CPU figure covers the whole process (the notification
publisher's thread included); the call counts cover the request's thread only.
"""

from __future__ import annotations

import collections
import cProfile
import json
import os
import re
import pstats
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = os.environ.get("PROFILE_DB", "evently_profile")
PG = os.environ.get("PROFILE_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
N = int(os.environ.get("N", "200"))
REQUEST = os.environ.get("PROFILE_REQUEST", "book")
if REQUEST not in ("book", "events"):
    raise SystemExit(f"PROFILE_REQUEST must be book or events, not {REQUEST!r}")

if not re.fullmatch(r"[a-z_][a-z0-9_]*", DB):
    raise SystemExit(f"PROFILE_DB must be a plain lower-case identifier, not {DB!r}")
subprocess.run(["psql", PG + "/postgres", "-qc", f"DROP DATABASE IF EXISTS {DB}", "-c", f"CREATE DATABASE {DB}"], check=True)
os.environ.update(
    DJANGO_SETTINGS_MODULE="evently.settings", DATABASE_URL=f"{PG}/{DB}",
    REDIS_URL=os.environ.get("PROFILE_REDIS_URL", "redis://127.0.0.1:6379/4"),
    RATELIMIT_ENABLE="false", DEBUG="false", EVENTLY_ENV_FILE="",
    JWT_SECRET="profile-" + uuid.uuid4().hex + uuid.uuid4().hex,
    PROMETHEUS_MULTIPROC_DIR=tempfile.mkdtemp(prefix="evently-profile-"),
)

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test.client import RequestFactory  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework_simplejwt.tokens import AccessToken  # noqa: E402

from accounts.models import User  # noqa: E402
from events.services import event_create, seat_map_generate  # noqa: E402

call_command("migrate", verbosity=0)
User.objects.bulk_create([User(email=f"profile{i}@example.com", password=make_password("x")) for i in range(50)])
tokens = [str(AccessToken.for_user(user)) for user in User.objects.order_by("id")]
start = timezone.now() + timedelta(days=30)
if REQUEST == "events":
    for day in range(30):
        event_create(name=f"Event {day}", venue="Hall", start_time=start + timedelta(days=day),
                     end_time=start + timedelta(days=day, hours=3), capacity=100)
event = event_create(name="Hot", venue="Hall", start_time=start, end_time=start + timedelta(hours=3), capacity=20_000)
seat_map_generate(event_id=event.id, rows=40, cols=500)
handler, factory, body = WSGIHandler(), RequestFactory(), json.dumps({"qty": 1}).encode()
sent = [0]


def book() -> None:
    sent[0] += 1
    if REQUEST == "events":
        environ = factory.get("/events", {"page_size": "20"}).environ
    else:
        environ = factory.post(
            f"/events/{event.id}/book", data=body, content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {tokens[sent[0] % len(tokens)]}", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
        ).environ
    status = []
    response = handler(environ, lambda s, headers, exc_info=None: status.append(s))
    content = b"".join(response)
    response.close()
    if not status[0].startswith("200"):
        raise SystemExit(f"{REQUEST} failed: {status[0]} {content[:300]!r}")


for _ in range(50):  # warm-up: connections, caches, the first booking's lazy imports
    book()
cpu = []
for _ in range(5):
    began = time.process_time()
    for _ in range(N):
        book()
    cpu.append(1000 * (time.process_time() - began) / N)
profiler = cProfile.Profile()
profiler.enable()
for _ in range(N):
    book()
profiler.disable()
print(f"CPU per {REQUEST} request: median {sorted(cpu)[2]:.2f} ms (5 rounds of {N}: {', '.join(f'{c:.2f}' for c in cpu)})")
print(f"Python calls per {REQUEST} request: {pstats.Stats(profiler).total_calls / N:,.0f}")

calls: collections.Counter[str] = collections.Counter()
ours = str(ROOT) + "/"


def attribute(frame, event, arg):  # noqa: ANN001, ANN201
    if event not in ("call", "c_call"):
        return
    while frame is not None:
        name = frame.f_code.co_filename
        if name.startswith(ours) and "/.venv/" not in name and "/bench/" not in name:
            calls[f"{name[len(ours):]}:{frame.f_code.co_name}:{frame.f_lineno}"] += 1
            return
        frame = frame.f_back
    calls["(framework, outside any project function)"] += 1


sys.setprofile(attribute)
for _ in range(50):
    book()
sys.setprofile(None)
print("\nPython calls per request by the innermost project line on the stack:")
for where, count in calls.most_common(int(os.environ.get("TOP", "25"))):
    print(f"{count / 50:8,.0f}  {where}")
