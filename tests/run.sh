#!/usr/bin/env bash
# Set up everything the tests need on a fresh Debian machine (as root), then run them.
# Usage: bash tests/run.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's packages the tests use: Chromium for the browser tests; PostgreSQL 15 and PostGIS for
# the store tests (they start a throwaway cluster of their own, and fail, not skip, without them);
# OpenMP's runtime for LightGBM.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ -x /usr/lib/postgresql/15/bin/initdb ] || missing+=(postgresql)
[ -f /usr/share/postgresql/15/extension/postgis.control ] || missing+=(postgresql-15-postgis-3)
# LightGBM (the place ranker) needs GNU OpenMP's runtime.
/sbin/ldconfig -p | grep -q 'libgomp\.so\.1' || missing+=(libgomp1)
if [ "${#missing[@]}" -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" </dev/null >/dev/null
fi
python -m pip install -q --disable-pip-version-check -r tests/requirements.txt
python -m pip install -q --disable-pip-version-check --no-deps -e .
python -m pytest tests "$@"
