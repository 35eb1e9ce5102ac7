# Two commands do everything on a fresh machine: `make demo` (the main job, then the app serving it) and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: demo test lint unit integration services clean

$(VENV)/.installed: requirements.txt scripts/system-packages.sh package.json
	bash scripts/system-packages.sh
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	npm install --no-audit --no-fund --silent
	touch $@

demo: $(VENV)/.installed
	$(PY) -m demo
	$(PY) -m web

test: lint services
	$(PY) -m pytest

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

unit: $(VENV)/.installed
	$(PY) -m pytest tests/unit

integration: $(VENV)/.installed services
	$(PY) -m pytest tests/integration

services:
	bash scripts/services.sh

clean:
	rm -rf var/dispatch.sqlite3 var/demo
