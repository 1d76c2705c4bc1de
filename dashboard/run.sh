#!/usr/bin/env bash
# Set up the Python packages on a fresh machine (as root), then start the dashboard.
# Usage: bash dashboard/run.sh [--port 8501] [--address 127.0.0.1] [--events PATH] [--store URL] [--tiles PATH]
#   --events PATH   the catalogue to show (default: the bundled events.yaml); a YAML catalogue
#                   fills a geodata.db beside it on first start, and the dashboard works on that;
#                   a directory is a GeoParquet dataset partitioned by month (geodata export
#                   --format parquet-dataset), read a window at a time
#   --store URL     the store to work on instead (sqlite:///PATH or postgresql://...)
#   --tiles PATH    your own offline map tiles: an .mbtiles or .pmtiles file (raster, or vector tiles
#                   drawn once into raster ones), served by the
#                   dashboard itself (written out once under ~/.cache/geodata/tiles)
set -euo pipefail
cd "$(dirname "$0")/.."

port=8501
address=127.0.0.1
app_args=()
usage="usage: bash dashboard/run.sh [--port 8501] [--address 127.0.0.1] [--events PATH] [--store URL] [--tiles PATH]"
while [ $# -gt 0 ]; do
    case "$1" in
        --port) [ $# -ge 2 ] || { echo "$usage" >&2; exit 2; }; port="$2"; shift 2 ;;
        --port=*) port="${1#--port=}"; shift ;;
        --address) [ $# -ge 2 ] || { echo "$usage" >&2; exit 2; }; address="$2"; shift 2 ;;
        --address=*) address="${1#--address=}"; shift ;;
        --events) [ $# -ge 2 ] || { echo "$usage" >&2; exit 2; }; app_args+=(--events "$2"); shift 2 ;;
        --events=*) app_args+=(--events "${1#--events=}"); shift ;;
        --store) [ $# -ge 2 ] || { echo "$usage" >&2; exit 2; }; app_args+=(--store "$2"); shift 2 ;;
        --store=*) app_args+=(--store "${1#--store=}"); shift ;;
        --tiles) [ $# -ge 2 ] || { echo "$usage" >&2; exit 2; }; app_args+=(--tiles "$2"); shift 2 ;;
        --tiles=*) app_args+=(--tiles "${1#--tiles=}"); shift ;;
        --) shift; app_args+=("$@"); break ;;
        -h|--help) echo "$usage"; exit 0 ;;
        *) echo "unknown option: $1" >&2; echo "$usage" >&2; exit 2 ;;
    esac
done
case "$port" in ''|*[!0-9]*) echo "--port wants a number, not '$port'" >&2; exit 2 ;; esac

# LightGBM (the place ranker, used when drafting) needs GNU OpenMP's runtime from Debian.
if ! /sbin/ldconfig -p | grep -q 'libgomp\.so\.1'; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libgomp1 </dev/null >/dev/null
fi
python -m pip install -q --disable-pip-version-check -r requirements.txt
# The editable install builds in an isolated environment that fetches setuptools from the index:
# skip it when this checkout is already the installed geodata, so a second start works offline.
# (-P: do not let the current directory shadow what is installed.)
if ! python -P -c 'import pathlib, sys, geodata
sys.exit(pathlib.Path(geodata.__file__).resolve().parents[1] != pathlib.Path.cwd().resolve())' 2>/dev/null; then
    python -m pip install -q --disable-pip-version-check --no-deps -e .
fi
exec python -m dashboard --server.headless true --server.address "$address" \
    --server.port "$port" --browser.gatherUsageStats false -- "${app_args[@]}"
