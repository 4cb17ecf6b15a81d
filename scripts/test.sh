#!/usr/bin/env bash
# Run every test, browser tests in Debian's Chromium included. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh requirements-dev.txt
# Debian's Chromium (browser tests) and nginx (two app processes behind a proxy, tests/browser/test_skala_browser.py).
PAKET=()
command -v chromium >/dev/null 2>&1 || PAKET+=(chromium)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || PAKET+=(nginx)
if [ "${#PAKET[@]}" -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installerar ${PAKET[*]} från Debian (behövs för webbläsartesterna)…"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${PAKET[@]}" >/dev/null
  else
    echo "${PAKET[*]} saknas. Installera Debians paket: sudo apt-get install ${PAKET[*]}" >&2
    exit 1
  fi
fi
# Lint first (ruff, pinned in requirements-dev.txt, rules in pyproject.toml): a finding fails the run.
.venv/bin/ruff check .
exec .venv/bin/python -m pytest "$@"
