# Maatpak: `make demo` runs the app with demo data; `make test` runs the whole suite.
# Both work on a fresh machine: they create .venv and install the pinned requirements.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_PARTICIPANTS ?= 1500
PYTEST_ARGS ?=

.PHONY: demo test lint install install-test browser migrate messages clean-db

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements-test.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-test.txt
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Debian's chromium for the Playwright tests (Playwright cannot download browsers here).
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = "0" ]; then (apt-get install -y -qq chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)); \
	else echo "Browser tests need Debian's chromium: run 'sudo apt-get install chromium' (they are skipped without it)."; fi

migrate: install
	$(BIN)/python manage.py migrate --noinput

# The demo runs on the development keys. Production refuses them (maatpak/settings.py);
# the generator runs without DEBUG (DEBUG keeps every SQL query in memory), so it says so.
demo: migrate
	MAATPAK_ALLOW_DEV_KEYS=1 $(BIN)/python manage.py demo --participants $(DEMO_PARTICIPANTS)
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Style and architecture first (seconds), then the suite: a lint failure fails `make test`.
lint: install-test
	$(BIN)/ruff format --check maatpak tests benchmarks scripts manage.py
	$(BIN)/ruff check maatpak tests benchmarks scripts manage.py
	$(BIN)/lint-imports --no-cache

test: lint browser
	MAATPAK_TESTING=1 $(BIN)/python -m pytest $(PYTEST_ARGS)

# For developers: refresh the Dutch translations after changing texts (needs gettext).
messages: install
	cd maatpak && ../$(BIN)/python ../manage.py makemessages -l nl --no-obsolete && ../$(BIN)/python ../manage.py compilemessages -l nl
