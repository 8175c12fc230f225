# Physiotherapy clinic practice system. `make help` lists the targets.
#
# Both entry points set up everything they need on a fresh Debian machine: the Debian
# packages (apt, as root or through sudo), a virtual environment in .venv, the project.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

# What the app needs at run time (WeasyPrint: pango; harfbuzz-subset makes font subsetting
# fast and avoids a deprecation warning), and what only the checks need.
APP_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
TEST_DEBS := chromium poppler-utils postgresql

# Install the Debian packages named in $(1) that are missing; quiet when none are.
define ensure_debs
missing=""; for pkg in $(1); do dpkg-query -W -f='$${Status}' "$$pkg" 2>/dev/null | grep -q "ok installed" || missing="$$missing $$pkg"; done; \
if [ -n "$$missing" ]; then \
  sudo=""; [ "$$(id -u)" = 0 ] || sudo="sudo"; \
  echo "Installing Debian packages:$$missing"; \
  $$sudo apt-get update -qq; \
  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends $$missing >/dev/null; \
fi
endef

.PHONY: help
help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: debs-app debs-test
debs-app:
	@$(call ensure_debs,$(APP_DEBS))
debs-test: debs-app
	@$(call ensure_debs,$(TEST_DEBS))

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the dependencies change: the pinned versions of the lock files, then
# the project itself without resolving again.
$(VENV)/.installed-app: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $@
$(VENV)/.installed-dev: pyproject.toml requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e '.[dev]'
	@touch $@ $(VENV)/.installed-app

.PHONY: lock
# The rest of each lock file's header (uv writes none of its own: --no-header).
LOCK_NOTE = '\# the same ones. Made from pyproject.toml by `make lock` (uv pip compile); edit the' '\# ranges there, then run it and the checks.'
lock: | $(BIN)/python ## Pin the newest versions pyproject.toml allows into the lock files
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11.7 --python-platform linux --no-header --annotation-style line -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11.7 --python-platform linux --no-header --annotation-style line -o requirements-dev.lock
	{ printf '%s\n' '# The exact versions `make install` puts in .venv for the app: every machine gets' $(LOCK_NOTE); cat requirements.lock; } > requirements.lock.tmp && mv requirements.lock.tmp requirements.lock
	{ printf '%s\n' '# The exact versions `make install` puts in .venv for the app and every check (the dev extra): every machine gets' $(LOCK_NOTE); cat requirements-dev.lock; } > requirements-dev.lock.tmp && mv requirements-dev.lock.tmp requirements-dev.lock

.PHONY: install install-dev
install: debs-app $(VENV)/.installed-app ## Set up the app (Debian packages, .venv)
install-dev: debs-test $(VENV)/.installed-dev ## Set up the app and every check

.PHONY: run
run: install ## Set up, migrate, load demo data and serve on http://127.0.0.1:5000
	$(BIN)/clinic db upgrade
	$(BIN)/clinic catalogue load
	$(BIN)/clinic demo
	$(BIN)/clinic serve --host $(HOST) --port $(PORT)

.PHONY: lint
lint: install-dev ## Ruff (lint and format check) and mypy (strict on clinic/)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

.PHONY: test tests-on-sqlite tests-on-postgresql
# The two databases' runs go side by side (each waits on its browser, server and
# database much of the time): about 8 minutes on 2 cores instead of 15 one after the
# other. Each run's output is printed whole when it ends (--output-sync).
test: lint ## Set up, then every check: lint, types, tests on SQLite and on PostgreSQL
	$(MAKE) --no-print-directory -j2 --output-sync=target tests-on-sqlite tests-on-postgresql
tests-on-sqlite:
	CLINIC_TEST_DATABASE=sqlite $(BIN)/pytest -p no:cacheprovider
tests-on-postgresql:
	CLINIC_TEST_DATABASE=postgresql $(BIN)/pytest -p no:cacheprovider

.PHONY: test-sqlite test-postgresql
test-sqlite: install-dev ## Only the tests, on SQLite
	CLINIC_TEST_DATABASE=sqlite $(BIN)/pytest $(PYTEST_ARGS)
test-postgresql: install-dev ## Only the tests, on a throwaway PostgreSQL server
	CLINIC_TEST_DATABASE=postgresql $(BIN)/pytest $(PYTEST_ARGS)

.PHONY: bench
bench: install-dev ## Print timings and the load test: screening, start-up and pages against a bare form, 10,000 against 200,000 patients, handout PDFs, the alert poll, intakes under faults (never part of the tests)
	$(BIN)/python bench/screening.py
	$(BIN)/python bench/web.py
	$(BIN)/python bench/scale.py
	$(BIN)/python bench/handouts.py
	$(BIN)/python bench/alerts.py
	$(BIN)/python bench/load.py

.PHONY: mutation
mutation: install-dev ## Mutation testing of the clinical core (mutmut; about 10 minutes on 2 cores): prints the score and the survivors
	rm -rf mutants
	$(BIN)/mutmut run --max-children $$(nproc) > mutants.log 2>&1 || (tail -n 40 mutants.log; exit 1)
	$(BIN)/mutmut export-cicd-stats > /dev/null
	$(BIN)/python tests/mutation_report.py

.PHONY: format
format: install-dev ## Format the code and apply safe lint fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

.PHONY: clean
clean: ## Remove the virtual environment and caches (keeps instance/)
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info
