#!/usr/bin/env bash
# End-to-end run against the real backend:
#   frontend/e2e/run-e2e.sh [REPO_ROOT]
# Builds the web app (npm ci && npm run build), starts Evently with gunicorn on a free port
# with a fresh SQLite database, creates an admin, runs the playwright-core specs in Debian's
# Chromium (/usr/bin/chromium), and stops the server whatever happens.
# Extra arguments after REPO_ROOT are passed to e2e/run.mjs (spec name filters).
# Before the specs, README.md's curl walkthrough runs against the fresh server
# (e2e/readme-walkthrough.sh; E2E_SKIP_README=1 skips it, loudly). E2E_README_ONLY=1 runs
# only the walkthrough: no build, no browser needed. E2E_SCREENSHOTS=1 only retakes the
# README's screenshots (frontend/docs-screenshots/, see e2e/docs-screenshots.ts).
set -euo pipefail

ROOT="$(cd "${1:-$(dirname "$0")/../..}" && pwd)"
shift || true
FRONTEND="$ROOT/frontend"
PY="$ROOT/.venv/bin/python"

[[ -x "$PY" ]] || { echo "run-e2e: $PY not found (run 'make venv' in $ROOT first)" >&2; exit 1; }
README_ONLY="${E2E_README_ONLY:-0}"
[[ "$README_ONLY" == "1" || -x /usr/bin/chromium ]] || { echo "run-e2e: /usr/bin/chromium missing: apt-get install -y chromium" >&2; exit 1; }

cd "$FRONTEND"
if [[ "${E2E_SKIP_BUILD:-0}" != "1" && "$README_ONLY" != "1" ]]; then
  npm ci --no-audit --no-fund
  npm run build
fi

PORT="${E2E_PORT:-$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
WORK="$(mktemp -d -t evently-e2e-XXXXXX)"
export WEB_APP_URL="http://127.0.0.1:$PORT"
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

export DATABASE_URL="sqlite:///$WORK/e2e.sqlite3"
export JWT_SECRET="$("$PY" -c 'import secrets; print(secrets.token_hex(32))')"
export RATELIMIT_ENABLE=false
export IDEMPOTENCY_KEY_REQUIRED=true
export REDIS_URL=""
# No access log in the test output (gunicorn.conf.py writes one by default).
export GUNICORN_ACCESSLOG=""
export E2E_ADMIN_EMAIL="admin-e2e@example.com"
# Emails go to files the specs read (the password-reset link); links point at this server.
export E2E_MAIL_DIR="$WORK/mail"
export EMAIL_URL="filemail:///$E2E_MAIL_DIR"
export E2E_ADMIN_PASSWORD="$("$PY" -c 'import secrets; print(secrets.token_urlsafe(16))')"

cd "$ROOT"
"$PY" manage.py migrate --noinput >"$WORK/migrate.log" 2>&1 || { cat "$WORK/migrate.log"; exit 1; }
"$PY" manage.py promote_admin "$E2E_ADMIN_EMAIL" --create --name "E2E Admin" --password "$E2E_ADMIN_PASSWORD"
"$PY" manage.py collectstatic --noinput --verbosity 0

mkdir -p "$WORK/metrics"
PROMETHEUS_MULTIPROC_DIR="$WORK/metrics" "$ROOT/.venv/bin/gunicorn" evently.wsgi --bind "127.0.0.1:$PORT" --workers 2 --threads 4 \
  >"$WORK/server.log" 2>&1 &
SERVER_PID=$!

BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 60); do
  if curl -fsS "$BASE/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then echo "run-e2e: server exited" >&2; cat "$WORK/server.log" >&2; exit 1; fi
  sleep 0.5
done
[[ "$README_ONLY" == "1" ]] || curl -fsS "$BASE/app/" | grep -q '<div id="root">' || {
  echo "run-e2e: $BASE/app/ does not serve the web app" >&2
  curl -sS "$BASE/app/" | head -c 500 >&2
  exit 1
}
echo "run-e2e: Evently on $BASE (database $DATABASE_URL)"

# E2E_SCREENSHOTS=1: only the README's screenshots (e2e/docs-screenshots.ts) on this fresh
# database, so the home page's figures are those of the seeded events; no walkthrough, no specs.
if [[ "${E2E_SCREENSHOTS:-0}" == "1" ]]; then
  cd "$FRONTEND"
  status=0
  E2E_BASE_URL="$BASE" npm run --silent screenshots || status=$?
  [[ $status -eq 0 ]] || { echo "---- server log (tail) ----" >&2; tail -n 60 "$WORK/server.log" >&2; }
  exit $status
fi

# README's curl walkthrough first, on the fresh database (its ids start at 1).
readme_status=0
if [[ "${E2E_SKIP_README:-0}" == "1" ]]; then
  echo "SKIPPED README walkthrough (E2E_SKIP_README=1)"
else
  bash "$FRONTEND/e2e/readme-walkthrough.sh" "$BASE" "$ROOT/README.md" || readme_status=$?
fi
[[ "$README_ONLY" != "1" ]] || exit $readme_status

cd "$FRONTEND"
status=0
E2E_BASE_URL="$BASE" npm run --silent e2e -- "$@" || status=$?
if [[ $status -ne 0 ]]; then
  echo "---- server log (tail) ----" >&2
  tail -n 60 "$WORK/server.log" >&2
fi
if [[ $readme_status -ne 0 ]]; then
  echo "run-e2e: README.md's curl walkthrough failed (see above)" >&2
  [[ $status -ne 0 ]] || status=$readme_status
fi
exit $status
