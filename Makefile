# Run `make help` for the list of targets.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help venv browser run test faults check lint format migrate demo bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $(STAMP)

venv: $(STAMP) ## Create or update .venv with the pinned requirements

migrate: venv ## Apply database migrations
	$(PY) manage.py migrate --noinput

demo: migrate ## Load the demo events and the demo accounts
	$(PY) manage.py load_demo

run: demo ## Start the tracker, a Celery worker and beat (Ctrl-C or a TERM to the group stops all)
	@echo "Public site: http://$(HOST):$(PORT)/   Admin: http://$(HOST):$(PORT)/admin/   API: http://$(HOST):$(PORT)/api/v1/"
	@# .env (if any) is read by the three processes. On INT, TERM or exit the
	@# shell stops listening for them and signals its group once, so every
	@# child gets one TERM (a trap that caught its own TERM fired again and again).
	@set -a; if [ -f .env ]; then . ./.env; fi; set +a; \
	trap 'trap "" INT TERM; trap - EXIT; kill -TERM 0 2>/dev/null; wait' INT TERM EXIT; \
	$(BIN)/celery -A tracker worker --loglevel=INFO --concurrency=2 --without-gossip --without-mingle & \
	$(BIN)/celery -A tracker beat --loglevel=INFO & \
	$(PY) manage.py runserver $(HOST):$(PORT) & \
	wait

# The shared corpus: CORPUS_DIR if set, else ../shared/corpus beside this
# checkout, else beside the checkout this one was cloned from (a local clone).
CORPUS_DIR ?= $(firstword $(wildcard ../shared/corpus) $(wildcard $(shell git config --get remote.origin.url 2>/dev/null)/../shared/corpus))
export CORPUS_DIR

browser: ## Install what the browser tests drive (Debian's Chromium, a CJK font) when root with apt
	@if command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi wenquanyi; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing Debian's chromium and a CJK font for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null; \
	else \
	  echo "The browser tests need Debian's Chromium and a CJK font. Run:"; \
	  echo "  sudo apt-get install chromium fonts-wqy-zenhei"; exit 1; \
	fi

test: venv browser ## Run the whole test suite (PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set), then the fault suite
	$(BIN)/pytest -m "not faults"
	$(MAKE) --no-print-directory faults

faults: venv ## Run the fault suite alone (private PostgreSQL/Redis servers, gunicorn, Celery; ~2 min)
	$(BIN)/pytest -m faults tests/faults

lint: venv ## ruff format check, ruff lint, migrations check
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(PY) manage.py makemigrations --check --dry-run

check: lint test ## Everything CI runs

format: venv ## Reformat and autofix
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: venv ## Run the benchmarks and write docs/benchmarks.md
	$(PY) -m bench

clean: ## Remove local state (database, broker folders), keep .venv
	rm -rf var staticfiles
