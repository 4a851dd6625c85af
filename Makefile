# Gendan: `make demo` serves a demo, `make test` runs the checks. Both bootstrap .venv themselves.
SHELL := /bin/bash
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
GENDAN_TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/postgres
export GENDAN_TEST_POSTGRES_URL

# The first interpreter that is Python 3.12 or newer.
PYTHON_312 := $(shell for p in python3.13 python3.12 python3 python; do \
	  command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	  && { command -v $$p; break; }; done)

.PHONY: demo test lint venv clean soak

$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON_312)" ]; then echo "Gendan needs Python 3.12 or newer; none was found on PATH (python3.13, python3.12, python3)." >&2; exit 1; fi
	@test -x $(PY) || $(PYTHON_312) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/gendan demo --port $(PORT)

lint: $(STAMP)
	$(VENV)/bin/ruff check src $(wildcard bench)
	$(VENV)/bin/ruff format --check src $(wildcard bench)
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy

test: $(STAMP)
	@bash scripts/test.sh

# The soak and load test (not part of `make test`): a fresh PostgreSQL database, gunicorn with two
# workers and one task worker, 20 simulated users for 10 minutes, then the invariants
# (docs/benchmarks.md, "Soak"). MINUTES=2 USERS=5 make soak for a short trial.
MINUTES ?= 10
USERS ?= 20
soak: $(STAMP)
	$(PY) -m pip install --quiet -e '.[soak]'
	$(PY) bench/soak.py --minutes $(MINUTES) --users $(USERS)

clean:
	rm -rf $(VENV) var/*.sqlite3
