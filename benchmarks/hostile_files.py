"""Hostile catalogue files at full size: how long the readers take to report them, and the memory.

    python -m benchmarks hostile-files [--scale 1.0] [--only NAME ...]

Each file is written to a temporary directory, then read in a fresh process (so the peak
resident memory is that read's own). Sizes are at ``--scale 1``: 100 MB cells, a deep nest after
100 MB of features, a million bad features, 200,000-row GeoParquet files.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HEADER = "id,type,title,date_start,date_end,lat,lon,summary\n"
ROW = "e{i},attack,Title {i},2020-03-11,2020-03-11,33.5,44.2,{summary}\n"
FEATURE = (
    '{{"type": "Feature", "id": "e{i}", "geometry": {{"type": "Point", "coordinates": [44.2, 33.5]}}, '
    '"properties": {{"id": "e{i}", "type": "attack", "title": "Title {i}", "date_start": "2020-03-11", '
    '"date_end": "2020-03-11", "place_name": "Camp Taji", "geo_precision": "facility", "lat": 33.5, '
    '"lon": 44.2, "source_publisher": "P", "source_title": "T", "source_quote": "Q.", '
    '"summary": "{pad}"}}}}'
)


def _csv_long_line(path: Path, scale: float) -> None:
    size = int(100e6 * scale)
    path.write_text(HEADER + ROW.format(i=0, summary='"' + "x" * size + '"'), encoding="utf-8")


def _csv_long_cell(path: Path, scale: float) -> None:
    lines = int(100e6 * scale) // 1000
    cell = '"' + ("x" * 999 + "\n") * lines + '"'
    path.write_text(HEADER + ROW.format(i=0, summary=cell), encoding="utf-8")


def _features(count: int, pad: int = 0) -> str:
    return ",\n".join(FEATURE.format(i=i, pad="x" * pad) for i in range(count))


def _geojson_deep_at_end(path: Path, scale: float) -> None:
    count = int(50_000 * scale)
    deep = "[" * 100_000 + "]" * 100_000
    text = '{"type": "FeatureCollection", "features": [' + _features(count, pad=1500) + ",\n" + deep + "]}"
    path.write_text(text, encoding="utf-8")


def _geojson_bad(path: Path, scale: float) -> None:
    count = int(1_000_000 * scale)
    bad = ",".join(['{"type": "Feature", "geometry": "POINT (1 2)", "properties": {}}'] * count)
    path.write_text('{"type": "FeatureCollection", "features": [' + bad + "]}", encoding="utf-8")


def _geojson_valid(path: Path, scale: float) -> None:
    text = '{"type": "FeatureCollection", "features": [' + _features(int(100_000 * scale)) + "]}"
    path.write_text(text, encoding="utf-8")


def _parquet(path: Path, scale: float, *, null_type: bool = False) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from benchmarks.synth import synthetic_frame
    from geodata.io.export import export_events

    export_events(synthetic_frame(int(200_000 * scale), seed=7), path)
    if null_type:
        table = pq.read_table(path)
        index = table.schema.get_field_index("type")
        empty = pa.nulls(table.num_rows, pa.string())
        pq.write_table(table.set_column(index, "type", empty), path)


CASES: dict[str, tuple[str, Callable[[Path, float], None]]] = {
    "csv-100mb-line": ("events.csv", _csv_long_line),
    "csv-100mb-cell": ("events.csv", _csv_long_cell),
    "geojson-deep-after-100mb": ("events.geojson", _geojson_deep_at_end),
    "geojson-1m-bad-features": ("events.geojson", _geojson_bad),
    "geojson-100k-valid": ("events.geojson", _geojson_valid),
    "parquet-200k-valid": ("events.parquet", _parquet),
    "parquet-200k-null-type": ("events.parquet", lambda p, s: _parquet(p, s, null_type=True)),
}


def _read(path: Path) -> None:
    """Read one file (in the child process) and print what happened as JSON."""
    from geodata.errors import CatalogError
    from geodata.io.readers import read_events_file, read_parquet_frame

    start = time.perf_counter()
    try:
        if path.suffix == ".parquet":
            outcome = f"{len(read_parquet_frame(path)):,} events"
        else:
            outcome = f"{len(read_events_file(path)):,} events"
    except CatalogError as err:
        first = err.problems[0].format().replace(str(path), path.name)
        outcome = f"{len(err.problems)} problem(s): {first[:70]}"
    except Exception as err:  # what the code before the readers were hardened did
        outcome = f"uncaught {type(err).__name__}: {str(err)[:60]}"
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "outcome": outcome}))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks hostile-files")
    parser.add_argument("--scale", type=float, default=1.0, help="size factor (1: the sizes above)")
    parser.add_argument("--only", nargs="*", choices=sorted(CASES), help="run only these cases")
    parser.add_argument("--read", type=Path, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args(argv)
    if args.read:
        _read(args.read)
        return 0
    print(f"{'case':26} {'file MB':>8} {'read s':>7} {'peak MB':>8}  outcome")
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.only or CASES:
            filename, make = CASES[name]
            path = Path(tmp) / filename
            make(path, args.scale)
            child = [sys.executable, "-m", "benchmarks", "hostile", "--read", str(path)]
            result = json.loads(subprocess.run(child, capture_output=True, check=True, text=True).stdout)
            size, seconds, peak = path.stat().st_size / 1e6, result["seconds"], result["peak_mb"]
            print(f"{name:26} {size:8.1f} {seconds:7.2f} {peak:8.0f}  {result['outcome']}")
            path.unlink()
    return 0
