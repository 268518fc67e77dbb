#!/usr/bin/env bash
# Make sure the system packages the tests need are here: Debian's Chromium for the browser
# tests (never `playwright install`: it downloads a browser, and there is no internet here).
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "Installing ${missing[*]} with apt-get ..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q "${missing[@]}" >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q "${missing[@]}" >/dev/null; }
else
    echo "The browser tests need: ${missing[*]}. Run this once, then 'make test' again:" >&2
    echo "    sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
