# eom: make demo (run the demo mission), make test (the whole test suite).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: demo test test-postgres bench lint screenshots messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --editable .
	touch $@

$(VENV)/.test: pyproject.toml $(VENV)/.runtime
	$(BIN)/pip install --quiet --editable ".[test]"
	touch $@

## demo: create .venv, install, migrate a SQLite database, load the Kazakhstan 2023 mission, serve
demo: $(VENV)/.runtime
	$(BIN)/eom demo

## test: lint and types, then every test on SQLite on two processes (browser tests run where Chromium is installed)
test: $(VENV)/.test
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/eom makemigrations --check --dry-run > /dev/null
	$(BIN)/python -m pytest -q -n 2

## test-postgres: the database tests again, on PostgreSQL ($(PG_URL))
test-postgres: $(VENV)/.test
	DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest -q -m "not browser"

## bench: benchmarks that print their figures
$(VENV)/.bench: pyproject.toml $(VENV)/.test
	$(BIN)/pip install --quiet --editable ".[test,bench]"
	touch $@

bench: $(VENV)/.bench
	@for f in bench/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

## lint: ruff on everything, mypy (strict) on the pure cores eom.electoral, eom.stats and eom.xlsform
lint: $(VENV)/.test
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

## screenshots: retake docs/screenshots/*.png in headless Chromium
screenshots: $(VENV)/.test
	$(BIN)/python -m eom.demo.screenshots docs/screenshots

## messages: extract and compile translations (needs GNU gettext)
messages: $(VENV)/.runtime
	cd src/eom && ../../$(BIN)/django-admin makemessages -l ru -l kk --no-obsolete --no-location --ignore "electoral/*" --ignore "stats/*"
	cd src/eom && ../../$(BIN)/django-admin compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache
