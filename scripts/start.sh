#!/usr/bin/env bash
# Start the app on http://localhost:8501 (demo data is built on first start when data/ has none).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh requirements.txt
exec .venv/bin/python -m streamlit run app.py --server.port "${PORT:-8501}" "$@"
