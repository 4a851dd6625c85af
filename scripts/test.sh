#!/usr/bin/env bash
# The whole check: lint, migrations, the suite on SQLite, then on PostgreSQL where reachable.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv
PG_URL="${GENDAN_TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"

echo "== ruff"
LINT_PATHS=(src)
[ -d bench ] && LINT_PATHS+=(bench)
$VENV/bin/ruff check "${LINT_PATHS[@]}"
$VENV/bin/ruff format --check "${LINT_PATHS[@]}"

echo "== import contracts (the layers of DESIGN.md, in pyproject.toml)"
$VENV/bin/lint-imports --no-cache

echo "== mypy (django-stubs) on the engines, services, selectors and the workflow"
$VENV/bin/mypy

echo "== migrations are complete"
GENDAN_DEBUG=1 GENDAN_DATABASE_URL="sqlite:///:memory:" $VENV/bin/gendan makemigrations --check --dry-run >/dev/null

echo "== docs/lifecycle.md is current"
GENDAN_DEBUG=1 GENDAN_DATABASE_URL="sqlite:///:memory:" $VENV/bin/gendan lifecycle --check

if CHROMIUM=$(command -v chromium || command -v chromium-browser); then
  export GENDAN_CHROMIUM="$CHROMIUM"
  echo "== browser tests will drive $("$CHROMIUM" --version 2>/dev/null | head -n 1)"
else
  echo "== SKIPPED the browser tests: no Chromium on PATH (apt-get install chromium)."
fi

PG_UP=0
if $VENV/bin/python - "$PG_URL" <<'PY' 2>/dev/null
import sys, psycopg
psycopg.connect(sys.argv[1], connect_timeout=3).close()
PY
then
  PG_UP=1
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL at $PG_URL is not reachable, and CI=true requires it." >&2
  exit 1
fi

sqlite_pass() {
  GENDAN_DATABASE_URL="sqlite:///var/test.sqlite3" $VENV/bin/python -m pytest "$@"
}
postgres_pass() {
  # the engines import no Django and touch no database: the SQLite pass runs them
  GENDAN_DATABASE_URL="$PG_URL" $VENV/bin/python -m pytest --ignore=src/gendan/engines "$@"
}

if [ "$PG_UP" = 0 ]; then
  echo "== tests on SQLite"
  sqlite_pass "$@"
  echo "== SKIPPED the PostgreSQL run: no server at $PG_URL (set GENDAN_TEST_POSTGRES_URL)."
elif [ "${GENDAN_TEST_SERIAL:-}" = "1" ]; then
  echo "== tests on SQLite"
  sqlite_pass "$@"
  echo "== tests on PostgreSQL"
  postgres_pass "$@"
else
  # The two databases' passes share nothing (SQLite's test database is in memory, PostgreSQL's is
  # its own; files go to each test's temporary folder), so they run side by side: most of a
  # pass's time is spent waiting on the database or the browser, not on a core.
  # GENDAN_TEST_SERIAL=1 runs them one after the other.
  mkdir -p var
  SQLITE_LOG=var/test-sqlite.log
  echo "== tests on SQLite and on PostgreSQL, side by side (SQLite's output: $SQLITE_LOG, shown at its end)"
  sqlite_pass "$@" > "$SQLITE_LOG" 2>&1 &
  SQLITE_PID=$!
  trap 'kill "$SQLITE_PID" 2>/dev/null || true' EXIT
  PG_RC=0
  echo "== tests on PostgreSQL"
  postgres_pass "$@" || PG_RC=$?
  SQLITE_RC=0
  wait "$SQLITE_PID" || SQLITE_RC=$?
  trap - EXIT
  echo "== tests on SQLite (rc=$SQLITE_RC)"
  cat "$SQLITE_LOG"
  echo "== PostgreSQL rc=$PG_RC, SQLite rc=$SQLITE_RC"
  [ "$PG_RC" = 0 ] && [ "$SQLITE_RC" = 0 ]
fi
