#!/usr/bin/env bash
# The performance harness of docs/performance.md, on SQLite and PostgreSQL:
# the step benchmark beside the bare step transaction, then per engine the
# generated data, the page timings, start time and memory, and the loopback
# load test. It prints a report in Markdown (also kept in $BENCH_DIR/report.md).
#
#   ./scripts/bench.sh                       everything (about half an hour on 2 cores)
#   ENGINES=sqlite ./scripts/bench.sh        one engine
#   SQLITE_CASES=10000 PG_CASES=20000 DURATION=10s STEPS=200 ./scripts/bench.sh   a quick run
#   KEEP=1 ./scripts/bench.sh                keep the generated databases
#   KEEP=1 REUSE=1 ./scripts/bench.sh        time databases generated before (with KEEP=1,
#                                            or by `werkdiagnose bench generate`) again
#
# PostgreSQL: the data goes into its own database, "bench" (PG_DB), created
# afresh on the server of PG_ADMIN (default postgres://postgres@127.0.0.1:5432/postgres,
# as the tests' server) and dropped at the end unless KEEP=1. Never the
# tests' database.
set -euo pipefail
cd "$(dirname "$0")/.."

ENGINES=${ENGINES:-"sqlite postgres"}
SQLITE_CASES=${SQLITE_CASES:-100000}
PG_CASES=${PG_CASES:-1000000}
DURATION=${DURATION:-60s}
STEPS=${STEPS:-2000}          # step completions per engine in BenchmarkStepCompletion
REQUESTS=${REQUESTS:-200}     # timed requests per page and concurrency
PG_ADMIN=${PG_ADMIN:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
PG_DB=${PG_DB:-bench}
BENCH_DIR=${BENCH_DIR:-/tmp/werkdiagnose-bench}
export WERKDIAGNOSE_TEST_POSTGRES=${WERKDIAGNOSE_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}

case "$PG_DB" in test|postgres|template0|template1) echo "bench.sh: PG_DB=$PG_DB is not a bench database" >&2; exit 2 ;; esac
mkdir -p "$BENCH_DIR"
report="$BENCH_DIR/report.md"
: >"$report"
out() { printf '%s\n' "$*" | tee -a "$report"; }
bin="$BENCH_DIR/werkdiagnose"
go build -o "$bin" ./cmd/werkdiagnose

machine() { out "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs)), $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo) RAM; load average $(cut -d' ' -f1-3 /proc/loadavg) at $(date -u +%H:%M) UTC."; }

out "# Benchmark report, $(date -u +%Y-%m-%d) ($(git rev-parse --short HEAD))"
out ""
machine
out ""
out "## Step completions, $STEPS per engine, 16 cases in flight"
out ""
out '```'
go test -run '^$' -bench BenchmarkStepCompletion -benchtime "${STEPS}x" -timeout 60m ./internal/bench | grep -E '^Benchmark|^ok|FAIL' | tee -a "$report"
out '```'
out ""
machine

for engine in $ENGINES; do
  case "$engine" in
    sqlite)
      db="$BENCH_DIR/bench.db"
      fresh=1
      if [ -n "${REUSE:-}" ] && [ -f "$db" ]; then fresh=; fi
      [ -z "$fresh" ] || rm -f "$db" "$db-wal" "$db-shm"
      cases=$SQLITE_CASES ;;
    postgres)
      base=${PG_ADMIN%%\?*}; base=${base%/*}
      db="$base/$PG_DB?sslmode=disable"
      fresh=1
      if [ -n "${REUSE:-}" ] && [ "$(psql -tAq "$PG_ADMIN" -c "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" = 1 ]; then fresh=; fi
      [ -z "$fresh" ] || psql -q "$PG_ADMIN" -c "DROP DATABASE IF EXISTS $PG_DB" -c "CREATE DATABASE $PG_DB"
      cases=$PG_CASES ;;
    *) echo "bench.sh: unknown engine $engine" >&2; exit 2 ;;
  esac
  out ""
  out "## $engine, $cases cases"
  out ""
  out "Free disk before: $(df -h --output=avail "$BENCH_DIR" | tail -1 | xargs)."
  out ""
  if [ -n "$fresh" ]; then
    "$bin" bench generate --database "$db" --cases "$cases" 2>>"$BENCH_DIR/$engine.log" >"$BENCH_DIR/generate-$engine.md"
  else
    out "Reusing the database generated before (REUSE=1); its generation:"
    out ""
  fi
  [ ! -f "$BENCH_DIR/generate-$engine.md" ] || tee -a "$report" <"$BENCH_DIR/generate-$engine.md"
  out ""
  machine
  out ""
  "$bin" bench pages --database "$db" --requests "$REQUESTS" --server-log "$BENCH_DIR/server-$engine.log" 2>>"$BENCH_DIR/$engine.log" | tee -a "$report"
  machine
  out ""
  "$bin" bench start --database "$db" --server-log "$BENCH_DIR/server-$engine.log" 2>>"$BENCH_DIR/$engine.log" | tee -a "$report"
  out ""
  machine
  out ""
  # The load generator on the second core, the server pinned to the first.
  taskset -c 1 "$bin" bench load --database "$db" --duration "$DURATION" --server-log "$BENCH_DIR/server-$engine.log" 2>>"$BENCH_DIR/$engine.log" | tee -a "$report"
  out ""
  machine
  if [ "$engine" = postgres ] && [ -z "${KEEP:-}" ]; then
    psql -q "$PG_ADMIN" -c "DROP DATABASE IF EXISTS $PG_DB"
  fi
  if [ "$engine" = sqlite ] && [ -z "${KEEP:-}" ]; then
    rm -f "$db" "$db-wal" "$db-shm"
  fi
done
