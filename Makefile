# Cadence: `make run` to try it, `make test` to check it. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Local try-out defaults; production sets its own environment (README, "Production").
RUN_ENV := DEBUG=$${DEBUG-1} DEMO=$${DEMO-1}
DEMO_PEOPLE ?= 300

.PHONY: install run test lint bench demo clean static messages

install: $(BIN)/.installed build/static/.installed var/.dir

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

run: install
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py demo --if-empty --people $(DEMO_PEOPLE)
	$(RUN_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

demo: install
	$(RUN_ENV) $(BIN)/python manage.py demo --people $(DEMO_PEOPLE) --flush

# `make lint` (ruff's checks and its formatting) is the first step of `make test`.
test: lint
	DJANGO_SETTINGS_MODULE=cadence.test_settings $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/mypy
	$(BIN)/pytest -n 2

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: install
	$(BIN)/python -m bench

# Dutch is the only other language (settings.LANGUAGES); the .po and the compiled .mo are committed.
messages: install
	$(RUN_ENV) $(BIN)/python manage.py makemessages -l nl --no-obsolete --ignore=.venv --ignore=node_modules \
		--ignore=build --ignore=staticfiles --ignore=bench --ignore='*/tests/*'
	$(RUN_ENV) $(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) node_modules build staticfiles .pytest_cache .mypy_cache
