# Two commands for people: `make run` and `make test`. Both create .venv themselves.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORTAL := $(BIN)/portal
HOST ?= 127.0.0.1
PORT ?= 5000
PO := $(wildcard translations/*/LC_MESSAGES/messages.po)
MO := $(PO:.po=.mo)

.PHONY: run test lint format install install-test install-lint translations compile-translations translations-report extract-messages db demo clean

# The worker drains the outbox beside the server (e-mails go to files in instance/mail/ unless
# PORTAL_SMTP_URL is set); it stops with the server.
run: install compile-translations db demo
	@echo "Serving on http://$(HOST):$(PORT)  (Ctrl-C to stop)"
	export PORTAL_ENV=development PORTAL_BASE_URL=http://$(HOST):$(PORT); \
	$(PORTAL) worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/flask --app wsgi run --host $(HOST) --port $(PORT)

# On every core (pytest-xdist), a test file per worker at a time; PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= auto
test: install-test compile-translations
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# The house rules kept by tools: lint and format (ruff), types (mypy), layers (import-linter).
SOURCES := portal tests bench migrations config.py wsgi.py
lint: install-lint
	$(BIN)/ruff check $(SOURCES)
	$(BIN)/ruff format --check $(SOURCES)
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

format: install-lint
	$(BIN)/ruff check --fix $(SOURCES)
	$(BIN)/ruff format $(SOURCES)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

$(VENV)/.installed-lint: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,lint]'
	touch $(VENV)/.installed $(VENV)/.installed-test $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test
install-lint: $(VENV)/.installed-lint

# Extract the portal's words, bring every catalogue up to date, compile them (`make run` and `make test`
# only compile: they never rewrite a catalogue).
translations: extract-messages
	$(MAKE) compile-translations

compile-translations: $(MO)

%.mo: %.po | $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -i $< -o $@ 2>&1 | tail -n 1

# Each catalogue's coverage, overall and on the pages of the public, families, witnesses and trainees.
translations-report: install
	$(PORTAL) translations report

extract-messages: install
	$(BIN)/pybabel extract -F translations/babel.cfg -k _l -o translations/messages.pot --sort-by-file --no-wrap --project portal portal
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --no-wrap

# `make run` is the development environment; anything else runs production settings (config.py).
db: install
	PORTAL_ENV=development $(PORTAL) db upgrade

demo: install
	PORTAL_ENV=development $(PORTAL) demo load --if-empty

clean:
	rm -rf $(VENV) instance translations/*/LC_MESSAGES/*.mo
