# Two commands on a fresh machine (see README):
#   make dashboard   set everything up and open the advisor dashboard on the built-in example
#   make test        set everything up and run every test (what .ci/run calls)
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8866

.PHONY: setup dashboard test browser compare notebooks bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# System packages for the tests, from Debian: Chromium for the real-browser test (Playwright's
# own browser download does not work offline), Pango and fonts for the PDF handout, poppler
# to look at a PDF as PNG.
SYSTEM_PACKAGES := chromium libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core poppler-utils
browser:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

dashboard: setup
	$(BIN)/voila notebooks/01_compare_options.ipynb --port=$(PORT) --Voila.ip=127.0.0.1

compare: setup
	$(BIN)/python -m toolkit compare

# Rebuild notebooks/*.ipynb from their percent scripts in notebooks/py/ (the source; see
# jupytext.toml), run them and store the outputs of the # NBVAL_CHECK_OUTPUT cells only.
notebooks: setup
	$(BIN)/ruff check --no-cache notebooks/py
	$(BIN)/python tools/build_notebooks.py --execute

test: setup browser
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python bench/run.py
	$(BIN)/python bench/scenarios.py

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
