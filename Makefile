# Two commands matter: `make run` (the portal with demo data) and `make test` (the whole suite).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
# The embedded default: DEBUG on, for this checkout only (production sets its own environment). PORT reaches
# every process so that printed links and e-mailed links (settings.SITE_URL) point at this portal.
LOCAL  := DJANGO_DEBUG=$${DJANGO_DEBUG:-true} PORT=$(PORT)
# Compiled modules are kept, under .run/pycache (nothing beside the sources), even where the environment says
# not to write them (PYTHONDONTWRITEBYTECODE): otherwise every Python process compiles Django and the rest
# again, ~2.5 CPU-s per process start and ~8 for a pytest process, and the suite starts dozens of processes.
export PYTHONPYCACHEPREFIX := $(CURDIR)/.run/pycache
unexport PYTHONDONTWRITEBYTECODE

.PHONY: fuzz install run test bench lint format migrate seed worker clean prod faults messages load

# uv installs the pinned dependencies in seconds where pip takes most of a minute (same versions, same
# registry); it comes from PyPI into the venv itself, so a fresh clone still needs only Python and make.
$(VENV)/.installed: pyproject.toml
	@mkdir -p .run
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.9
	$(BIN)/uv pip install --python $(BIN)/python --quiet -e ".[dev]"
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

# Two pytest processes side by side, one per core, that share the suite piece by piece (tests/run_suite.py,
# tests/split.py): the worker tests pinned to the first, the schemathesis runs to the second.
test: install
	$(BIN)/python tests/run_suite.py $(PYTEST_ARGS)

bench: install
	$(BIN)/python -m pytest tests/bench -m bench -p no:randomly -s $(PYTEST_ARGS)

# Lint, format, migrations in step with the models, the layers of DESIGN.md (import-linter), and the templates'
# lint and format (djLint).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	# The models against the migration files only: no database to ask (CI's DATABASE_URL names one not made yet).
	$(LOCAL) DATABASE_URL=sqlite:///:memory: $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports
	$(BIN)/djlint apps templates --lint
	$(BIN)/djlint apps templates --check

# Translations (French beside English): each app keeps its catalog in apps/<app>/locale/fr/LC_MESSAGES/, the
# shared templates and settings theirs in locale/. `make messages` re-extracts every catalog and compiles it;
# the .mo files are committed, so a fresh clone needs no gettext. Translate each new msgstr.
messages: install
	@$(LOCAL) $(BIN)/python manage.py makemessages -l fr --add-location file --no-obsolete \
	  --ignore=.venv --ignore=.run --ignore=tests --ignore=static >/dev/null
	@find . -path ./.venv -prune -o -name django.po -print | xargs sed -i '/^"POT-Creation-Date: /d'
	@$(LOCAL) $(BIN)/python manage.py compilemessages --ignore=.venv >/dev/null
	@echo "catalogs updated: translate the empty msgstr entries (git diff '*.po')"

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	-$(BIN)/djlint apps templates --reformat --quiet  # exits 1 when it changed a file

# Deeper fuzzing than the suite's (tests/contract/fuzz.py): four times the generated cases of every schemathesis
# run, new ones each time (not derandomized); not part of `make test`. FUZZ_DEPTH=10 goes further.
FUZZ_DEPTH ?= 4
fuzz: install
	FUZZ_DEPTH=$(FUZZ_DEPTH) FUZZ_RANDOM=1 $(BIN)/python -m pytest tests -m fuzz -p no:randomly $(PYTEST_ARGS)

# Reliability (issue 11): the fault suite (SIGKILLed worker, Redis restarted with tasks queued, PostgreSQL
# away for seconds) against PostgreSQL and a Redis of its own; not part of `make test`; .ci/run runs it beside
# the tests (it mostly waits).
faults: install
	$(BIN)/python -m pytest tests/faults -m faults -p no:randomly -p no:xdist $(PYTEST_ARGS)

# A bounded load test (issue 11), loopback only, ~2-3 minutes, not part of `make test`: its own PostgreSQL
# database (unique name, on DATABASE_URL's server), Redis, gunicorn and a Celery worker; 50 requests/s of mixed
# reads and writes for 60 s (LOAD_RATE, LOAD_SECONDS); p50/p95/p99 per endpoint, errors, every write checked
# afterwards; then everything it started is stopped and the database dropped. Exit status 1 on any error.
load: install
	$(BIN)/python tests/bench/load.py

# Production on this machine, no containers: the environment of README's "Production" (DJANGO_SECRET_KEY,
# DJANGO_ALLOWED_HOSTS, DATABASE_URL, CELERY_BROKER_URL, REDIS_URL ...) is the caller's. check --deploy
# first (fails loudly on a wildcard host), collectstatic, migrate, then the worker, beat and gunicorn.
prod: install
	$(BIN)/python manage.py collectstatic --noinput
	$(BIN)/python manage.py check --deploy --fail-level ERROR
	$(BIN)/python manage.py migrate --noinput
	@$(BIN)/celery -A config worker --loglevel=warning & WORKER=$$!; \
	  $(BIN)/celery -A config beat --loglevel=warning --schedule .run/celerybeat-schedule-prod & BEAT=$$!; \
	  trap 'kill $$WORKER $$BEAT 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/gunicorn -c config/gunicorn.conf.py config.wsgi

clean:
	rm -rf $(VENV) .run db.sqlite3
