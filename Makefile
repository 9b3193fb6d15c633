# One entry point per job. Each target creates the project's virtual environment first.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: venv book test synth reproduce benchmark clean

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

## Run the whole test suite (unit tests, reproduction checks, notebook checks).
test: venv
	$(BIN)/python -m pytest

## Regenerate the synthetic dataset (deterministic for a given seed).
synth: venv
	$(BIN)/cocapp synth --seed 2016 --out data/synthetic

## Print the reproduction summary of the published numbers.
reproduce: venv
	$(BIN)/cocapp reproduce

benchmark: venv
	$(BIN)/python benchmarks/build_book.py

clean:
	rm -rf _build $(VENV)
