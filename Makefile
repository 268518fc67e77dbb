# Two commands: `make run` (set up everything and serve the platform) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
NODE_STAMP := node_modules/.installed-stamp
TEST_ENV := DJANGO_SETTINGS_MODULE=config.settings.test

.PHONY: run install test soak lint format bench bench-pairing clean messages h5p-report stack stack-stop load \
	drills backup restore backup-drill stack-test

$(STAMP): pyproject.toml requirements/constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements/constraints.txt ".[test]"
	touch $@

$(NODE_STAMP): package.json package-lock.json
	# --ignore-scripts: some browser packages run install scripts that need the network.
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

install: $(STAMP) $(NODE_STAMP)
	mkdir -p var

# The 'stack' extra (moto's S3 server, Locust): only `make stack` and `make load` need it.
STACK_STAMP := $(VENV)/.installed-stack-stamp
$(STACK_STAMP): $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements/constraints.txt ".[test,stack]"
	touch $@

# The production stack on loopback (docs/operations.md): PostgreSQL, Redis, an S3 object
# store, two gunicorn app servers and nginx, in var/stack/. `make stack-stop` ends it.
stack: install $(STACK_STAMP)
	$(PY) scripts/stack.py start

stack-stop:
	$(PY) scripts/stack.py stop

# Locust against the running stack, then every answer checked against the database.
LOAD_USERS ?= 300
LOAD_SECONDS ?= 180
load: $(STACK_STAMP)
	LOAD_USERS=$(LOAD_USERS) LOAD_SECONDS=$(LOAD_SECONDS) $(PY) scripts/loadtest/run.py

# Fault drills under load against the running stack (docs/operations.md, "Fault drills"):
# `make drills`, or one or more of them: `make drills DRILLS="app postgres"`.
DRILLS ?=
drills: $(STACK_STAMP)
	$(PY) scripts/drills.py $(DRILLS)

# The running stack's database and bucket into var/backups/<time>/ (docs/operations.md).
backup: $(STACK_STAMP)
	$(PY) scripts/backup.py backup

# A backup into a fresh stack in var/stack-restore/: `make restore BACKUP=var/backups/<time>`.
restore: $(STACK_STAMP)
	STACK_DIR=var/stack-restore $(PY) scripts/backup.py restore $(BACKUP)

# Backup, restore into a fresh stack, compare, stop it again; prints the dump time and RTO.
backup-drill: $(STACK_STAMP)
	$(PY) scripts/backup.py drill

# All of it: stack, load test, fault drills, backup drill, stack stopped (about 6.5 minutes).
stack-test: install $(STACK_STAMP)
	scripts/stack-test.sh

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --accounts
	$(PY) manage.py seed_catalogue --accounts
	$(PY) manage.py seed_helpers
	@echo ""
	@echo "Het leerplatform draait op http://127.0.0.1:8000  (beheer: http://127.0.0.1:8000/admin/)"
	$(PY) manage.py runserver 127.0.0.1:8000

# lint-imports: the arrows between the apps ([tool.importlinter] in pyproject.toml).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# One test process per core (pytest-xdist); `make test TEST_WORKERS=0` runs them in this one.
TEST_WORKERS ?= auto
test: install lint
	scripts/ensure-system-packages.sh
	$(TEST_ENV) $(PY) manage.py check
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -n $(TEST_WORKERS)

# The stateful learner test, much longer than in `make test` (random examples; a failure is
# kept in .hypothesis/ and tried first next time). See docs/architecture.md.
soak: install
	HYPOTHESIS_PROFILE=soak $(PY) -m pytest tests/learning/test_learner_life.py -x

# Measure real .h5p files in Chromium; writes courses/h5p/measured.json, prints the table.
H5P_DIR ?= ../shared/testdata/h5p-real
h5p-report: install
	$(TEST_ENV) $(PY) manage.py h5p_report $(H5P_DIR)

# After changing interface strings: update the catalogues, translate, run again to compile.
# tests/test_translations.py uses the same arguments and fails when this was forgotten.
MESSAGE_LANGUAGES := -l fr -l en -l pl -l uk -l ar
messages: install
	$(PY) manage.py makemessages $(MESSAGE_LANGUAGES) --ignore=".venv/*" --ignore="node_modules/*" \
		--ignore="var/*" --ignore="tests/*" --no-obsolete
	cd locale && ../$(PY) ../manage.py compilemessages

# `make bench BENCH_ARGS=--fresh` also times a fresh clone up to the first answered page.
BENCH_ARGS ?=
bench: install
	$(PY) scripts/bench.py $(BENCH_ARGS)

# oefen-itsme on a second device: the round trip from the phone's Bevestigen to the computer's
# done screen, 20 times in Chromium (docs/benchmarks.md, "Practice sandbox").
bench-pairing: install
	PAIRING_FIGURES=1 $(TEST_ENV) $(PY) -m pytest tests/journeys/test_sandbox_pairing.py -k figures -s -q -p no:cacheprovider

clean:
	rm -rf $(VENV) node_modules var/test-*.sqlite3
