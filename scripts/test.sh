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

echo "== tests on SQLite"
GENDAN_DATABASE_URL="sqlite:///var/test.sqlite3" $VENV/bin/python -m pytest "$@"

if $VENV/bin/python - "$PG_URL" <<'PY' 2>/dev/null
import sys, psycopg
psycopg.connect(sys.argv[1], connect_timeout=3).close()
PY
then
  echo "== tests on PostgreSQL"
  # the engines import no Django and touch no database: the SQLite pass ran them already
  GENDAN_DATABASE_URL="$PG_URL" $VENV/bin/python -m pytest --ignore=src/gendan/engines "$@"
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL at $PG_URL is not reachable, and CI=true requires it." >&2
  exit 1
else
  echo "== SKIPPED the PostgreSQL run: no server at $PG_URL (set GENDAN_TEST_POSTGRES_URL)."
fi
