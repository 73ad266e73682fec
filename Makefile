# Evently: `make run` serves the API (and the web app), `make test` runs the whole suite.
# Both create .venv and install what they need; only Python 3.11+ is required.

SHELL := /bin/bash
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& { echo $$p; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: help venv run worker test test-backend test-frontend check-api-types api-types frontend migrate bench soak ci clean

help:
	@echo "make run    - set up and serve on http://localhost:$${PORT:-8000} (SQLite unless DATABASE_URL is set)"
	@echo "make test   - set up and run the whole test suite"
	@echo "make api-types - regenerate the web app's API types (frontend/src/api/schema.d.ts) from the backend's OpenAPI schema"
	@echo "make worker - the notification worker + beat (needs REDIS_URL)"
	@echo "make bench  - load benchmark against local PostgreSQL + Redis (bench/README.md)"

$(STAMP): requirements.txt requirements-dev.txt
	@test -n "$(PYTHON)" || { echo "Python 3.11+ is required (python3.11, python3.12 or python3.13)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

venv: $(STAMP)

.env:
	@cp -n .env.example .env 2>/dev/null || true

migrate: $(STAMP) .env
	@$(PY) -m evently.envfile
	$(PY) manage.py migrate --noinput

frontend: $(STAMP)
	@bash scripts/build-frontend.sh

run: $(STAMP) .env
	@$(PY) -m evently.envfile
	@$(MAKE) --no-print-directory frontend || echo "!! web app build skipped; the API still works"
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@$(PY) manage.py notifications_sweep || echo "!! notification sweep incomplete (see above); serving anyway; the next sweep tries again"
	$(VENV)/bin/gunicorn -c gunicorn.conf.py evently.wsgi

# The notification worker and its every-minute sweep (celery beat) in one process, for
# development; production runs `celery -A evently worker` and `celery -A evently beat`.
worker: $(STAMP) .env
	@$(PY) -m evently.envfile
	@$(PY) -c "import environ, os, sys; from pathlib import Path; from evently.config import env_file; \
	f = env_file(os.environ, base_dir=Path('.').resolve()); f and environ.Env.read_env(str(f), overwrite=False); \
	sys.exit(0 if os.environ.get('REDIS_URL') else 'make worker needs REDIS_URL (in .env or the environment); without it, make run delivers notifications itself')"
	$(VENV)/bin/celery -A evently worker -B -l info

test: test-backend check-api-types test-frontend

test-backend: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

test-frontend: $(STAMP)
	@bash scripts/test-frontend.sh

# The web app's TypeScript types are generated from the backend's OpenAPI schema and committed:
# `make api-types` regenerates them, `make check-api-types` (part of `make test`) fails when
# the committed file is stale. Both need Node (scripts/node-env.sh), so SKIP_FRONTEND=1 skips the check.
api-types: $(STAMP)
	@bash scripts/gen-api-types.sh

check-api-types: $(STAMP)
	@if [ "$${SKIP_FRONTEND:-}" = "1" ]; then echo "SKIP_FRONTEND=1: API types check skipped"; \
	else bash scripts/gen-api-types.sh --check; fi

bench: $(STAMP)
	bash bench/run.sh

soak: $(STAMP)
	bash scripts/soak.sh

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) staticfiles db.sqlite3* test_db.sqlite3*
