PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench eval train lint install clean

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,train,ray,datatrove]'
	touch $(STAMP)

install: $(STAMP)

SAMPLE := tests/fixtures/01_river_flood_top_residue.txt

demo: $(STAMP)
	@echo "== the input: $(SAMPLE) =="
	@cat $(SAMPLE)
	@echo
	@echo "== cleaner clean --explain: the decisions (stderr) =="
	@$(BIN)/cleaner clean --explain $(SAMPLE) 2>&1 >/dev/null
	@echo
	@echo "== cleaner clean: the clean text (stdout) =="
	@$(BIN)/cleaner clean $(SAMPLE)

test: $(STAMP)
	$(BIN)/python -m pytest -q

eval: $(STAMP)
	$(BIN)/python -m cleaner.evaluate

train: $(STAMP)
	$(BIN)/cleaner train

bench: $(STAMP)
	$(BIN)/python -m bench.throughput

lint: $(STAMP)
	$(BIN)/python -m pip install --quiet ruff
	$(BIN)/ruff check cleaner tests bench

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
