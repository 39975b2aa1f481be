# stepchange: `make demo` serves the service with demo data; `make test` runs every test;
# `make serve` runs it as production does.
# Each sets up everything it needs first: .venv from the locked requirements, npm packages,
# the stylesheet.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# Python keeps the compiled modules (and pytest its rewritten test modules) between runs, even where
# the environment says not to write them: otherwise every run of the tests compiles some 600
# modules again in each process, about 9 s of CPU apiece.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: demo test test-fast lint setup serve clean lock css bench bench-quick

setup: $(VENV)/.installed node_modules/.installed build/static/app.css build/collected/.done /usr/share/doc/libharfbuzz-subset0/copyright

# Collected static files, as whitenoise serves them.
build/collected/.done: $(VENV)/.installed build/static/app.css $(wildcard stepchange/static/js/*)
	$(PY) manage.py collectstatic --no-input -v0
	touch $@

$(VENV)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --require-hashes -r requirements.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

build/static/app.css: node_modules/.installed frontend/app.scss
	npm run --silent build:css

css: node_modules/.installed
	npm run --silent build:css

demo: setup
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo
	$(PY) manage.py runserver 127.0.0.1:8000

# The service as production runs it: gunicorn and whitenoise on PostgreSQL with pooled connections,
# migrated, and the background worker beside it (manage.py serve; docs/operations.md). Production
# settings unless DJANGO_ENV says otherwise, so the environment names DATABASE_URL, SECRET_KEY, ...
serve: setup
	DJANGO_ENV=$${DJANGO_ENV:-production} $(PY) manage.py serve

# What weasyprint needs to write the steering-group pack's PDF: Pango, HarfBuzz's subsetter, a font.
/usr/share/doc/libharfbuzz-subset0/copyright:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation

# Debian's Chromium for the browser tests (never a downloaded browser).
/usr/bin/chromium:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation

test: setup /usr/bin/chromium
	$(PY) -m pytest -n 2

# Everything but the browser tests, the access sweeps and the slow tests (pytest markers, see
# pyproject.toml and tests/conftest.py): the quick run while working. make test still runs everything.
test-fast: setup
	$(PY) -m pytest -n 2 -m "not browser and not access_matrix and not slow"

# Benchmarks (bench/): ratios against a floor measured in the same run, on SQLite and PostgreSQL,
# at three sizes; the table goes to the terminal and bench/results.json. Not part of make test.
# Debian's wrk drives the HTTP benchmark.
/usr/bin/wrk:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk

bench: setup /usr/bin/wrk
	$(PY) -m bench

bench-quick: setup /usr/bin/wrk
	$(PY) -m bench --quick

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy stepchange bench tests

# Re-pin the Python dependencies after editing requirements.in.
lock:
	UV_PYTHON_DOWNLOADS=never uv pip compile requirements.in --generate-hashes --python-version 3.11 --no-header -o requirements.lock

clean:
	rm -rf $(VENV) node_modules build stepchange.sqlite3
