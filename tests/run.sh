#!/usr/bin/env bash
# Set up everything the tests need on a fresh Debian machine (as root), then run them.
# Usage: bash tests/run.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium >/dev/null
fi
python -m pip install -q --disable-pip-version-check -r tests/requirements.txt
python -m pip install -q --disable-pip-version-check --no-deps -e .
python -m pytest tests "$@"
