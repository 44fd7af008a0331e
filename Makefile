# vanban — everyday commands. Only python3 (>= 3.11) and make are needed on a fresh machine:
# `make install` bootstraps uv into .tools/ and installs the locked dependencies into .venv/.
PYTHON ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
UV_VERSION := 0.13.8
VENV := .venv
BIN := $(VENV)/bin
DATA_DIR ?= ./var
export UV_PROJECT_ENVIRONMENT := $(abspath $(VENV))

.PHONY: install run test lint train bench bench-quick clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(BIN)/.installed: $(UV) pyproject.toml uv.lock
	$(UV) sync --locked --all-groups --python $(PYTHON)
	touch $@

install: $(BIN)/.installed

run: install
	$(BIN)/vanban --data-dir $(DATA_DIR) demo

test: install
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check nlp corpus models service tests bench

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache
