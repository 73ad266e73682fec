#!/usr/bin/env bash
# `make soak`: a bounded soak (default 3 minutes, loopback only) of mixed traffic against a
# real gunicorn (2 workers x 4 threads) and a private redis-server, sampling memory, file
# descriptors, database and Redis connections. Exits 1 on a 5xx, a lost booking, an oversell,
# a broken invariant, memory growth after warm-up or a connection leak.
#
#   make soak                                   # embedded SQLite file
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/evently make soak   # PostgreSQL (a
#                                               # dedicated database is created and dropped)
#   SOAK_DURATION=600 SOAK_CLIENTS=12 make soak
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${SOAK_DURATION:-180}"
INTERVAL="${SOAK_INTERVAL:-10}"
CLIENTS="${SOAK_CLIENTS:-8}"
OUT="${SOAK_OUT:-${TMPDIR:-/tmp}/evently-soak-report.json}"
PY="${PY:-.venv/bin/python}"

command -v redis-server >/dev/null || { echo "redis-server is required for the soak"; exit 1; }
echo "soak: ${DURATION}s, ${CLIENTS} clients, sample every ${INTERVAL}s, database: ${DATABASE_URL:-embedded SQLite}"
exec "$PY" -m evently.tests.reliability.soak --duration "$DURATION" --interval "$INTERVAL" \
  --clients "$CLIENTS" --out "$OUT"
