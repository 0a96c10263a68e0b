# Two commands from a fresh clone: `make build` (set up, then build the site) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: build test setup clean

$(BIN)/newsgen: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

setup: $(BIN)/newsgen

build: setup
	$(BIN)/newsgen build

test: setup
	$(BIN)/python -m pytest -q

clean:
	rm -rf build $(VENV)
