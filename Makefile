# The two commands of the README:  `make run`  and  `make test`.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SEED ?= tests/fixtures/seeds/004_af208e539dc26293.txt

.PHONY: install run test bench bench-service clean

$(BIN)/nianbao: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev,ocr,dask,parquet]'
	touch $(BIN)/nianbao

install: $(BIN)/nianbao

# Set up and run the main job on the embedded default: the seed reports batch-parsed into the
# SQLite store (./data) by local worker processes, then one report's summary.
run: install
	$(BIN)/nianbao batch tests/fixtures/seeds
	$(BIN)/nianbao parse $(SEED)

# Run the whole test suite; fails when no test ran (pytest exit 5 is non-zero).
test: install
	$(BIN)/python -m pytest

# Accuracy and speed (long: minutes); each writes benchmarks/results/<name>.md.
bench: install
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python benchmarks/tables.py
	$(BIN)/python benchmarks/claims.py
	$(BIN)/python benchmarks/statements.py
	$(BIN)/python benchmarks/batch.py

# The service under load on loopback: upload latency, GET p95 with 1,000 reports, 100 concurrent uploads.
bench-service: install
	$(BIN)/python benchmarks/service.py

clean:
	rm -rf $(VENV) build *.egg-info
