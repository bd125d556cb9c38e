# netwerkonderzoek — `make help` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
JOBS ?= 2

.PHONY: help setup run test test-fast lint format lab simulate bench docs lock clean

help: ## list the targets with one line each
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name netwerkonderzoek --display-name "Python (netwerkonderzoek)" > /dev/null
	touch $(STAMP)

setup: $(STAMP) ## create .venv and install the project with its dependencies

run: $(STAMP) ## run the evaluation study for every network in config/networks/
	$(BIN)/netwerkonderzoek run --all --jobs $(JOBS)

test: $(STAMP) ## run the whole test suite: unit tests, doctests and nbval over notebooks/
	MPLBACKEND=Agg $(BIN)/python -m pytest

test-fast: $(STAMP) ## the edit-test loop: all but the slow, batch and browser tests, on 2 cores (about 2 minutes)
	MPLBACKEND=Agg $(BIN)/python -m pytest -m "not slow and not e2e" -n 2 --dist loadfile

lint: $(STAMP) ## check code style with ruff
	$(BIN)/ruff check netwerkonderzoek tests benchmarks
	$(BIN)/ruff format --check netwerkonderzoek tests benchmarks

format: $(STAMP) ## format the code with ruff
	$(BIN)/ruff format netwerkonderzoek tests benchmarks

lab: $(STAMP) ## open JupyterLab on notebooks/ with the project's kernel
	$(BIN)/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

simulate: $(STAMP) ## regenerate the example networks (data/ and config/) from the simulator
	$(BIN)/netwerkonderzoek simulate

bench: $(STAMP) ## run the benchmarks in benchmarks/ and print their figures
	@for script in benchmarks/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

docs: $(STAMP) ## build the documentation offline into docs/_build/html (warnings are errors)
	$(BIN)/sphinx-build -W --keep-going -b html docs docs/_build/html
	@echo "open docs/_build/html/index.html"

lock: $(STAMP) ## write constraints.txt: the exact versions installed in .venv (run make test after)
	@{ sed -n '1,3p' constraints.txt; $(BIN)/python -m pip freeze --exclude-editable; } > constraints.txt.new
	mv constraints.txt.new constraints.txt

clean: ## remove output/ and caches (keeps .venv)
	rm -rf output .pytest_cache .ruff_cache .hypothesis
