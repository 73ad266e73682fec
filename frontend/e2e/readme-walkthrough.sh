#!/usr/bin/env bash
# README.md's curl walkthrough, run as pasted into a bare shell against a live server:
#   frontend/e2e/readme-walkthrough.sh BASE_URL [README]
# Takes the ```bash block under "## Try it with curl", points `http://localhost:8000` at
# BASE_URL, creates the admin README's "First admin" command creates (run from the
# repository root, with the server's DATABASE_URL exported), and runs the block in
# `bash -euo pipefail` with an empty environment and a PATH holding only what a bare machine
# has (coreutils, grep, sed, awk, curl, python3; no uuidgen, no jq). Every curl gets
# `--fail-with-body -sS`, so an HTTP error fails the run like any failing command.
# Fails at the first failing command and names its README line.
# WALKTHROUGH_KEEP_GOING=1 runs every command and lists every failing line instead.
# e2e/run-e2e.sh runs it against its fresh server before the specs (so ids start at 1).
set -euo pipefail

BASE="${1:?usage: readme-walkthrough.sh BASE_URL [README]}"
BASE="${BASE%/}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
README="${2:-$ROOT/README.md}"
HEADING='## Try it with curl'

# The block: the first ```bash fence after the heading, up to its closing fence.
read -r START END < <(awk -v h="$HEADING" '
  $0 == h { inside = 1; next }
  inside && /^## / { exit }
  inside && !open && /^```(bash|sh)[[:space:]]*$/ { open = NR + 1; next }
  inside && open && /^```[[:space:]]*$/ { print open, NR - 1; exit }
' "$README") || true
if [[ -z "${START:-}" || -z "${END:-}" || "$END" -lt "$START" ]]; then
  echo "readme-walkthrough: no \`\`\`bash block under \"$HEADING\" in $README" >&2
  exit 1
fi
echo "readme-walkthrough: README.md lines $START-$END against $BASE"

# The admin the README tells a newcomer to create ("First admin"). Its password is typed at
# a prompt there; here it comes from EVENTLY_ADMIN_PASSWORD, which the README names as the
# other way (there is no terminal).
ADMIN_CMD="$(grep -m1 -E '^[^#]*manage\.py promote_admin .*--create' "$README" || true)"
if [[ -n "$ADMIN_CMD" ]]; then
  (cd "$ROOT" && EVENTLY_ADMIN_PASSWORD="readme-first-admin-1" bash -c "$ADMIN_CMD" </dev/null) >/dev/null
else
  echo "readme-walkthrough: README has no 'manage.py promote_admin … --create' line; no admin created" >&2
fi

WORK="$(mktemp -d -t readme-walkthrough-XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/bin" "$WORK/home"
for cmd in bash sh cat cut tr head tail sed grep awk date sleep env mktemp od base64 wc sort uniq tee xargs \
           basename dirname rm mkdir ls id uname printf echo test true false seq curl; do
  path="$(command -v "$cmd" || true)"
  if [[ "$path" == /* ]]; then ln -s "$path" "$WORK/bin/$cmd"; fi
done
# The interpreter itself, not a wrapper that needs the caller's PATH (pyenv shims, venvs).
if [[ -x /usr/bin/python3 ]]; then PYTHON3=/usr/bin/python3; else PYTHON3="$(python3 -c 'import sys; print(sys.executable)')"; fi
ln -s "$PYTHON3" "$WORK/bin/python3"

# The script's line numbers are README's: the prelude, blank lines, then the block at line START.
PRELUDE_LINES=5
if (( START <= PRELUDE_LINES )); then echo "readme-walkthrough: the block starts too early in README" >&2; exit 1; fi
{
  if [[ "${WALKTHROUGH_KEEP_GOING:-0}" == "1" ]]; then
    echo 'set -o pipefail; FAILED=""  # no -u: an unset variable shows up as the failing request it causes'
    echo 'trap '"'"'rc=$?; echo "README.md line $LINENO failed (exit $rc): $BASH_COMMAND" >&2; FAILED="$FAILED $LINENO"'"'"' ERR'
  else
    echo 'set -euo pipefail'
    echo 'trap '"'"'rc=$?; echo "README.md line $LINENO failed (exit $rc): $BASH_COMMAND" >&2'"'"' ERR'
  fi
  # README's own `-f` becomes --fail-with-body (curl refuses both), so an error's body shows.
  echo 'curl() { local rc=0 a args=(); for a in "$@"; do [[ $a == -fsS ]] && a=-sS; [[ $a == -f ]] && continue; args+=("$a"); done; command curl --fail-with-body -sS "${args[@]}" || rc=$?; printf "\n"; return $rc; }'
  echo ': README walkthrough follows'
  echo ':'
  for ((i = PRELUDE_LINES + 1; i < START; i++)); do echo; done
  sed -n "${START},${END}p" "$README" | sed -e "s#http://localhost:8000#$BASE#g" -e "s#http://127.0.0.1:8000#$BASE#g"
  if [[ "${WALKTHROUGH_KEEP_GOING:-0}" == "1" ]]; then
    echo '[[ -z "$FAILED" ]] || { echo "README.md lines that failed:$FAILED" >&2; exit 1; }'
  fi
} >"$WORK/walkthrough.sh"

status=0
# From the repository root, as the README says, with the server's settings (the block's
# `manage.py` line must reach the server's database) and nothing else of the caller's shell.
(cd "$ROOT" && env -i PATH="$WORK/bin" HOME="$WORK/home" LANG=C.UTF-8 \
  DATABASE_URL="${DATABASE_URL:-}" REDIS_URL="${REDIS_URL:-}" JWT_SECRET="${JWT_SECRET:-}" \
  EMAIL_URL="${EMAIL_URL:-}" EVENTLY_ENV_FILE="" \
  "$WORK/bin/bash" --noprofile --norc "$WORK/walkthrough.sh") >"$WORK/out.log" 2>&1 || status=$?
if [[ $status -ne 0 ]]; then
  echo "---- README walkthrough output ----" >&2
  cat "$WORK/out.log" >&2
  echo "readme-walkthrough: FAILED (exit $status); the block is README.md lines $START-$END (line numbers above are README.md's)" >&2
  exit 1
fi
echo "readme-walkthrough: every command in README.md lines $START-$END succeeded"
