# news-geotimeline: every target creates the environment when it is missing, then acts.
# `make report` renders the report of the bundled articles; `make test` runs every test.

SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench
ARTICLES ?= data/articles
REPORT ?= reports/report.html

.PHONY: env sysdeps report test lab bench lint clean help

help:
	@echo "make report  - render reports/report.html from $(ARTICLES) (creates .venv if missing)"
	@echo "make test    - run every test (creates .venv and installs system packages if missing)"
	@echo "make lab     - JupyterLab on notebooks/"
	@echo "make bench   - speed, memory and peers (writes bench/README.md figures to stdout)"

env: $(STAMP)

# The venv is rebuilt only when pyproject.toml changes; a second `make` is a no-op.
$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip 'setuptools>=77' wheel
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	@touch $(STAMP)

# Debian packages the tests need (headless Chromium for the report test). Installed only when
# missing, and only where we are root (CI is); elsewhere the browser test says how to get it.
sysdeps:
	@bash scripts/sysdeps.sh

report: $(STAMP)
	$(PY) -m analysis report $(ARTICLES) -o $(REPORT)

test: $(STAMP) sysdeps
	$(PY) -m pytest -q

lab: $(STAMP)
	$(VENV)/bin/jupyter lab notebooks/

# The peers (jionlp, dateparser, flashgeotext) are installed only for the benchmark.
$(BENCH_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	@touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(PY) -m bench $(BENCH_ARGS)

# ruff (style, imports, C901 complexity) and mypy (types of analysis/, config in pyproject.toml)
lint: $(STAMP)
	$(VENV)/bin/ruff check analysis tests bench eval
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) reports .pytest_cache
