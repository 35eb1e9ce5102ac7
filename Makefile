# Two commands do everything on a fresh machine: `make demo` (the main job, then the app serving it) and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# Compiled catalogues: where the app reads them (it refuses to start without them); DISPATCH_TRANSLATIONS_DIR moves both.
TRANSLATIONS := $(or $(DISPATCH_TRANSLATIONS_DIR),var/translations)
PO := $(wildcard web/translations/*/*/LC_MESSAGES/*.po)
MO := $(patsubst web/translations/%.po,$(TRANSLATIONS)/%.mo,$(PO))

.PHONY: demo test lint unit integration services translations clean

$(VENV)/.installed: requirements.txt scripts/system-packages.sh package.json
	bash scripts/system-packages.sh
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	npm install --no-audit --no-fund --silent
	touch $@

# The web app on PORT, the local Yandex on PORT+1 and the local Twilio on PORT+2 (make demo PORT=8080).
PORT ?= 8000
demo: $(VENV)/.installed translations services
	$(PY) -m demo --leave-yandex-routes
	$(PY) -m demo.serve --port $(PORT)

test: lint services translations
	$(PY) -m pytest

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

unit: $(VENV)/.installed translations
	$(PY) -m pytest tests/unit

integration: $(VENV)/.installed services translations
	$(PY) -m pytest tests/integration

translations: $(MO)

# One .mo per .po (web/translations/<area>/<lang>/...), recompiled only when its .po is newer.
$(TRANSLATIONS)/%.mo: web/translations/%.po | $(VENV)/.installed
	@mkdir -p $(@D)
	$(VENV)/bin/pybabel compile -l $(word 2,$(subst /, ,$*)) -i $< -o $@

services:
	bash scripts/services.sh

clean:
	rm -rf var/dispatch.sqlite3 var/demo $(TRANSLATIONS)
