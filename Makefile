# One task file: set-up, serve, tests, lint, docs and benchmarks.
VENV ?= .venv
BIN = $(VENV)/bin
DATA ?= $(HOME)/.local/share/cardscan

.PHONY: setup serve test test-fast lint cog bench screenshots doctor

setup:
	./setup.sh

serve: setup
	$(BIN)/cardscan --data $(DATA) serve

doctor:
	$(BIN)/cardscan --data $(DATA) doctor

test:
	$(BIN)/python -m pytest

test-fast:
	$(BIN)/python -m pytest -q -m "not browser and not slow"

lint:
	$(BIN)/ruff check cardscan web tests scripts
	$(BIN)/ruff format --check cardscan web tests scripts
	$(BIN)/mypy
	$(BIN)/cog --check README.md docs/*.md

cog:
	$(BIN)/cog -r README.md docs/*.md

bench:
	$(BIN)/cardscan bench --images ../shared/cards/images --labels ../shared/cards/labels

screenshots:
	$(BIN)/python -m scripts.screenshots --out screenshots
