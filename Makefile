# Two commands a new user needs: `make app` and `make test`. Both are idempotent.
PY      ?= python3.11
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
PORT    ?= 8501
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export STREAMLIT_BROWSER_GATHER_USAGE_STATS := false

.PHONY: app test install system-deps fonts demo lint bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)

# Re-install only when pyproject.toml changed. Plain pip: torch==2.13.0 (CPU) comes from the local wheel cache.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	# The embedding model exported once to ONNX (matcher/onnx_model.py), so no run pays for it.
	$(BIN)/python -c "from matcher.embedder import load_embedder; load_embedder()"
	touch $(STAMP)

install: $(STAMP)

# Chromium (end-to-end test), PostgreSQL (shared-deployment tests) and the PDF plan's fonts from Debian's packages.
system-deps:
	bash scripts/system-deps.sh

# Only the PDF plan's fonts (DejaVu, Noto for Urdu, Punjabi, Bengali, Hindi, Tigrinya, Chinese): the app needs these.
fonts:
	bash scripts/system-deps.sh fonts

# Loads the demo directory into an empty database (never over existing listings), then brings the index up to date.
demo: install
	$(BIN)/signpost demo

app: fonts demo
	$(BIN)/python scripts/serve_warm.py --server.port $(PORT) --browser.gatherUsageStats false

test: install system-deps
	$(BIN)/python -m pytest -n 2 -q

lint: install
	$(BIN)/ruff check .

bench: install
	$(BIN)/python bench/quality.py
	$(BIN)/python bench/speed.py --sizes 1000 10000

clean:
	rm -rf $(VENV) var/*.db* var/*.index
