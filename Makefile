# Two commands matter: `make run` (the portal with demo data) and `make test` (the whole suite).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
# The embedded default: DEBUG on, for this checkout only (production sets its own environment). PORT reaches
# every process so that printed links and e-mailed links (settings.SITE_URL) point at this portal.
LOCAL  := DJANGO_DEBUG=$${DJANGO_DEBUG:-true} PORT=$(PORT)

.PHONY: install run test bench lint format migrate seed worker clean

$(VENV)/.installed: pyproject.toml
	@mkdir -p .run
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

# Everything the embedded default writes lives in .run/ (ignored by git): the secret key, the broker's
# folders, e-mail, static files and the test databases.
.run/secret-key:
	@mkdir -p .run/broker/queue .run/broker/processed .run/broker/control .run/mail .run/staticfiles
	@$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@ && chmod 600 $@

install: $(VENV)/.installed .run/secret-key

migrate: install
	$(LOCAL) $(BIN)/python manage.py migrate --noinput

seed: migrate
	$(LOCAL) $(BIN)/python manage.py seed_demo

# The portal and a Celery worker (with beat) on the embedded default: SQLite and a file-system broker.
run: seed
	@echo "Starting the worker and the portal on http://$(HOST):$(PORT) (Ctrl-C stops both)"
	@$(LOCAL) $(BIN)/celery -A config worker --beat --pool=solo --loglevel=warning \
	  --schedule .run/celerybeat-schedule & WORKER=$$!; \
	  trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	  $(LOCAL) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install
	$(BIN)/python -m pytest tests/bench -m bench -p no:randomly -s $(PYTEST_ARGS)

# Lint, format, migrations in step with the models, and the layers of DESIGN.md (import-linter).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(LOCAL) $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .run db.sqlite3
