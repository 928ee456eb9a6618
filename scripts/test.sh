#!/usr/bin/env bash
# Runs every check and test of werkdiagnose on both database engines and in
# a real browser. Installs what a fresh Debian machine lacks (Chromium) and
# starts the local PostgreSQL when it is installed but not running.
#
#   ./scripts/test.sh            all tests
#   ./scripts/test.sh -run Foo   extra arguments go to `go test`
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

echo "== go test (SQLite and PostgreSQL, browser)"
go test -count=1 "$@" ./...
