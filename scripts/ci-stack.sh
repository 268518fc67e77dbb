#!/usr/bin/env bash
# CI's production-stack check (.ci/run calls it after the PostgreSQL tests; it also runs on
# its own): `make stack`, a short load test with the database comparison, and the stack
# stopped again whatever happens. About 3 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -f var/stack/state.json ]; then
    echo "A stack from before is still recorded in var/stack/: stop it first (make stack-stop)." >&2
    exit 1
fi
if [ "$(id -u)" = 0 ]; then
    need=()
    command -v redis-server >/dev/null || need+=(redis-server)
    [ -x /usr/sbin/nginx ] || need+=(nginx)
    if [ ${#need[@]} -gt 0 ]; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y -q "${need[@]}" >/dev/null \
            || { apt-get update -q >/dev/null && apt-get install -y -q "${need[@]}" >/dev/null; }
    fi
fi

stop_stack() {
    status=$?
    if [ "$status" != 0 ]; then
        echo "=== the stack check failed; the end of each log in var/stack/ ===" >&2
        for log in var/stack/*.log var/stack/load/locust.log; do
            [ -f "$log" ] && { echo "--- $log" >&2; tail -n 25 "$log" >&2; }
        done
    fi
    .venv/bin/python scripts/stack.py stop || true
    exit "$status"
}
trap stop_stack EXIT

make stack
make load LOAD_USERS="${CI_LOAD_USERS:-50}" LOAD_SECONDS="${CI_LOAD_SECONDS:-30}"
