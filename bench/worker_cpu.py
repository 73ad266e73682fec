"""CPU of one gunicorn worker per booking, sequential requests, no load (docs/PERFORMANCE.md 2.0.2).

    .venv/bin/python bench/worker_cpu.py [APP_DIR]        # APP_DIR: a tree with its own .venv [repo]

Serves APP_DIR with its gunicorn.conf.py as ONE worker with ONE thread on PostgreSQL (database
evently_gcpu, dropped and recreated) and Redis db 5, books 100 seats to warm up, then 5 rounds
of 300 `POST /events/{id}/book` (qty 1, a fresh Idempotency-Key each) over one keep-alive
connection, and prints the worker's CPU (user + system, from /proc) and the wall time per
booking. What `bench/profile_calls.py` measures inside Django's handler, plus gunicorn's own.
"""

import http.client
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from cpu import children, cpu_seconds  # noqa: E402

APP = str(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else ROOT)
PY = APP + "/.venv/bin/python"
DB = "evently_gcpu"
PG = "postgres://postgres@127.0.0.1:5432"
PORT = 8099
ROUNDS, PER_ROUND = 5, 300
ENV = {
    **os.environ, "DATABASE_URL": f"{PG}/{DB}", "REDIS_URL": "redis://127.0.0.1:6379/5",
    "JWT_SECRET": "worker-cpu-" + uuid.uuid4().hex * 2, "RATELIMIT_ENABLE": "false", "GUNICORN_ACCESSLOG": "",
    "DEBUG": "false", "PORT": str(PORT), "HOST": "127.0.0.1", "WEB_CONCURRENCY": "1", "GUNICORN_THREADS": "1",
    "EVENTLY_ENV_FILE": "", "DJANGO_SETTINGS_MODULE": "evently.settings",
}
SEED = """
import json
from datetime import timedelta
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from accounts.models import User
from accounts.tokens import AccessToken
from events.services import event_create, seat_map_generate
User.objects.bulk_create([User(email=f"cpu{i}@example.com", password=make_password("x")) for i in range(50)])
start = timezone.now() + timedelta(days=30)
event = event_create(name="Hot", venue="Hall", start_time=start, end_time=start + timedelta(hours=3), capacity=20000)
seat_map_generate(event_id=event.id, rows=40, cols=500)
print(json.dumps({"event": event.id, "tokens": [str(AccessToken.for_user(u)) for u in User.objects.order_by("id")]}))
"""


def main() -> None:
    subprocess.run(["psql", f"{PG}/postgres", "-qc", f"DROP DATABASE IF EXISTS {DB}", "-c", f"CREATE DATABASE {DB}"],
                   check=True, capture_output=True)
    subprocess.run([PY, "manage.py", "migrate", "-v0"], cwd=APP, env=ENV, check=True)
    seeded = subprocess.run([PY, "manage.py", "shell", "-c", SEED], cwd=APP, env=ENV, check=True,
                            capture_output=True, text=True).stdout
    data = json.loads(seeded.strip().splitlines()[-1])
    server = subprocess.Popen([APP + "/.venv/bin/gunicorn", "-c", "gunicorn.conf.py", "evently.wsgi"],
                              cwd=APP, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        time.sleep(4)  # the master forks its one worker
        (worker,) = children(server.pid)
        conn = http.client.HTTPConnection("127.0.0.1", PORT)

        def book(i: int) -> None:
            conn.request("POST", f"/events/{data['event']}/book", body=b'{"qty": 1}', headers={
                "Content-Type": "application/json", "Authorization": "Bearer " + data["tokens"][i % 50],
                "Idempotency-Key": str(uuid.uuid4())})
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"booking failed: {response.status}")

        for i in range(100):  # warm-up: imports, connections, caches
            book(i)
        cpu_ms, wall_ms = [], []
        for _ in range(ROUNDS):
            cpu0, wall0 = cpu_seconds(worker), time.perf_counter()
            for i in range(PER_ROUND):
                book(i)
            cpu_ms.append(1000 * (cpu_seconds(worker) - cpu0) / PER_ROUND)
            wall_ms.append(1000 * (time.perf_counter() - wall0) / PER_ROUND)
    finally:
        server.terminate()
        server.wait()
    print(f"worker CPU per booking: median {sorted(cpu_ms)[ROUNDS // 2]:.2f} ms ({', '.join(f'{c:.2f}' for c in cpu_ms)}); "
          f"wall: median {sorted(wall_ms)[ROUNDS // 2]:.2f} ms")


if __name__ == "__main__":
    main()
