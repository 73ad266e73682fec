#!/usr/bin/env bash
# `make bench`: the load benchmark against local PostgreSQL and Redis (bench/README.md).
# Needs wrk (installed here from Debian's package when missing and we are root), pgbench and
# the project's .venv (make creates it). Everything else is in bench/run.py.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "[bench] installing wrk (apt-get)"
    apt-get update -qq >/dev/null && apt-get install -y -qq wrk >/dev/null
  else
    echo "wrk is required: apt-get install wrk (or your system's package)" >&2
    exit 1
  fi
fi
command -v pgbench >/dev/null 2>&1 || { echo "pgbench is required (postgresql-client)" >&2; exit 1; }
test -x .venv/bin/python || { echo ".venv missing: run 'make bench' (it creates it)" >&2; exit 1; }

exec .venv/bin/python bench/run.py "$@"
