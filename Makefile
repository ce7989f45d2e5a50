# Two entry points (README.md): `make` sets up and runs the report batch; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
YEAR ?= 2023
KERNEL := hbt-analysis

.PHONY: all setup report validate test test-fast fuzz lint browser libreoffice clean-outputs

all: setup validate report

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (hbt-analysis)"
	touch $@

validate: setup
	$(BIN)/hbt validate

report: setup
	$(BIN)/hbt report --year $(YEAR)

# Chromium for the browser test, LibreOffice Calc for formulas stored without results:
# Debian's packages (root installs them; others are told how).
browser:
	@{ command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; } && \
	  command -v soffice >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq chromium fonts-noto-core libreoffice-calc-nogui >/dev/null; \
	  else echo "Install Chromium and LibreOffice for the tests: sudo apt-get install chromium libreoffice-calc-nogui" >&2; exit 1; fi; }

# LibreOffice Writer for old Word files (.doc) in the minutes tests (root installs it).
libreoffice:
	@dpkg -s libreoffice-writer-nogui >/dev/null 2>&1 || dpkg -s libreoffice-writer >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq libreoffice-writer-nogui >/dev/null; \
	  else echo "For .doc minutes: sudo apt-get install libreoffice-writer-nogui (the .doc tests skip without it)" >&2; fi; }

test: setup browser libreoffice
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
