# Backchannel: `make demo` runs the product, `make test` runs every check CI runs.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
BIN := $(VENV)/bin

.PHONY: demo test test-postgres test-tools lint format serve bench bench-record care-model clean

# pip prints what it collects and installs: the first install takes a few minutes, and a
# silent terminal looks stuck.
PIP_INSTALL := $(BIN)/pip install --disable-pip-version-check --progress-bar on

$(BIN)/python:
	@echo "== 1/4 creating the virtualenv in $(VENV)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@echo "== 2/4 installing Backchannel and its dependencies (a few minutes the first time)"
	$(PIP_INSTALL) -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	@echo "== installing Backchannel with its development and training tools (a few minutes the first time)"
	$(PIP_INSTALL) -e '.[dev,train]'
	touch $(VENV)/.installed $@

## demo: install, migrate, seed "Training Institutes 2012" and serve it on http://127.0.0.1:$(PORT)
demo: $(VENV)/.installed
	$(BIN)/backchannel demo --port $(PORT)

## serve: serve without seeding
serve: $(VENV)/.installed
	$(BIN)/backchannel serve --migrate --port $(PORT)

TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/backchannel
# Tests run in parallel, one worker per CPU (pytest-xdist); XDIST= runs them in one process.
XDIST ?= -n auto

## test: lint, format check, type check, the layers (import-linter), the suite on SQLite, and again on PostgreSQL
test: $(VENV)/.installed-dev test-tools
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src
	$(BIN)/lint-imports --no-cache
	@echo "== the suite on SQLite ($(XDIST))"
	$(BIN)/pytest $(XDIST) $(PYTEST_ARGS)
	@$(MAKE) --no-print-directory test-postgres

## test-postgres: the suite on PostgreSQL (required under CI=true, skipped with a reason elsewhere)
# Run once, in the SQLite pass: tests marked engine_independent, and the browser journeys (what
# they add to the HTTP and stream tests, which run here too, is the pages' own behaviour).
test-postgres: $(VENV)/.installed-dev
	@if $(BIN)/python -m backchannel.devtools.reachable "$(TEST_POSTGRES_URL)"; then \
	  echo "== the suite on PostgreSQL ($(TEST_POSTGRES_URL)), but for the browser and engine_independent tests"; \
	  DATABASE_URL="$(TEST_POSTGRES_URL)" $(BIN)/pytest $(XDIST) -m "not engine_independent and not browser" $(PYTEST_ARGS); \
	elif [ "$$CI" = "true" ]; then \
	  echo "PostgreSQL at $(TEST_POSTGRES_URL) is required under CI and is not reachable" >&2; exit 1; \
	else \
	  echo "== PostgreSQL is not reachable at $(TEST_POSTGRES_URL): the PostgreSQL run is skipped"; \
	fi

## test-tools: axe-core for the accessibility tests and Fedify for the federation interoperability
## test, from npm (package.json, package-lock.json)
test-tools:
	@if [ -f node_modules/.installed ] && [ node_modules/.installed -nt package-lock.json ]; then :; \
	elif command -v npm >/dev/null 2>&1; then \
	  echo "== npm ci (axe-core for the accessibility tests, Fedify for the interoperability test)"; \
	  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch node_modules/.installed; \
	elif [ "$$CI" = "true" ]; then \
	  echo "npm is required under CI for the accessibility and interoperability tests (apt-get install npm)" >&2; exit 1; \
	else \
	  echo "== npm is not installed: the accessibility and interoperability tests will be skipped"; \
	fi

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src
	$(BIN)/lint-imports --no-cache

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

## care-model: retrain the caution check's text model from src/backchannel/care/corpus/
care-model: $(VENV)/.installed-dev
	mkdir -p var
	$(BIN)/python -m backchannel.care.training > var/care-model-report.json
	@echo "report: var/care-model-report.json"

## bench: fan-out and ingest (one summary line each) and the CPU-per-post regression guard
bench: $(VENV)/.installed-dev
	$(BIN)/python bench/all.py

## bench-record: the same, then keep this run's figures as the ones to compare with
bench-record: $(VENV)/.installed-dev
	$(BIN)/python bench/all.py --record

clean:
	rm -rf $(VENV) var node_modules .pytest_cache .mypy_cache .ruff_cache
