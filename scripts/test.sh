#!/usr/bin/env bash
# Runs every check and test of werkdiagnose on both database engines and in
# a real browser: gofmt, go vet, staticcheck, then every test once. The
# tests that start Chromium (internal/e2e and TestAccessibility in
# internal/web) run without the race detector, which would slow the server
# the browser waits on several-fold; all others run with -race (the letters'
# PDF test starts a Chromium too, but waits on nothing of ours). The runs go
# at the same time. Installs what a fresh Debian machine lacks (Chromium,
# poppler-utils for reading the letters' PDFs) and starts the local
# PostgreSQL when it is installed but not running.
#
#   ./scripts/test.sh            all checks and tests
#   ./scripts/test.sh -run Foo   extra arguments go to every `go test` (and
#                                skip the fuzzing stage)
#   FUZZTIME=1m ./scripts/test.sh   fuzz each target for a time (or 1000000x) instead of
#                                its fixed execution count
set -euo pipefail
cd "$(dirname "$0")/.."

export WERKDIAGNOSE_TEST_POSTGRES="${WERKDIAGNOSE_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}"

# Chromium for the browser tests (Debian's package; no downloaded browsers).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing Debian's chromium for the browser tests"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "chromium is missing: install Debian's 'chromium' package (sudo apt-get install chromium)" >&2
    exit 1
  fi
fi

# poppler-utils (pdftotext, pdfinfo): the letters' tests read the PDFs
# Chromium prints with a reader that is not Chromium.
if ! command -v pdftotext >/dev/null 2>&1 || ! command -v pdfinfo >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing Debian's poppler-utils for the letters' tests"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null
  else
    echo "pdftotext is missing: install Debian's 'poppler-utils' package (sudo apt-get install poppler-utils)" >&2
    exit 1
  fi
fi

# PostgreSQL: the store tests run on it too; in CI a missing server fails them.
pg_ready() { command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h 127.0.0.1 -p 5432; }
if ! pg_ready && command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "== starting the local PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  for _ in $(seq 1 20); do pg_ready && break; sleep 0.5; done
fi

echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:" >&2
  echo "$unformatted" >&2
  exit 1
fi

echo "== go vet"
go vet ./...

echo "== staticcheck"
go tool staticcheck ./...

# Every test runs once: those that start Chromium without -race, the rest
# with it. The three runs wait mostly on the browser and the databases, so
# they share the machine well.
browser_test_web='^TestAccessibility$' # internal/web's one browser test
race_pkgs=()
while read -r pkg; do
  case "$pkg" in */internal/e2e) ;; *) race_pkgs+=("$pkg") ;; esac
done < <(go list ./...)

# SQLite's code, translated from C (modernc.org/sqlite/lib, modernc.org/libc),
# does pointer arithmetic on every row; the race detector and the checkptr
# checks it turns on make that four to eight times slower. It is compiled
# without them; our code, the SQLite driver and every other dependency are
# still checked.
race=(-race "-gcflags=modernc.org/...=-race=false -d=checkptr=0" "-gcflags=modernc.org/sqlite=-d=checkptr=0")

echo "== go test: -race (SQLite and PostgreSQL), and the browser tests without it"
# Each run in its own process group, so that an interrupt stops its test
# binaries and browsers too.
pids=()
background() { setsid "$@" & pids+=($!); }
trap 'for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done; exit 130' INT TERM
background go test "${race[@]}" -timeout 25m -count=1 -skip "$browser_test_web" "$@" "${race_pkgs[@]}"
background go test -timeout 25m -count=1 -run "$browser_test_web" "$@" ./internal/web
background go test -timeout 25m -count=1 "$@" ./internal/e2e
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done

# The benchmarks, once each (-benchtime 1x), to prove they run: the step
# completions beside the bare step transaction, the pages on a small
# generated database, the store's search and task lists, the worklist's
# rendering. The figures come from scripts/bench.sh (docs/performance.md),
# not from this run.
if [ "$status" = 0 ] && [ $# = 0 ]; then
  echo "== benchmarks, once each"
  go test -run '^$' -bench . -benchtime 1x -timeout 5m ./internal/bench ./internal/store ./internal/web || status=1
fi

# The fuzz targets: each for a fixed number of executions on top of its
# committed corpus (testdata/fuzz), one after the other, once the tests are
# done so that the fuzzer's workers do not slow the browser tests. A count,
# not a duration: with a duration Go 1.26's fuzz coordinator can report its
# own deadline as "context deadline exceeded" on a loaded machine
# (go.dev/issue/75804, fixed in Go 1.27), a failure without any failing
# input. The counts take a few seconds each here. Longer runs by hand:
# go test ./internal/casework -run '^$' -fuzz '^FuzzBSN$' -fuzztime 10m
if [ "$status" = 0 ] && [ $# = 0 ]; then
  echo "== fuzzing${FUZZTIME:+, $FUZZTIME per target}"
  for target in \
    internal/casework:FuzzBSN:20000x internal/casework:FuzzDecodeForm:10000x \
    internal/process:FuzzComplete:100000x internal/ics:FuzzBuild:30000x \
    internal/mailer:FuzzCompose:2000x internal/api:FuzzRequests:100x; do
    IFS=: read -r pkg name count <<<"$target"
    go test -run '^$' -fuzz "^${name}\$" -fuzztime "${FUZZTIME:-$count}" "./$pkg" >/tmp/werkdiagnose-fuzz.$$ 2>&1 \
      || { cat /tmp/werkdiagnose-fuzz.$$; echo "fuzz target $pkg:$name failed" >&2; status=1; }
  done
  rm -f /tmp/werkdiagnose-fuzz.$$
fi
echo "== $( [ "$status" = 0 ] && echo passed || echo FAILED ) in ${SECONDS}s"
exit "$status"
