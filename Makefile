# vanban — everyday commands. Only python3 (>= 3.11) and make are needed on a fresh machine:
# `make install` bootstraps uv into .tools/ and installs the locked dependencies into .venv/.
PYTHON ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
UV_VERSION := 0.13.8
VENV := .venv
BIN := $(VENV)/bin
DATA_DIR ?= ./var
SHARED_DATA ?= $(or $(VANBAN_SHARED_DATA),../shared/data)
export UV_PROJECT_ENVIRONMENT := $(abspath $(VENV))

.PHONY: install browser run serve test test-fast lint typecheck train bench bench-quick clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(BIN)/.installed: $(UV) pyproject.toml uv.lock
	$(UV) sync --locked --all-groups --python $(PYTHON)
	touch $@

install: $(BIN)/.installed

# The browser test drives Debian's Chromium (never a downloaded browser). Installed when missing and we are
# root (CI, a fresh machine); otherwise the test says why it cannot run.
browser:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing Debian's chromium for the browser test"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

# Set up, load the demo corpus and train a model on it if the data directory is empty, then serve on
# http://127.0.0.1:8000 in local mode (the admin key is printed at start).
run: install
	$(BIN)/vanban --data-dir $(DATA_DIR) serve --bootstrap-demo

test: install browser
	$(BIN)/python -m pytest -q

test-fast: install
	$(BIN)/python -m pytest -q -m "not slow" --ignore=tests/browser

lint: install
	$(BIN)/ruff check nlp corpus models service tests bench
	$(BIN)/mypy

# Static type check of nlp corpus models service bench (settings: [tool.mypy] in pyproject.toml).
typecheck: install
	$(BIN)/mypy

# Train the default recipe (labelled corpora of ../shared/data, docs/models.md) into $(DATA_DIR) and activate it.
train: install
	VANBAN_SHARED_DATA=$(SHARED_DATA) $(BIN)/vanban --data-dir $(DATA_DIR) train --activate

# Benchmarks of issue 6 (bench/run_all.py): every benchmark at full size (~15 min on a quiet 2-core machine) and the
# generated part of docs/benchmarks.md rewritten; bench-quick: small sizes, under 3 minutes, one verdict line
# per benchmark at the end.
bench: install
	VANBAN_SHARED_DATA=$(SHARED_DATA) $(BIN)/python bench/run_all.py --docs docs/benchmarks.md

bench-quick: install
	VANBAN_SHARED_DATA=$(SHARED_DATA) $(BIN)/python bench/run_all.py --quick

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache .mypy_cache
