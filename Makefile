# Two commands for a fresh machine: `make demo` and `make test`.
# Each creates .venv if it is missing and installs what it needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.keras_act-installed
export TF_CPP_MIN_LOG_LEVEL ?= 2

.PHONY: demo test docs docs-serve benchmark clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml constraints.txt | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(PY) examples/quickstart.py

# The whole suite once per Keras backend (float64 on JAX needs JAX_ENABLE_X64).
# pytest exits non-zero on a failure and also when it collects no test (5);
# every backend runs, then each one's counts are printed and any failure fails.
# Tests marked `once` (independent of the backend) run in the first backend's
# run only. Each backend's run is spread over TEST_WORKERS processes (one per
# core, at most 4; pytest-xdist), whole test files to a worker, so a file's
# fixtures are built once; TEST_WORKERS=0 runs in one process.
BACKENDS ?= tensorflow jax torch
TEST_WORKERS ?= $(shell $(PYTHON) -c 'import os; print(min(4, len(os.sched_getaffinity(0))))')
test: $(STAMP)
	@failed=""; once=1; for backend in $(BACKENDS); do \
		echo "=== KERAS_BACKEND=$$backend$$([ $$once = 1 ] || echo ' (tests marked once deselected)')"; \
		{ KERAS_BACKEND=$$backend JAX_ENABLE_X64=1 KERAS_ACT_ONCE_TESTS=$$once $(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS); \
		  echo $$? > $(VENV)/pytest-$$backend.status; } 2>&1 | tee $(VENV)/pytest-$$backend.log; \
		[ "$$(cat $(VENV)/pytest-$$backend.status)" = 0 ] || failed="$$failed $$backend"; \
		once=0; \
	done; \
	for backend in $(BACKENDS); do \
		echo "$$backend: $$(grep -E '^=+ .* in [0-9.]+s' $(VENV)/pytest-$$backend.log | tail -n 1 | tr -d '=' | sed 's/^ *//')"; \
	done; \
	if [ -n "$$failed" ]; then echo "make test failed on:$$failed"; exit 1; fi

# Regenerate the README's activation table from the records, then build the
# documentation site into site/ (mkdocs.yml; the page and picture of every id
# and layer are generated while it builds, from the records).
# `make docs-serve` serves the site on http://127.0.0.1:8000 and rebuilds on edits.
# NO_MKDOCS_2_WARNING silences Material's notice about its successor.
docs: $(STAMP)
	$(PY) -m keras_act._docs README.md
	NO_MKDOCS_2_WARNING=1 $(PY) -m mkdocs build --strict

docs-serve: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(PY) -m mkdocs serve

# Speed, memory and export against Keras's built-ins, one backend after another:
# about 2 hours on 2 idle cores (TensorFlow 55 min with the export check, JAX 20,
# PyTorch 35; see benchmarks/NOTES.md). Not part of `make test`. Each run rewrites
# its results file and benchmarks/RESULTS.md; TensorFlow's also export.json.
benchmark: $(STAMP)
	KERAS_BACKEND=tensorflow $(PY) -m benchmarks.run
	KERAS_BACKEND=jax $(PY) -m benchmarks.run
	KERAS_BACKEND=torch $(PY) -m benchmarks.run

clean:
	rm -rf $(VENV) build dist site *.egg-info .pytest_cache .hypothesis
