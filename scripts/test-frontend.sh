#!/usr/bin/env bash
# Front-end tests: the type check and unit tests always (when frontend/ exists); end-to-end
# tests in a real browser, Debian's Chromium (installed here with apt-get when missing and we
# are root, as on a fresh CI machine; never a downloaded browser), otherwise skipped loudly.
# README's curl walkthrough (frontend/e2e/readme-walkthrough.sh) runs against the live server
# of frontend/e2e/run-e2e.sh either way: it needs no browser. (`make test` also checks that the
# generated API types are current: scripts/gen-api-types.sh --check.)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f frontend/package.json ] || { echo "frontend: nothing to test"; exit 0; }
[ "${SKIP_FRONTEND:-}" = "1" ] && { echo "SKIP_FRONTEND=1: front-end tests skipped"; exit 0; }
source scripts/node-env.sh
ensure_frontend_deps
(cd frontend && npm run typecheck --silent && npm test --silent)
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the end-to-end tests"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "chromium could not be installed"
fi
if [ -x /usr/bin/chromium ]; then
  bash frontend/e2e/run-e2e.sh
else
  echo "SKIPPED front-end end-to-end tests: /usr/bin/chromium not found (apt-get install chromium)"
  # README's curl walkthrough needs no browser: run it against a live server all the same.
  E2E_README_ONLY=1 bash frontend/e2e/run-e2e.sh
fi
