# The README's two commands live here: `make demo` and `make test`.
PY ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ASSETS := src/govinspect/web/static/web/vendor/echarts.min.js
PG_URL ?= postgres://postgres@127.0.0.1:5432/govinspect

.PHONY: setup demo test test-sqlite test-postgres lint serve clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# ECharts comes from npm at set-up and is served by the app itself (no CDN).
$(ASSETS): frontend/package-lock.json $(STAMP)
	npm ci --prefix frontend --no-audit --no-fund --loglevel=error
	$(BIN)/govinspect manage vendor_assets

setup: $(STAMP) $(ASSETS)

demo: setup
	$(BIN)/govinspect demo

serve: setup
	$(BIN)/govinspect serve

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

# The whole suite on SQLite (the default database), then the database tests again on
# PostgreSQL (the slow distributed tests already use a PostgreSQL database of their own).
test: setup lint test-sqlite test-postgres

test-sqlite:
	$(BIN)/python -m pytest -q -p no:cacheprovider tests

test-postgres:
	GOVINSPECT_DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest -q -p no:cacheprovider -m "not (slow or browser or network)" tests/integration

clean:
	rm -rf $(VENV) build *.egg-info frontend/node_modules $(ASSETS)
