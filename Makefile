# Two entry points (README.md): `make` sets up and runs the report batch; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
YEAR ?= 2023
KERNEL := hbt-analysis
# Git's clean filter for notebooks (.gitattributes): outputs, counts and the Python patch
# version stripped, cell ids kept. Relative, so each clone or worktree uses its own .venv.
NBSTRIPOUT = $(BIN)/python -m nbstripout --keep-id --extra-keys metadata.language_info.version

.PHONY: all setup git-filter report validate test test-fast fuzz lint system clean-outputs

all: setup validate report

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (hbt-analysis)"
	@$(MAKE) --no-print-directory git-filter
	touch $@

# Notebooks are committed without outputs: `git add` and `git diff` see them through
# nbstripout, so a notebook run and saved in JupyterLab shows no change (outside git: nothing).
git-filter:
	@if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
	  git config filter.nbstripout.clean '$(NBSTRIPOUT)' && \
	  git config filter.nbstripout.smudge cat && \
	  git config diff.ipynb.textconv '$(NBSTRIPOUT) -t' && \
	  echo "git: notebooks are stripped of outputs by nbstripout (.gitattributes)"; fi

validate: setup
	$(BIN)/hbt validate

report: setup
	$(BIN)/hbt report --year $(YEAR)

# Debian's packages the tests use (root installs what is missing; others are told how):
# Chromium (browser tests), LibreOffice Calc and Writer (formulas stored without results,
# .doc minutes, Word to PDF; python3-uno: typing into Calc), poppler (PDF pages).
SYSTEM_PACKAGES := chromium fonts-noto-core libreoffice-calc-nogui libreoffice-writer-nogui python3-uno poppler-utils
system:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Install for the tests: sudo apt-get install $$missing" >&2; exit 1; fi; fi

test: setup system
	$(BIN)/python -m pytest -n 2

test-fast: setup
	$(BIN)/python -m pytest -n 2 -m "not slow"

# Property tests with fresh random examples, FUZZ_RUNS times (make test replays fixed ones).
FUZZ_RUNS ?= 20
fuzz: setup
	@for i in $$(seq 1 $(FUZZ_RUNS)); do \
	  echo "fuzz run $$i/$(FUZZ_RUNS)"; \
	  HBT_HYPOTHESIS=explore $(BIN)/python -m pytest -q -x -p no:cacheprovider -m hypothesis -n 2 || exit 1; \
	done

lint: setup
	$(BIN)/ruff check .

clean-outputs:
	rm -rf outputs/reports
