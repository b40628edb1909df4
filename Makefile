# Every command a developer needs; `make help` lists them.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
AXE := node_modules/axe-core/axe.min.js
.PHONY: help run setup install messages browser axe pgclient test lint format check

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP) ## Create the virtual environment and install the dependencies

messages: $(STAMP) ## Compile the translations
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=var -v0

# Links written without the visitor's request (feeds, the API, the scheduler's emails) and the
# Wagtail site's port follow the address the server listens on, unless SITE_URL is set.
setup run: export SITE_URL ?= http://$(HOST):$(PORT)

setup: install messages ## Migrate, load reference data and the demo site
	$(BIN)/python manage.py migrate --no-input -v0
	$(BIN)/python manage.py setup_site --demo

# The periodic tasks (scheduled publishing, sweeps, digests) run beside the server in a second
# process; it ends with the server (Ctrl-C stops both).
run: setup ## Set everything up and serve the site on http://127.0.0.1:8000 (HOST, PORT), periodic tasks beside it
	@$(BIN)/python manage.py run_scheduler & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

browser: ## Install Debian's headless Chromium for the browser tests when missing (needs root)
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
			echo "Installing chromium for the browser tests"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
		else \
			echo "chromium is not installed: browser tests will be skipped (install Debian's chromium)"; \
		fi; \
	fi

# axe-core, pinned in package.json / package-lock.json, is injected by the browser tests to check
# accessibility; npm ci installs exactly the locked version into node_modules/.
$(AXE): package.json package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --no-audit --no-fund --silent && touch $(AXE); \
	else \
		echo "npm is missing: the accessibility checks of the browser tests will be skipped (install Node.js)"; \
	fi

axe: $(AXE) ## Install the pinned axe-core for the browser tests' accessibility checks (npm ci)

pgclient: ## Install Debian's postgresql-client (pg_dump, pg_restore for backups) when missing (needs root)
	@if [ ! -x /usr/bin/pg_dump ] || [ ! -x /usr/bin/pg_restore ]; then \
		if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
			echo "Installing postgresql-client for the backup tests"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-client >/dev/null; \
		else \
			echo "pg_dump/pg_restore are missing: backups of PostgreSQL will fail (install postgresql-client)"; \
		fi; \
	fi

test: install messages browser axe pgclient ## Run the whole test suite (PostgreSQL when DATABASE_URL is set)
	$(BIN)/python manage.py check --settings=config.settings.test
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=config.settings.test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install ## Lint and check formatting
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## Format the code
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
