# Cadence: `make run` to try it, `make test` to check it. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Local try-out defaults; production sets its own environment (README, "Production").
RUN_ENV := DEBUG=$${DEBUG-1} DEMO=$${DEMO-1}
# The demo organisation (`make run` when the database is empty, `make demo`): people, years of
# history, random seed.
DEMO_PEOPLE ?= 300
DEMO_YEARS ?= 3
DEMO_SEED ?= 1
DEMO_ARGS = --people $(DEMO_PEOPLE) --years $(DEMO_YEARS) --seed $(DEMO_SEED)

.PHONY: help install install-prod run test lint bench demo clean messages
# `make` alone lists the targets; each target's line says what it does after "##".
.DEFAULT_GOAL := help

help: ## list the targets
	@echo "Cadence: make <target> (see README.md)"
	@awk 'BEGIN {FS = ":.*## "} /^[a-z][a-z-]*:.*## / {printf "  make %-13s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

install: $(BIN)/.installed build/static/.installed var/.dir ## set up .venv (runtime, development and test packages) and the front-end files

install-prod: $(BIN)/.installed-prod build/static/.installed var/.dir ## set up for production: runtime packages only (requirements.txt), front-end files

$(BIN)/.installed-prod: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(BIN)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

# Front-end packages come from npm (package-lock.json); only their built files are served.
build/static/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p build/static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js build/static/vendor/htmx.min.js
	cp node_modules/chart.js/dist/chart.umd.min.js node_modules/chart.js/dist/chart.umd.min.js.map build/static/vendor/
	touch $@

var/.dir:
	mkdir -p var
	touch $@

# With DEMO=0 there is no demo: the first administrator claims the empty installation at /setup/
# with the set-up code printed on each start until then.
run: install ## try it: migrate, load the demo organisation when empty (DEMO=0: none), serve on HOST:PORT (127.0.0.1:8000)
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py demo --if-empty --if-demo $(DEMO_ARGS)
	$(RUN_ENV) $(BIN)/python manage.py setup_code --if-needed
	$(RUN_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

demo: install ## rebuild the demo organisation (DEMO_PEOPLE=300 DEMO_YEARS=3 DEMO_SEED=1)
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py demo $(DEMO_ARGS) --flush

# `make lint` (ruff's checks and its formatting) is the first step of `make test`.
test: lint ## the whole suite: lint, formatting, migrations, types, tests (DATABASE_URL for PostgreSQL)
	DJANGO_SETTINGS_MODULE=cadence.test_settings $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/mypy
	$(BIN)/pytest -n 2

lint: install ## ruff's checks and formatting
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: install ## the benchmark (docs/performance.md)
	$(BIN)/python -m bench

# Dutch is the only other language (settings.LANGUAGES); the .po and the compiled .mo are committed.
messages: install ## update and compile the Dutch translations (locale/)
	$(RUN_ENV) $(BIN)/python manage.py makemessages -l nl --no-obsolete --ignore=.venv --ignore=node_modules \
		--ignore=build --ignore=staticfiles --ignore=bench --ignore='*/tests/*'
	$(RUN_ENV) $(BIN)/python manage.py compilemessages --ignore=.venv

clean: ## remove .venv, node_modules, build and caches (keeps var/, the database)
	rm -rf $(VENV) node_modules build staticfiles .pytest_cache .mypy_cache
