# One entry point per job. Each target creates the project's virtual environment first.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: venv browser book test test-fast lint format synth reproduce benchmark clean

venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

## Debian's chromium for the browser test (tests/browser), installed when missing; Playwright
## drives it and never downloads a browser of its own.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		if [ "$$(id -u)" -eq 0 ]; then SUDO=; \
		elif command -v sudo >/dev/null 2>&1; then SUDO=sudo; \
		else echo "chromium is missing and cannot be installed without root: apt-get install chromium" >&2; exit 1; fi; \
		$$SUDO apt-get update && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; }

## Execute every notebook on the default (synthetic) dataset and build the HTML book.
book: venv
	$(BIN)/cocapp book

## Lint and format checks, then the whole test suite (unit, slow, whole-book and browser tests).
test: lint browser
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(BIN)/python -m pytest

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
