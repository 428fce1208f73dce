# campaign-tracker — the two commands of the quickstart are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PIP_VERSION := 26.3
CHROMIUM := /usr/bin/chromium
# Run as root on the CI and dev machines; elsewhere apt-get needs sudo.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test install lock db demo lint typecheck chromium postgres translations bench docs clean
# The suite's PostgreSQL: the local server `postgres` makes sure of (a password for a cluster it
# installed itself; a trust-auth server ignores it). Set TEST_DATABASE_URL to use another one.
TEST_DATABASE_URL ?= postgresql+psycopg://postgres:postgres@127.0.0.1:5432/postgres
# pytest-xdist workers of `make test`: more than the 2 cores, since much of the suite waits on
# subprocesses, sockets and the browser. PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= 4

## install: create .venv and install exactly the versions of requirements.lock, then the project
install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@# The pip a new venv brings may be too old for the lock (pip 23.2 fails on lxml's extras).
	$(BIN)/python -m pip install --quiet pip==$(PIP_VERSION)
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

## lock: re-resolve requirements.lock from pyproject.toml (after changing a dependency)
lock: install
	$(BIN)/python -m pip install --quiet uv==0.13.10
	$(BIN)/uv pip compile pyproject.toml --extra test --extra eval --python-version 3.11 --no-header \
	  --annotation-style line -o requirements.lock

## db: create or migrate the database (SQLite under instance/ unless DATABASE_URL is set)
db: install
	$(BIN)/campaign-tracker db upgrade

## demo: load the outlet directory, demo users and the 2006 propaganda-month campaign
demo: db
	$(BIN)/campaign-tracker demo

## run: install, migrate, load the demo and start everything on http://127.0.0.1:5000
run: demo
	$(BIN)/campaign-tracker up

## chromium: Debian's Chromium and a Chinese font for the browser tests (Playwright drives it)
chromium:
	@{ test -x $(CHROMIUM) && test -d /usr/share/fonts/opentype/noto; } || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk; }

lint: install
	$(BIN)/ruff check .

typecheck: install
	$(BIN)/mypy
	@# typings/ against the installed Flask-Babel, Flask-Login and Flask-WTF (an upgrade may change them)
	MYPYPATH=typings $(BIN)/python -m mypy.stubtest flask_babel flask_login flask_wtf --ignore-missing-stub

## postgres: a PostgreSQL server on 127.0.0.1:5432 for the suite (installed and started if need be)
postgres:
	@bash scripts/postgres.sh

## test: lint, type-check scrapers/ and campaign/, and run the whole suite on SQLite and PostgreSQL, browser tests included
test: install chromium postgres lint typecheck
	@url='$(TEST_DATABASE_URL)'; \
	if [ "$(origin TEST_DATABASE_URL)" = file ] && ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; \
	then url=; fi; pytest='$(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal'; \
	echo "TEST_DATABASE_URL=$$url $$pytest"; TEST_DATABASE_URL="$$url" $$pytest

## translations: re-extract messages and recompile the English catalogue
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 --sort-by-file \
	  --add-location=file --no-wrap --project=campaign-tracker -o campaign/translations/messages.pot .
	$(BIN)/pybabel update -i campaign/translations/messages.pot -d campaign/translations -l en \
	  --no-wrap --ignore-obsolete
	$(BIN)/pybabel compile -d campaign/translations -l en --statistics

## bench: run every benchmark (by hand; figures are printed against a baseline of the same
## run); each exits non-zero when it misses its target, and so does bench, after running all
## (the PostgreSQL ones — bench_load, bench_layout — on TEST_DATABASE_URL's server)
bench: install
	@failed=; for b in benchmarks/bench_*.py; do echo "== $$b"; \
	  TEST_DATABASE_URL='$(TEST_DATABASE_URL)' $(BIN)/python $$b || failed="$$failed $$b"; done; \
	if [ -n "$$failed" ]; then echo "benchmarks that missed:$$failed"; exit 1; fi

## docs: the officers' guide's screenshots (docs/images/), taken by Chromium over the demo with
## its coverage fetched from the local demo site (not part of `make test`)
docs: install chromium
	$(BIN)/python scripts/guide_screenshots.py

## eval: the whole pipeline on every labelled world, scored against its labels (minutes per
## world; not part of `make test`). EVAL_ARGS="--world demo --keep" narrows or keeps it.
.PHONY: eval
eval: install
	$(BIN)/python -m eval.run $(EVAL_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache test-output
