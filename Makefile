# One entry point per job. Each target creates the project's virtual environment first.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: venv book test test-fast lint format synth reproduce benchmark clean

venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

## Execute every notebook on the default (synthetic) dataset and build the HTML book.
book: venv
	$(BIN)/cocapp book

## Lint and format checks, then the whole test suite (unit, slow and whole-book tests).
test: lint
	$(BIN)/python -m pytest

## The fast unit tests only (no generator runs, no book build).
test-fast: venv
	$(BIN)/python -m pytest -n 2 -m "not slow and not pipeline"

## ruff: lint rules and formatting (configured in pyproject.toml).
lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## Apply ruff's formatting and safe fixes.
format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Regenerate the synthetic dataset (deterministic for a given seed).
synth: venv
	$(BIN)/cocapp synth --seed 2016 --out data/synthetic

## Print the reproduction summary of the published numbers.
reproduce: venv
	$(BIN)/cocapp reproduce

benchmark: venv
	$(BIN)/python benchmarks/build_book.py
	$(BIN)/python benchmarks/prose_share.py

clean:
	rm -rf _build $(VENV)
