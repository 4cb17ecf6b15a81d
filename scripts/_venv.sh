# Sourced by start.sh and test.sh: a virtual environment in .venv with the pinned requirements.
# Reinstalls only when a requirements file changed (a stamp holds their checksum).
set -euo pipefail
REQ="$1"
PY="${PYTHON:-python3}"
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "Python 3.11 eller senare krävs (hittade: $("$PY" --version 2>&1))." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv || { echo "Kunde inte skapa .venv: installera python3-venv (sudo apt-get install python3-venv)." >&2; exit 1; }
fi
STAMP=".venv/.krav-$(basename "$REQ" .txt)"
SUM="$(cat requirements*.txt | sha256sum | cut -d' ' -f1)"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$SUM" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$REQ"
  echo "$SUM" > "$STAMP"
fi
