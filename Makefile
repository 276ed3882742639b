PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run serve test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/newsgraph extract examples/forum-2024-11-18.txt --format table
	$(BIN)/newsgraph ingest examples/forum-2024-11-18.txt --db newsgraph.db
	$(BIN)/newsgraph overview --db newsgraph.db

serve: $(STAMP)
	$(BIN)/newsgraph serve --db newsgraph.db

test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_extract.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
