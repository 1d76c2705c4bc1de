#!/usr/bin/env bash
# Set up the Python packages on a fresh machine (as root), then start the dashboard on events.yaml.
# Usage: bash dashboard/run.sh [--port 8501] [-- --events PATH]
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install -q --disable-pip-version-check -r requirements.txt
exec python -m streamlit run dashboard/app.py --server.headless true --server.address 127.0.0.1 \
    --browser.gatherUsageStats false "$@"
