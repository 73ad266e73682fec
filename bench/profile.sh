#!/usr/bin/env bash
# Profile one scenario with py-spy, against the database `make bench` left behind.
# Usage: bash bench/profile.sh [SCENARIO=book_hot] [CONNS=16] [SECONDS=10]
# BENCH_APP_DIR=/path/to/scratch/copy serves another code tree (as bench/run.sh does).
# Prints the breakdown of request time (--idle: wall time, waits included) and of Python
# CPU (--gil); raw collapsed stacks stay in bench/out/profile/.
set -euo pipefail
cd "$(dirname "$0")/.."
SCENARIO=${1:-book_hot}; CONNS=${2:-16}; SECS=${3:-10}
OUT=bench/out; PROF=$OUT/profile; PORT=${BENCH_PROFILE_PORT:-8079}
test -f $OUT/server.env -a -f $OUT/state.json || { echo "run make bench first" >&2; exit 1; }
if [ ! -x bench/.tools/bin/py-spy ]; then
  python3 -m venv bench/.tools && bench/.tools/bin/pip install -q py-spy
fi
rm -rf $PROF; mkdir -p $PROF
set -a; . $OUT/server.env; set +a
export PORT HOST=127.0.0.1
.venv/bin/gunicorn --chdir "${BENCH_APP_DIR:-$PWD}" -c "$PWD/gunicorn.conf.py" evently.wsgi > $PROF/gunicorn.log 2>&1 &
MASTER=$!
trap 'kill $MASTER 2>/dev/null; wait $MASTER 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf localhost:$PORT/healthz >/dev/null && break; sleep 0.2; done
ids() { python3 -c "import json,sys; s=json.load(open('$OUT/state.json')); print($1)"; }
export EVENT_ID=$(ids "s['hot_' + str(s['conns'][0])]") EVENT_IDS=$(ids "','.join(map(str, s['spread']))")
export SEAT_COLS=$(ids "s['seat_cols']") TOKENS=$OUT/tokens.lua RUN_ID=prof$RANDOM WRK_THREADS=2
wrk -t2 -c$CONNS -d2s http://127.0.0.1:$PORT/healthz >/dev/null
SCENARIO=$SCENARIO OUT_JSON=$PROF/wrk.json wrk -t2 -c$CONNS -d$((SECS + 4))s -s bench/lua/scenario.lua http://127.0.0.1:$PORT >/dev/null &
WRK=$!
sleep 2
for w in $(cat /proc/$MASTER/task/*/children); do
  bench/.tools/bin/py-spy record --pid $w --gil --duration $SECS --rate 250 --format raw --nonblocking -o $PROF/gil-$w.txt >/dev/null 2>&1 &
  bench/.tools/bin/py-spy record --pid $w --idle --duration $SECS --rate 250 --format raw --nonblocking -o $PROF/all-$w.txt >/dev/null 2>&1 &
done
wait $WRK
sleep 1
cat $PROF/gil-*.txt > $PROF/gil.txt; cat $PROF/all-*.txt > $PROF/all.txt
echo "== wrk: $(cat $PROF/wrk.json)"
echo; echo "== wall time of a request (py-spy --idle)"; .venv/bin/python bench/profile_summary.py $PROF/all.txt
echo; echo "== Python CPU (py-spy --gil)"; .venv/bin/python bench/profile_summary.py $PROF/gil.txt --top 25
