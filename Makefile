# Casework: `make run` on a fresh machine, `make test` for the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
VENDOR := casework/web/static/vendor
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run install assets migrate demo serve test test-pg lint check-deploy security lock format bench clean

run: install assets migrate demo serve

$(BIN)/casework: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/casework

# Front-end files come from npm at build time and are served by us: no CDN at run time.
$(VENDOR)/htmx.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js
	touch $@

assets: $(VENDOR)/htmx.min.js

migrate: install
	$(BIN)/casework migrate --no-input -v0

demo: migrate
	$(BIN)/casework demo
	@echo ""
	@echo "Casework is starting at http://$(HOST):$(PORT)/"
	@echo "Sign in as alex (practitioner) or sam (supervisor); password: casework-demo"
	@echo ""

serve:
	$(BIN)/casework runserver $(HOST):$(PORT)

test: install assets
	$(BIN)/pytest -q

# The same suite against PostgreSQL (DATABASE_URL must point at a server).
test-pg: install assets
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/casework} $(BIN)/pytest -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=casework.settings_test $(BIN)/casework makemigrations --check --dry-run
	$(MAKE) --no-print-directory check-deploy

# The production settings must pass Django's deployment checklist with no warning at all.
check-deploy: install
	DJANGO_SETTINGS_MODULE=casework.settings_production ALLOWED_HOSTS=casework.example.org \
	SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))') \
	$(BIN)/python -m django check --deploy --fail-level WARNING

# bandit on the package, pip-audit on requirements.lock, and a short schemathesis run against
# /api/openapi.json on a throwaway database (about a minute and a half; no server error allowed).
security: install
	@echo "== bandit"
	$(BIN)/bandit -c pyproject.toml -r casework -q
	@echo "== pip-audit"
	$(BIN)/python scripts/audit_dependencies.py requirements.lock
	@echo "== schemathesis"
	$(BIN)/python scripts/schemathesis_run.py --max-examples 20

# requirements.lock pins every installed package (what pip-audit checks); refresh it after
# changing dependencies in pyproject.toml.
lock: install
	@echo "# Every package in the development environment, pinned: \`make lock\` writes it, \`make security\` audits it." > requirements.lock
	$(BIN)/pip freeze --exclude-editable --local >> requirements.lock

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules staticfiles $(VENDOR)
