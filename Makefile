# Two commands set everything up on a fresh machine: `make run` and `make test`.

VENV    ?= .venv
PYTHON  ?= python3
BIN     := $(VENV)/bin
HOST    ?= 127.0.0.1
PORT    ?= 5000
PYTEST_ARGS ?=

.PHONY: run test lint typecheck pytest install install-dev bench example clean

# Reinstall whenever pyproject.toml changes; the stamp files record what was installed.
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# Ghost's own JavaScript client, for the compatibility test; skipped when this machine has no npm.
GHOST_CLIENT := tests/ghost/node/node_modules/.package-lock.json
$(GHOST_CLIENT): tests/ghost/node/package-lock.json
	cd tests/ghost/node && npm ci --no-audit --no-fund --loglevel=error
NODE_DEPS := $(if $(shell command -v npm),$(GHOST_CLIENT))

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/cms db upgrade
	$(BIN)/cms demo load
	@f="$${CMS_INSTANCE_PATH:-instance}/demo-admin.txt"; test ! -f "$$f" || { echo; cat "$$f"; echo "Staff UI: http://$(HOST):$(PORT)/admin"; echo; }
	$(BIN)/cms run --host $(HOST) --port $(PORT)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install-dev
	$(BIN)/mypy

pytest: install-dev $(NODE_DEPS)
	$(BIN)/pytest --cov --cov-report=term $(PYTEST_ARGS)

test: lint typecheck pytest

# Load benchmark (bench/): data sets in bench/data/ (kept between runs), gunicorn under wrk, results in
# bench/RESULTS.md. BENCH_QUICK=1 is a one-to-two-minute smoke run; BENCH_DURATION, BENCH_REPS,
# BENCH_SIZES, BENCH_DATABASES tune the full one (see bench/run.py).
bench: install
	$(BIN)/python -m bench.run

# The example frontend (examples/frontend/, static files) on EXAMPLE_PORT beside the CMS on PORT.
# The CMS allows the page's origin by name, so votes and sign-ins can use cookies. Ctrl-C stops both.
EXAMPLE_PORT ?= 8000
example: install
	$(BIN)/cms db upgrade
	$(BIN)/cms demo load
	@echo "Example frontend: http://$(HOST):$(EXAMPLE_PORT)/?api=http://$(HOST):$(PORT)/api/v1"
	$(BIN)/python -m http.server $(EXAMPLE_PORT) --bind $(HOST) --directory examples/frontend & \
	  static=$$!; trap 'kill $$static' EXIT INT TERM; \
	  CMS_CORS_ORIGINS=http://$(HOST):$(EXAMPLE_PORT) $(BIN)/cms run --host $(HOST) --port $(PORT)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .coverage artifacts
