# The README's two commands live here: `make demo` and `make test`.
PY ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test test-postgres lint clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/govinspect demo

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

# SQLite first (the default database), then the same suite on PostgreSQL.
test: $(STAMP) lint
	$(BIN)/python -m pytest -q -m "not browser" -p no:cacheprovider
	GOVINSPECT_DATABASE_URL=postgres://postgres@127.0.0.1:5432/govinspect $(BIN)/python -m pytest -q -m "postgres or not (slow or browser or network)" -p no:cacheprovider tests

clean:
	rm -rf $(VENV) build *.egg-info
