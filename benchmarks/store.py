"""The store at scale, beside a GeoParquet file: importing N events, the database's size, reading
the map's frame, one filter change on it, and the dashboard's cache key (``Store.generation``).

    python -m benchmarks store [--events 100000] [--postgres URL] [--profile]

The events are synthetic (:mod:`benchmarks.synth`), written to GeoParquet and read back as
Events (``frame_events``), then imported into a new SQLite store and, with ``--postgres``, into
an empty PostgreSQL database (with PostGIS; a throwaway cluster will do, see below). The
GeoParquet row is the baseline the map reads today. ``--profile`` prints where the SQLite
import spends its time.

A throwaway cluster (as an unprivileged user; initdb refuses root)::

    d=$(mktemp -d) && chown postgres "$d"
    su postgres -c "/usr/lib/postgresql/15/bin/initdb -D $d/data --auth=trust -U postgres"
    su postgres -c "/usr/lib/postgresql/15/bin/pg_ctl -D $d/data -o '-p 55432 -k $d \\
        -c listen_addresses=127.0.0.1' -l $d/log start"
    python -m benchmarks store --postgres postgresql://postgres@127.0.0.1:55432/postgres
    su postgres -c "/usr/lib/postgresql/15/bin/pg_ctl -D $d/data stop" && rm -rf "$d"
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import os
import platform
import pstats
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.synth import synthetic_frame
from geodata.cli_store import without_nat
from geodata.frame import filter_mask
from geodata.geocoding import default_geocoder
from geodata.io.export import export_events
from geodata.io.readers import frame_events, read_parquet_frame
from geodata.model import Event
from geodata.store import Store
from geodata.store.engine import sqlite_path

NAN = float("nan")


def _timed(work: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def _median_ms(work: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _filter_ms(gdf: Any) -> float:
    """The mask the dashboard computes when a type is switched off (median of 5)."""
    no_attack = [t for t in gdf["type"].unique() if t != "attack"]
    return _median_ms(lambda: filter_mask(gdf, types=no_attack), 5)


def _size_mb(store: Store) -> float:
    path = sqlite_path(store.url)
    if path is not None:  # once the write-ahead log is folded into the database
        with store.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists()) / 1e6
    with store.engine.connect() as connection:
        return (
            float(connection.exec_driver_sql("SELECT pg_database_size(current_database())").scalar_one())
            / 1e6
        )


def measure_store(url: str, label: str, events: Sequence[Event], *, profile: bool = False) -> dict[str, Any]:
    """Import ``events`` into the empty store at ``url`` and time what the dashboard does with it."""
    geocoder = default_geocoder()
    with Store.open(url) as store:
        if store.generation():
            raise SystemExit(f"{label}: the store at {store.url} is not empty; give an empty database")
        profiler = cProfile.Profile() if profile else None
        if profiler is not None:
            profiler.enable()
        import_s, count = _timed(lambda: store.import_events(events, who="benchmark", geocoder=geocoder))
        if profiler is not None:
            profiler.disable()
            print(f"\nwhere the {label} import of {len(events):,} events spends its time:")
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(18)
        frame_s, gdf = _timed(store.frame)
        assert len(gdf) == count == len(events), (len(gdf), count)
        return {
            "label": label,
            "import_s": import_s,
            "rate": count / import_s,
            "size_mb": _size_mb(store),
            "frame_s": frame_s,
            "filter_ms": _filter_ms(gdf),
            "generation_ms": _median_ms(store.generation, 50),
        }


def measure_parquet(path: Path, write_s: float) -> dict[str, Any]:
    """The baseline: the map's frame from a GeoParquet file, as the dashboard reads it today."""
    frame_s, gdf = _timed(lambda: read_parquet_frame(path))
    return {
        "label": "GeoParquet file (baseline)",
        "import_s": write_s,
        "rate": len(gdf) / write_s,
        "size_mb": path.stat().st_size / 1e6,
        "frame_s": frame_s,
        "filter_ms": _filter_ms(gdf),
        "generation_ms": _median_ms(lambda: os.stat(path).st_mtime_ns, 50),
    }


def _row(values: dict[str, Any]) -> str:
    return (
        f"| {values['label']} | {values['import_s']:.1f} | {values['rate']:,.0f} | {values['size_mb']:.0f} | "
        f"{values['frame_s']:.2f} | {values['filter_ms']:.1f} | {values['generation_ms']:.2f} |"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks store")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--postgres", metavar="URL", help="an empty PostgreSQL database with PostGIS")
    parser.add_argument("--profile", action="store_true", help="profile the SQLite import")
    args = parser.parse_args(argv)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"{dt.date.today().isoformat()}; {args.events:,} synthetic events"
    )
    with tempfile.TemporaryDirectory() as tmp:
        parquet = Path(tmp) / "synth.parquet"
        gdf = synthetic_frame(args.events)
        write_s, _ = _timed(lambda: export_events(gdf, parquet))
        read_s, events = _timed(
            lambda: frame_events(without_nat(read_parquet_frame(parquet)), name=str(parquet))
        )
        rows = [measure_parquet(parquet, write_s)]
        rows.append(measure_store(f"sqlite:///{tmp}/bench.db", "SQLite", events, profile=args.profile))
        if args.postgres:
            rows.append(measure_store(args.postgres, "PostgreSQL + PostGIS", events))
    print(
        "\n| store | import s | events/s | size MB | map frame s | filter change ms | generation() ms |"
        "\n|---|---|---|---|---|---|---|"
    )
    for values in rows:
        print(_row(values))
    print(
        f"\nimport: Store.import_events of Events already read and validated ({read_s:.1f} s to read "
        "them from GeoParquet with frame_events, not counted); for the baseline, writing the GeoParquet "
        "file. map frame: Store.frame() / read_parquet_frame. filter change: geodata.frame.filter_mask "
        "with one type switched off (median of 5). generation(): the dashboard's cache key on every "
        "rerun (median of 50; for the file, os.stat)."
    )
    return 0
