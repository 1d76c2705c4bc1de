#!/usr/bin/env bash
# Set up the Python packages on a fresh machine (as root), then export the bundled catalogue.
# Usage: bash dashboard/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install -q --disable-pip-version-check -r requirements.txt
python -m geodata validate events.yaml
python -m geodata export events.yaml -o events.geojson
