# Mine Action Platform. `make` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash
PORT ?= 8000
UV := $(shell uv --version >/dev/null 2>&1 && echo uv || echo "python3 -m uv")
RUN := $(UV) run --frozen
export UV_PYTHON_DOWNLOADS := never
# Local targets run with DEBUG on unless the environment says otherwise (production runs the
# `mineaction` command itself, with its own settings; see the README).
LOCAL := DEBUG=$${DEBUG:-1}

.PHONY: help install demo serve migrate test test-browser test-postgres screenshot lint format \
	messages check-messages ci bench

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

install: ## Install the locked dependencies into .venv (installs uv with pip when missing)
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv \
		|| python3 -m pip install --quiet --break-system-packages uv
	scripts/install-system-packages
	$(UV) sync --frozen

migrate: install ## Create or update the database (SQLite under var/ unless DATABASE_URL is set)
	$(LOCAL) $(RUN) mineaction migrate --no-input

demo: migrate ## Load the fictional demo country and serve it on http://127.0.0.1:$(PORT)
	$(LOCAL) $(RUN) mineaction load_demo
	$(LOCAL) DEMO_MODE=1 $(RUN) mineaction runserver 127.0.0.1:$(PORT)

serve: migrate ## Serve the app on http://127.0.0.1:$(PORT) without touching the data
	$(LOCAL) $(RUN) mineaction runserver 127.0.0.1:$(PORT)

test: install ## Run the whole test suite (SQLite)
	$(RUN) pytest

test-postgres: install ## Run the suite on a throwaway PostgreSQL cluster
	$(RUN) scripts/with-postgres pytest

test-browser: install ## Run the browser tests in Debian's Chromium (installs it when missing)
	scripts/install-browser
	$(RUN) pytest -m browser

screenshot: install ## Retake docs/screenshot.png (the README's picture of the demo dashboard)
	scripts/install-browser
	SCREENSHOT_PATH=docs/screenshot.png $(RUN) pytest -m browser mineaction/tests_browser/test_screenshot.py

bench: install ## Time the stakeholder pages on 20,000 people (BENCH_ARGS="--people N --repeat R")
	$(RUN) python benchmarks/stakeholders.py $(BENCH_ARGS)

lint: install ## ruff check and format check
	$(RUN) ruff check .
	$(RUN) ruff format --check .

format: install ## Format the code with ruff
	$(RUN) ruff check --fix .
	$(RUN) ruff format .

messages: install ## Extract the UI strings into the six catalogues and compile them
	cd mineaction && DEBUG=1 $(RUN) django-admin makemessages --settings=config.settings --pythonpath=.. --no-location --no-obsolete -l fr -l es -l ar -l ru -l zh_Hans
	cd mineaction && DEBUG=1 $(RUN) django-admin compilemessages --settings=config.settings --pythonpath=..

check-messages: install ## Check that the catalogues hold exactly the strings of the code
	$(RUN) scripts/check-messages

ci: ## Everything CI runs
	bash .ci/run
