# Two commands on a fresh machine (see README):
#   make dashboard   set everything up and open the advisor dashboard on the built-in example
#   make test        set everything up and run every test (what .ci/run calls)
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8866
# a pre-started kernel per visitor: the dashboard appears in about 2 s instead of 3 (bench/voila_first_render.py)
VOILA_FLAGS ?= --preheat_kernel=True --pool_size=1

.PHONY: setup setup-test dashboard test browser compare notebooks bench clean i18n

# Two stamp files, so an unchanged set-up is not reinstalled and any changed requirement file
# (or pyproject.toml) reinstalls what depends on it:
#   .installed        core + dashboard + pdf (requirements-dashboard.txt, requirements-pdf.txt,
#                     both building on requirements.txt): what `make dashboard` needs
#   .installed-test   + the test tools (requirements-dev.txt): what `make test` needs
# The core alone (engine, CLI, HTML handout) is `pip install .`: see the README.
setup: $(VENV)/.installed
setup-test: $(VENV)/.installed-test

$(VENV)/.installed: requirements.txt requirements-dashboard.txt requirements-pdf.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dashboard.txt -r requirements-pdf.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-test: requirements-dev.txt $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
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
	$(BIN)/voila notebooks/01_compare_options.ipynb --port=$(PORT) --Voila.ip=127.0.0.1 $(VOILA_FLAGS)

compare: setup
	$(BIN)/python -m toolkit compare

# Rebuild notebooks/*.ipynb from their percent scripts in notebooks/py/ (the source; see
# jupytext.toml), run them and store the outputs of the # NBVAL_CHECK_OUTPUT cells only.
notebooks: setup-test
	$(BIN)/ruff check --no-cache notebooks/py
	$(BIN)/python tools/build_notebooks.py --execute

# The message catalogue (Spanish): extract every patient-facing msgid (babel.cfg, the engine's label
# tables and the data columns in toolkit/faces/words.py), merge it into toolkit/locale/es/LC_MESSAGES/
# messages.po, then list what still has no Spanish entry (fails if any: translate them and run it again).
i18n: setup
	$(BIN)/python tools/i18n.py extract
	$(BIN)/python tools/i18n.py check

# Two pytest-xdist workers, one per core of the reference machines (TEST_WORKERS=0 runs in one
# process). Each test file stays in one worker (--dist loadfile in pyproject.toml), so a
# notebook's cells run in one kernel and a module's fixtures (Voila, Chromium) start once.
TEST_WORKERS ?= 2
test: setup-test browser
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

# bench/run.py times the dashboard (ipywidgets), bench/scenarios.py the core, bench/voila_first_render.py
# Voila in Chromium (Playwright, from the test set)
bench: setup-test browser
	$(BIN)/python bench/run.py
	$(BIN)/python bench/scenarios.py
	$(BIN)/python bench/voila_first_render.py $(VOILA_FLAGS)

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
