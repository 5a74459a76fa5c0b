# reconsult: every target bootstraps .venv by itself, so on a fresh machine
#   make run    # installs into .venv and starts reconsult
#   make test   # installs into .venv and runs lint and the tests
# Needs only Python 3.11 (with venv and pip), make, and gcc + Python headers
# (medspaCy's dependencies compile from source). `make test` also needs
# Debian's Chromium (/usr/bin/chromium) and Node with npm for the browser
# tests; .ci/run installs them with apt-get when missing. Point at another
# interpreter with: make PYTHON=/path/to/python3.11 test

PYTHON      ?= python3
VENV        := .venv
BIN         := $(VENV)/bin
LOCK        := requirements/dev.lock
AXE         := node_modules/axe-core/axe.min.js
PIP_TOOLS   ?= pip-tools==7.6.2
PYTEST_ARGS ?=
# pytest-xdist workers for `make test`: auto is one per CPU (tests/conftest.py);
# PYTEST_WORKERS=0 runs the suite in this one process. pytest keeps the test modules it
# rewrites (and the plugins', about 460) as bytecode in __pycache__; where the environment
# sets PYTHONDONTWRITEBYTECODE, every worker would rewrite them again (10 s each).
PYTEST_WORKERS ?= auto
RUN_ARGS    ?=
BENCH_ARGS  ?=
API_BENCH_ARGS ?=

.DEFAULT_GOAL := help

.PHONY: help run test bench lint lock clean messages

help:
	@echo "make run    # installs into .venv and starts the web app on http://127.0.0.1:8000"
	@echo "make test   # installs into .venv and runs lint and the tests (PYTEST_ARGS=..., PYTEST_WORKERS=auto)"
	@echo "make bench  # vignette scores and latency, API load test, reading age of the pages"
	@echo "make lint   # ruff check, ruff format --check, mypy src"
	@echo "make lock   # regenerates $(LOCK) with pip-compile"
	@echo "make messages # brings the Spanish catalogues in step with the English words"
	@echo "make clean  # removes .venv and caches"

# The virtual environment itself: made once, with a Python 3.11 check first.
$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null || { \
	  echo "reconsult needs Python 3.11, but PYTHON=$(PYTHON) is: $$(command -v $(PYTHON) >/dev/null && $(PYTHON) --version 2>&1 || echo 'not found')" >&2; \
	  echo "Install Python 3.11 and run, for example: make PYTHON=python3.11 $(MAKECMDGOALS)" >&2; \
	  exit 1; }
	$(PYTHON) -m venv $(VENV) || { \
	  echo "Could not create $(VENV). On Debian/Ubuntu: apt-get install python3.11-venv" >&2; \
	  rm -rf $(VENV); exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip

# Sentinel: reinstall whenever pyproject.toml or the lock changes.
$(VENV)/.installed: $(BIN)/python pyproject.toml $(LOCK)
	@$(BIN)/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || { \
	  echo "$(VENV) is not a Python 3.11 environment; run 'make clean' and try again." >&2; \
	  exit 1; }
	@echo "Installing reconsult and its pinned dependencies into $(VENV) (the first time takes about a minute)..."
	$(BIN)/python -m pip install --quiet -c $(LOCK) -e '.[dev]'
	touch $@

# axe-core, injected into pages by the browser tests (the app ships no
# JavaScript). npm ci installs exactly the version package-lock.json pins;
# touch, because npm gives unpacked files a fixed old timestamp.
$(AXE): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  echo "The browser tests need npm to install axe-core. On Debian: apt-get install nodejs npm" >&2; \
	  exit 1; }
	npm ci --no-audit --no-fund
	touch $@

run: $(VENV)/.installed
	$(BIN)/reconsult serve $(RUN_ARGS)

test: $(VENV)/.installed $(AXE)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

bench: $(VENV)/.installed
	$(BIN)/python bench/assess_bench.py $(BENCH_ARGS)
	$(BIN)/python bench/assess_bench.py --vignettes bench/paraphrases.jsonl --no-cli --passes 5 $(BENCH_ARGS)
	$(BIN)/python bench/api_bench.py $(API_BENCH_ARGS)
	$(BIN)/python bench/reading_age.py
	$(BIN)/python bench/packet_bench.py
	$(BIN)/python bench/providers_bench.py $(PROVIDERS_BENCH_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy src

# Needs only the venv (not the sentinel, which depends on the lock itself).
# --no-emit-*: keep this machine's pip index settings out of the lock.
lock: $(BIN)/python
	$(BIN)/python -m pip install --quiet '$(PIP_TOOLS)'
	$(BIN)/pip-compile --extra dev --strip-extras --no-emit-index-url --no-emit-find-links \
	  -o $(LOCK) pyproject.toml

# The words to translate: the pages' and the code's (babel.cfg) into each language's
# catalogue under src/reconsult/i18n/locale, the knowledge base's into its wording.po.
# New words get empty entries, changed ones keep their old text marked fuzzy; both show in
# English until written, and tests/test_translations.py fails until they are.
messages: $(VENV)/.installed
	@mkdir -p build
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output \
	  --project reconsult -o build/messages.pot src
	$(BIN)/pybabel update -i build/messages.pot -d src/reconsult/i18n/locale \
	  --no-location --ignore-obsolete --width 88
	$(BIN)/reconsult knowledge wording es

clean:
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache .hypothesis build dist src/*.egg-info
	find . -name __pycache__ -type d -prune -not -path './.git/*' -exec rm -rf {} +
