# The two commands of the README: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ASSETS := inclusion/static/build/app.css
export FLASK_APP := inclusion

.PHONY: run test e2e bench lint audit lock assets install clean

LOCK := requirements/lock.txt

# The exact, hash-checked releases of requirements/lock.txt, then the app itself on top without resolving again.
$(STAMP): $(LOCK) setup.cfg pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/pip check
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

$(ASSETS): node_modules/.package-lock.json assets/build.mjs $(wildcard assets/scss/*.scss assets/js/*.js assets/offline/*.js assets/icons/*.png)
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

## Known vulnerabilities in the locked Python and the production npm dependencies (accepted ones: .ci/audit-allowlist.txt)
audit: $(STAMP)
	$(BIN)/python .ci/audit.py

## Re-resolve requirements/lock.txt from setup.cfg (the newest releases its ranges allow), and the production
## subset requirements/production.txt at the same releases; see docs/dependencies.md
lock: $(STAMP)
	$(BIN)/uv pip compile setup.cfg --extra test --extra postgres --generate-hashes --universal \
	  --python-version 3.11 --custom-compile-command "make lock" --quiet $(LOCK_ARGS) -o $(LOCK)
	$(BIN)/uv pip compile setup.cfg --extra postgres --constraint $(LOCK) --generate-hashes --universal \
	  --python-version 3.11 --custom-compile-command "make lock" --quiet -o requirements/production.txt

clean:
	rm -rf $(VENV) node_modules inclusion/static/build
