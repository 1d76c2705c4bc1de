"""A filter change on a catalogue larger than memory, in Chromium, beside an earlier version.

    python -m benchmarks filter_change [--millions 10] [--data DIR] [--runs 3] [--baseline REV]

``--millions`` runs of one million synthetic events, two years each from 2005, are written once as
one GeoParquet dataset partitioned by month (kept in ``--data`` for later runs). For each run the
dashboard of ``--baseline`` (default: the merge base with main) and of this checkout start on it
in turn: the first map (from loading the page), then "Remove Attack" until the map has drawn the
new counts, and the server's resident memory after.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import tempfile
from pathlib import Path

from benchmarks.first_map import _baseline_tree, _merge_base
from benchmarks.map import _measure_browser, _rss_mb
from dashboard.serve import running_app


def make_dataset(folder: Path, millions: int) -> None:
    """``millions`` synthetic runs of a million events as one dataset in ``folder``."""
    from benchmarks.synth import synthetic_frame
    from geodata.io.export import export_events

    parts = folder.with_name(folder.name + "-parts")
    shutil.rmtree(parts, ignore_errors=True)
    folder.mkdir(parents=True)
    for run in range(millions):
        gdf = synthetic_frame(1_000_000, seed=100 + run, start=dt.date(2005 + 2 * run, 1, 1))
        gdf["id"] = f"r{run}-" + gdf["id"].astype(str)
        export_events(gdf, parts / str(run), fmt="parquet-dataset")
        for month in sorted((parts / str(run)).iterdir()):  # two years each: no month twice
            shutil.move(str(month), folder / month.name)
    shutil.rmtree(parts, ignore_errors=True)


def counts(folder: Path) -> tuple[int, int]:
    """(events, events that are not attacks) in the dataset."""
    import pyarrow.compute as pc
    import pyarrow.dataset as ds

    types = (
        ds.dataset(folder, format="parquet", partitioning="hive").to_table(columns=["type"]).column("type")
    )
    return len(types), len(types) - int(pc.sum(pc.equal(types, "attack")).as_py() or 0)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks filter_change")
    parser.add_argument("--millions", type=int, default=10)
    parser.add_argument("--data", type=Path, help="keep the dataset here between runs")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", help="git revision to compare with (default: the merge base with main)")
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        folder = (args.data or tmp) / f"synth-{args.millions}m"
        if not folder.exists():
            make_dataset(folder, args.millions)
        total, after = counts(folder)
        revision = args.baseline or _merge_base()
        builds = [
            (f"baseline {revision[:8]}", _baseline_tree(revision, tmp / "baseline")),
            ("this checkout", None),
        ]
        print(
            f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"Chromium headless; {dt.date.today().isoformat()}; {total:,} events\n"
        )
        print('| run | code | first map s | "Remove Attack" → updated map s | server RSS MB | note |')
        print("|---|---|---|---|---|---|")
        changes: dict[str, list[float]] = {}
        for run in range(1, args.runs + 1):
            for label, root in builds:
                pids: list[int] = []
                with running_app(folder, pid=pids, timeout=args.timeout, root=root) as url:
                    first, change, _, note = _measure_browser(
                        url, total, after, total, naive=False, timeout_s=args.timeout
                    )
                    rss = _rss_mb(pids[0])
                changes.setdefault(label, []).append(change)
                print(f"| {run} | {label} | {first:.2f} | {change:.2f} | {rss:,.0f} | {note} |", flush=True)
        print()
        for label, values in changes.items():
            spread = f"{min(values):.2f}-{max(values):.2f} s"
            print(f"{label}: change median {statistics.median(values):.2f} s, {spread}")
    return 0
