#!/usr/bin/env bash
# The web app's API types, generated from the backend's own OpenAPI schema (no server needed):
#
#   scripts/gen-api-types.sh           regenerate frontend/src/api/schema.d.ts (commit the result)
#   scripts/gen-api-types.sh --check   fail if the committed file differs from a fresh generation
#
# Also `make api-types` / `make check-api-types`, or `npm run gen:api-types` in frontend/.
# Steps: `manage.py spectacular` writes /openapi.json's document to a temp file, then
# openapi-typescript (a pinned devDependency of frontend/) turns it into TypeScript.
# The schema is generated from the settings' defaults: the environment and .env are left out,
# so every machine produces the same file.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
TARGET=frontend/src/api/schema.d.ts
FIX="scripts/gen-api-types.sh   (or: make api-types)"

mode=write
case "${1:-}" in
  "") ;;
  --check) mode=check ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

PY="$ROOT/.venv/bin/python"
[ -x "$PY" ] || { echo "gen-api-types: $PY not found (run 'make venv' first)" >&2; exit 1; }
source scripts/node-env.sh
ensure_frontend_deps >&2

WORK="$(mktemp -d -t evently-api-types-XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

# A clean environment (only what Python and Node need): the schema must not depend on local
# configuration. JWT_SECRET is required to import the settings; any 32+ character value does.
# read_env is disabled so a developer's .env cannot change the generated file either.
if ! env -i PATH="$PATH" HOME="${HOME:-/tmp}" LANG=C.UTF-8 JWT_SECRET=schema-generation-only-0123456789abcdef \
  DJANGO_SETTINGS_MODULE=evently.settings \
  "$PY" -c '
import sys
import environ
environ.Env.read_env = classmethod(lambda cls, *args, **kwargs: None)
from django.core.management import execute_from_command_line
execute_from_command_line(["manage.py", "spectacular", "--format", "openapi-json", "--file", sys.argv[1]])
' "$WORK/openapi.json" >"$WORK/spectacular.log" 2>&1; then
  cat "$WORK/spectacular.log" >&2
  echo "gen-api-types: manage.py spectacular failed" >&2
  exit 1
fi

if ! (cd frontend && node node_modules/openapi-typescript/bin/cli.js "$WORK/openapi.json" \
  --output "$WORK/schema.d.ts") >"$WORK/openapi-typescript.log" 2>&1; then
  cat "$WORK/openapi-typescript.log" >&2
  echo "gen-api-types: openapi-typescript failed" >&2
  exit 1
fi

if [ "$mode" = write ]; then
  if cmp -s "$WORK/schema.d.ts" "$TARGET"; then
    echo "$TARGET is up to date"
  else
    cp "$WORK/schema.d.ts" "$TARGET"
    echo "wrote $TARGET: run 'npm run typecheck' in frontend/ and commit it"
  fi
  exit 0
fi

if [ ! -f "$TARGET" ]; then
  echo "FAILED: $TARGET is missing. Generate it with: $FIX" >&2
  exit 1
fi
if ! diff -u --label "$TARGET (committed)" --label "$TARGET (generated from the backend now)" \
  "$TARGET" "$WORK/schema.d.ts" >"$WORK/diff.txt"; then
  head -n 80 "$WORK/diff.txt" >&2
  lines=$(wc -l <"$WORK/diff.txt")
  [ "$lines" -gt 80 ] && echo "... ($lines diff lines in all)" >&2
  echo >&2
  echo "FAILED: $TARGET is stale: the backend's OpenAPI schema changed since it was generated." >&2
  echo "Fix: $FIX, then 'npm run typecheck' in frontend/, and commit the result." >&2
  exit 1
fi
echo "$TARGET matches the backend's OpenAPI schema"
