#!/usr/bin/env bash
# `make stack-test`: the production stack on loopback, under load and under faults.
# Starts the stack if it is not running, runs the load test, the four fault drills
# (scripts/drills.py) and the backup-and-restore drill (scripts/backup.py drill), prints
# their figures, and stops the stack at the end whatever happens. Exits non-zero when any
# of them fails. 6 min 20 s on 2 cores (docs/operations.md, "Fault drills"): too long for
# .ci/run, which keeps scripts/ci-stack.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
started=$(date +%s)

stop_stack() {
    status=$?
    if [ "$status" != 0 ]; then
        echo "=== stack-test failed; the end of each log in var/stack/ ===" >&2
        for log in var/stack/*.log; do
            [ -f "$log" ] && { echo "--- $log" >&2; tail -n 15 "$log" >&2; }
        done
    fi
    "$PY" scripts/stack.py stop || true
    STACK_DIR=var/stack-restore "$PY" scripts/stack.py stop >/dev/null 2>&1 || true
    echo "[stack-test] $( [ "$status" = 0 ] && echo OK || echo FAILED ) after $(( $(date +%s) - started )) s"
    exit "$status"
}
trap stop_stack EXIT

section() { echo; echo "=== $1 ($(( $(date +%s) - started )) s) ==="; }

section "stack"
"$PY" scripts/stack.py status >/dev/null 2>&1 || make stack
section "load test"
make load LOAD_USERS="${STACK_TEST_USERS:-50}" LOAD_SECONDS="${STACK_TEST_SECONDS:-30}"
section "fault drills"
"$PY" scripts/drills.py
section "backup and restore drill"
"$PY" scripts/backup.py drill
