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

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

accuracy: install
	$(BIN)/python -m scrapers.accuracy --realpages $(SHARED)/realpages --out docs/accuracy.md

bench: install
	$(BIN)/python -m benchmarks.run --shared $(SHARED) --out docs/benchmarks.md

clean:
	rm -rf $(VENV) var
