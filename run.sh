#!/usr/bin/env bash
# Set up and start the Stoplicht dashboard on the bundled sample data.
# First start: makes .venv, installs requirements.txt, generates the sample extract and loads it
# into data/stoplicht.duckdb (about a minute). Then: http://localhost:8501
set -euo pipefail
cd "$(dirname "$0")"
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
.venv/bin/python -m warehouse voorbeeld --db data/stoplicht.duckdb  # first start only
exec .venv/bin/streamlit run app.py "$@"
