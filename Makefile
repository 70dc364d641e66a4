# The two commands of the README: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ASSETS := inclusion/static/build/app.css
export FLASK_APP := inclusion

.PHONY: run test e2e bench lint assets install clean

$(STAMP): setup.cfg pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,postgres]'
	touch $(STAMP)

install: $(STAMP)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

$(ASSETS): node_modules/.package-lock.json assets/build.mjs $(wildcard assets/scss/*.scss assets/js/*.js)
	npm run --silent build

assets: $(ASSETS)

## Serve the demo on http://127.0.0.1:5000 (sets everything up the first time)
run: $(STAMP) $(ASSETS)
	INCLUSION_ENV=development $(BIN)/flask db upgrade
	INCLUSION_ENV=development $(BIN)/flask demo seed --if-empty
	INCLUSION_ENV=development $(BIN)/flask run --host 127.0.0.1 --port 5000

## The whole suite: SQLite by default, PostgreSQL when TEST_DATABASE_URL is set
test: $(STAMP) $(ASSETS)
	$(BIN)/pytest $(PYTEST_ARGS)

## Browser tests only
e2e: $(STAMP) $(ASSETS)
	$(BIN)/pytest tests/e2e $(PYTEST_ARGS)

## Benchmarks at alliance scale (not part of `make test`)
bench: $(STAMP) $(ASSETS)
	$(BIN)/python -m bench.run

## ruff: formatting and lint over the whole tree, migrations included
lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) node_modules inclusion/static/build
