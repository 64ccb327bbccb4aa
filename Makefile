# Subwatch. `make run` for the embedded default, `make test` for the suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SHARED ?= ../shared

.PHONY: install run worker migrate test lint accuracy bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

run: migrate
	@echo
	@echo "Subwatch is starting on http://127.0.0.1:8000 (web, worker and scheduler)."
	@echo "Create the first account in another terminal with:"
	@echo "    $(BIN)/python manage.py createsuperuser"
	@echo
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start

# The browser tests drive Debian's Chromium; nothing downloads a browser of its own.
CHROMIUM := /usr/bin/chromium

.PHONY: browser
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" -eq 0 ]; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else \
	    echo "The browser tests need Debian's chromium at $(CHROMIUM), and installing it needs root:" >&2; \
	    echo "    sudo apt-get update && sudo apt-get install -y chromium" >&2; \
	    exit 1; \
	  fi; \
	fi

test: install browser
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

accuracy: install
	$(BIN)/python -m scrapers.accuracy --realpages $(SHARED)/realpages --out docs/accuracy.md

# 1,000 generated pages from 127.0.0.1 through a real worker, in var/bench/ (never your data).
# N=2000 for the peer's size: make bench BENCH_N=2000
BENCH_N ?= 1000
bench: install
	$(BIN)/python manage.py bench --shared $(SHARED) --n $(BENCH_N) --out docs/benchmarks.md

clean:
	rm -rf $(VENV) var
