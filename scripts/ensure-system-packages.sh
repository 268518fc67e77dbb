#!/usr/bin/env bash
# Make sure the Debian packages the tests need are here:
#   chromium             the browser tests (never `playwright install`: it downloads a browser)
#   poppler-utils        pdftotext, to read certificate PDFs back in the tests
#   libharfbuzz-subset0  lets WeasyPrint embed only the glyphs a PDF uses
#   gettext              xgettext/msgfmt, to check the translations are complete and current
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset || missing+=(libharfbuzz-subset0)
command -v xgettext >/dev/null && command -v msgfmt >/dev/null || missing+=(gettext)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "Installing ${missing[*]} with apt-get ..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q "${missing[@]}" >/dev/null \
        || { apt-get update -q >/dev/null && apt-get install -y -q "${missing[@]}" >/dev/null; }
else
    echo "The tests need: ${missing[*]}. Run this once, then 'make test' again:" >&2
    echo "    sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
