# netwerkonderzoek — `make help` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
JOBS ?= 2

.PHONY: help setup run test lint format lab simulate bench clean

help: ## list the targets with one line each
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name netwerkonderzoek --display-name "Python (netwerkonderzoek)" > /dev/null
	touch $(STAMP)

setup: $(STAMP) ## create .venv and install the project with its dependencies

run: $(STAMP) ## run the evaluation study for every network in config/networks/
	$(BIN)/netwerkonderzoek run --all --jobs $(JOBS)

test: $(STAMP) ## run the whole test suite: unit tests, doctests and nbval over notebooks/
	MPLBACKEND=Agg $(BIN)/python -m pytest

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

clean: ## remove output/ and caches (keeps .venv)
	rm -rf output .pytest_cache .ruff_cache .hypothesis
