# The README's commands. `make run` and `make test` are all a newcomer needs.
PY      ?= python3.11
VENV    ?= .venv
BIN     := $(VENV)/bin
PYTHON  := $(BIN)/python
FLASK   := $(PYTHON) -m flask --app wsgi
HOST    ?= 127.0.0.1
PORT    ?= 8000
WORKERS ?= 2
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install translations setup run serve web worker test lint db-check bench loadtest apifuzz clean

$(BIN)/.installed: pyproject.toml
	test -x $(PYTHON) || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed translations

translations: $(BIN)/.installed
	$(BIN)/pybabel compile --use-fuzzy --statistics -d matchmaker/translations

## setup: database by migrations, taxonomy, the search model, demo data, then the search
## index built with that model (all idempotent)
setup: install
	$(FLASK) db upgrade
	$(FLASK) taxonomy load
	$(FLASK) search model build
	$(FLASK) demo load
	$(FLASK) search rebuild

## run: everything from a fresh machine to the platform on http://127.0.0.1:8000
run: setup serve

## serve: gunicorn and the job queue's worker together (scripts/run_all.py stops both if one dies);
## in production run `make web` and `make worker` as two services (README: Processes)
serve: install
	$(PYTHON) scripts/run_all.py --bind $(HOST):$(PORT) --workers $(WORKERS)

web: install
	$(BIN)/gunicorn --workers $(WORKERS) --bind $(HOST):$(PORT) --access-logfile - wsgi:app

worker: install
	$(FLASK) jobs worker

## test: the whole suite (SQLite by default; set DATABASE_URL for PostgreSQL), in TEST_WORKERS
## processes, one test file per process at a time (TEST_WORKERS=0: all in this process)
TEST_WORKERS ?= 2
test: install
	$(PYTHON) -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(PYTHON) scripts/i18n.py missing

## db-check: migrations reproduce the models exactly (on a scratch SQLite file unless DATABASE_URL is set)
db-check: install
	$(PYTHON) scripts/db_check.py

## bench: every benchmark in tests/bench/ prints its table, then one summary table of every
## figure with cores, commit and load average (not part of the test suite; BENCH_ARGS="--only pages")
bench: install
	$(PYTHON) tests/bench/run_all.py $(BENCH_ARGS)

## loadtest: bounded load on gunicorn (2 workers) + PostgreSQL, one worker SIGKILLed mid-run
## (scratch database `loadtest`; LOADTEST_ARGS="--requests 3000 --seconds 60 --clients 8")
loadtest: install
	$(PYTHON) scripts/loadtest.py $(LOADTEST_ARGS)

## apifuzz: schemathesis against the API's OpenAPI document on a scratch demo database, as each
## role and anonymously; fails on any 5xx or response that breaks the document (APIFUZZ_ARGS="--max-examples 12")
apifuzz: install
	$(PYTHON) scripts/api_fuzz.py $(APIFUZZ_ARGS)

clean:
	rm -rf $(VENV) instance .pytest_cache
