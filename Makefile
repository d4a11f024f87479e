# regionkunskap — the two commands: `make chat` and `make test`.
VENV   ?= .venv
PYTHON ?= python3
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
CORPUS ?= corpus

.PHONY: install chat status test test-fast lint bench docs

install: $(STAMP)

# Re-install whenever pyproject.toml changes. torch is pinned in pyproject to the CPU build on disk.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip setuptools wheel
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Bring the store in step with corpus/ (incremental: unchanged files are skipped), then start the chat.
chat: install
	-$(BIN)/regionkunskap ingest $(CORPUS) --prune   # a skipped file is reported, the chat still starts
	$(BIN)/regionkunskap chat

status: install
	$(BIN)/regionkunskap status

# Lint first: CI runs `make test`, so a lint, format or type error fails it too.
test: install lint
	$(BIN)/python -m pytest

# Everything but the tests that load the e5 model or start a server (Chroma, Gradio, chromium); it fails
# if a test in it imports torch or sentence-transformers (tests/conftest.py).
test-fast: install
	$(BIN)/python -m pytest -m "not slow"

# Lint, formatting and types (pyproject.toml: [tool.ruff], [tool.mypy]).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Refresh the README's pictures: the chat on a desktop and a phone (browser tests) and the eval comparison chart.
docs: install
	UPDATE_DOCS=1 $(BIN)/python -m pytest -q tests/assistant/test_chat_browser.py -k "readme_screenshot or phone"
	$(BIN)/regionkunskap eval --compare --chart docs/eval-compare.png

bench: install
	for f in benchmarks/bench_*.py; do $(BIN)/python $$f || exit 1; done
