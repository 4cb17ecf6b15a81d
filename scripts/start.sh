#!/usr/bin/env bash
# Start the app on http://localhost:8501 (demo data is built on first start when data/ has none).
# PROSESSER=2 (or more) runs that many app processes behind nginx with sticky sessions, nginx
# serving Streamlit's static files (scripts/start_flera.sh; README: Mer än en process och mer än en maskin).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh requirements.txt
if [ "${PROSESSER:-1}" -gt 1 ]; then
  # Build the demo data (if data/ has none) once, before several processes start at the same time.
  .venv/bin/python -c 'from beslutsstod.data import db; db.ensure_data()'
  exec bash scripts/start_flera.sh "$@"
fi
exec .venv/bin/python -m streamlit run app.py --server.port "${PORT:-8501}" "$@"
