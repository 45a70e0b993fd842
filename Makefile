# Two entry points: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install lint shell bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/followthrough serve

shell: $(STAMP)
	$(BIN)/followthrough shell

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/pytest

# Figures, not tests: start-up time, fan-out against Slack-like rate limits, posts after late answers,
# /progress throughput, every health finding of a large workspace, attention over four weeks, the dashboard,
# the digest and due decisions, a large deployment (bench.scale: about
# 10 minutes with its seeding; `python -m bench.scale --small` is the quick run).
bench: $(STAMP)
	$(BIN)/python bench/startup.py
	$(BIN)/python -m bench.fanout
	$(BIN)/python -m bench.late_answers
	$(BIN)/python -m bench.progress
	$(BIN)/python -m bench.health
	$(BIN)/python -m bench.attention
	$(BIN)/python -m bench.dashboard
	$(BIN)/python -m bench.digest
	$(BIN)/python -m bench.scale

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) data/*.db
