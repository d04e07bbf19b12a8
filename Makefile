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
	@test ! -f instance/demo-admin.txt || { echo; cat instance/demo-admin.txt; echo "Staff UI: http://$(HOST):$(PORT)/admin"; echo; }
	$(BIN)/cms run --host $(HOST) --port $(PORT)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install-dev
	$(BIN)/mypy

pytest: install-dev $(NODE_DEPS)
	$(BIN)/pytest --cov --cov-report=term $(PYTEST_ARGS)

test: lint typecheck pytest

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .coverage artifacts
