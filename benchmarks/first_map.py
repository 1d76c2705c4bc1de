"""Time from launching the dashboard to its first map, in Chromium, beside an earlier version.

    python -m benchmarks first_map [--events 1000000] [--upload 100000] [--baseline REV]
                                   [--cases bundled,parquet,dataset,upload] [--data DIR]

Cases: (a) the bundled catalogue (a fresh copy: the first start fills its store; then a second
start), (b) ``--events`` synthetic events as one GeoParquet file and as a dataset partitioned by
month, (c) an ``--upload``-event GeoJSON given to the upload widget of a running dashboard (timed
from the upload to the map). Chromium is started before the clock; the clock runs from the
``streamlit run`` command (or the upload) until the map has drawn its events. Each case runs with
the code of ``--baseline`` (a git revision, unpacked with ``git archive``; default: the merge base
with main) and with this checkout, one after the other, so each figure has its baseline from the
same run. The server's resident memory is read after the first map (and its peak).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.map import MAP_FRAME
from dashboard.serve import CHROMIUM, CHROMIUM_ARGS, ROOT, running_app
from geodata.settings import DEFAULTS

DRAWN = "() => (window.geodataEventCount || 0) > 0"


@dataclass
class Result:
    up_s: float = float("nan")
    first_s: float = float("nan")
    rss_mb: float = float("nan")
    peak_mb: float = float("nan")
    note: str = ""


def _memory(pid: int) -> tuple[float, float]:
    """(resident, peak resident) MB of process ``pid``."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) / 1024
    return found.get("VmRSS", float("nan")), found.get("VmHWM", float("nan"))


def _count_text(total: int) -> str:
    return f"{total} of {total} events"


def _map_drawn(page: Any, total: int, timeout_s: float) -> None:
    page.get_by_text(_count_text(total)).first.wait_for(timeout=timeout_s * 1000)
    handle = page.wait_for_selector(MAP_FRAME, timeout=timeout_s * 1000)
    frame = handle.content_frame() if handle is not None else None
    if frame is None:
        raise RuntimeError("the map iframe has no document")
    frame.wait_for_function(DRAWN, timeout=timeout_s * 1000)


def first_map(
    browser: Any,
    events: Path,
    total: int,
    *,
    root: Path | None,
    timeout_s: float,
    upload: tuple[Path, int] | None = None,
) -> Result:
    """Launch the app on ``events``; time to the first map (or, with ``upload``, from giving the
    upload widget that file to its map)."""
    result, pids = Result(), list[int]()
    start = time.perf_counter()
    try:
        with running_app(events, env_events=True, pid=pids, timeout=timeout_s, root=root) as url:
            result.up_s = time.perf_counter() - start
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(timeout_s * 1000)
            try:
                page.goto(url)
                _map_drawn(page, total, timeout_s)
                result.first_s = time.perf_counter() - start
                if upload is not None:
                    path, count = upload
                    start = time.perf_counter()
                    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
                    _map_drawn(page, count, timeout_s)
                    result.first_s = time.perf_counter() - start
                result.rss_mb, result.peak_mb = _memory(pids[0])
            finally:
                page.close()
    except Exception as err:  # a case that fails is a row that says why, not the end of the run
        result.note = f"{type(err).__name__}: {str(err).splitlines()[0][:90]}"
    return result


def _baseline_tree(revision: str, folder: Path) -> Path:
    """The code of ``revision``, unpacked (``git archive``: the repository is only read)."""
    folder.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "archive", revision], cwd=ROOT, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def _merge_base() -> str:
    found = subprocess.run(
        ["git", "merge-base", "HEAD", "main"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return found.stdout.strip() or "HEAD"


def _inputs(data: Path, events: int, upload: int, cases: set[str]) -> dict[str, Path]:
    """The catalogues the cases read, made once into ``data`` (kept there for later runs)."""
    from benchmarks.synth import synthetic_frame
    from geodata.io.export import export_events

    made = {
        "parquet": data / f"synth-{events}.parquet",
        "dataset": data / f"synth-{events}",
        "upload": data / f"upload-{upload}.geojson",
    }
    if {"parquet", "dataset"} & cases and not (made["parquet"].exists() and made["dataset"].exists()):
        gdf = synthetic_frame(events)
        export_events(gdf, made["parquet"])
        export_events(gdf, made["dataset"], fmt="parquet-dataset")
        del gdf
    if "upload" in cases and not made["upload"].exists():
        export_events(synthetic_frame(upload, seed=11), made["upload"])
    return made


def _bundled_copy(folder: Path) -> Path:
    """A copy of the bundled catalogue without a store: its first start fills one."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return Path(shutil.copy(DEFAULTS.default_catalogue, folder / "events.yaml"))


def _fmt(value: float, spec: str = ".2f") -> str:
    return "—" if value != value else format(value, spec)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks first_map")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--upload", type=int, default=100_000)
    parser.add_argument("--baseline", help="git revision to compare with (default: the merge base with main)")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--cases", default="bundled,parquet,dataset,upload")
    parser.add_argument("--data", type=Path, help="keep the generated catalogues here between runs")
    parser.add_argument("--timeout", type=float, default=240.0)
    args = parser.parse_args(argv)
    cases = set(args.cases.split(","))
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        data = args.data or tmp / "data"
        data.mkdir(parents=True, exist_ok=True)
        made = _inputs(data, args.events, args.upload, cases)
        builds: list[tuple[str, Path | None]] = []
        if not args.no_baseline:
            revision = args.baseline or _merge_base()
            builds.append((f"baseline {revision[:8]}", _baseline_tree(revision, tmp / "baseline")))
        builds.append(("this checkout", None))
        print(
            f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"Chromium headless; {dt.date.today().isoformat()}\n"
        )
        print("| case | events | code | server up s | first map s | server RSS MB | peak RSS MB | note |")
        print("|---|---|---|---|---|---|---|---|")
        runs: list[tuple[str, int, Callable[[Path], tuple[Path, int, tuple[Path, int] | None]]]] = []
        if "bundled" in cases:
            runs.append(("bundled, first start", 14, lambda f: (_bundled_copy(f), 14, None)))
            runs.append(("bundled, second start", 14, lambda f: (f / "events.yaml", 14, None)))
        if "parquet" in cases:
            runs.append(("GeoParquet file", args.events, lambda f: (made["parquet"], args.events, None)))
        if "dataset" in cases:
            runs.append(("GeoParquet dataset", args.events, lambda f: (made["dataset"], args.events, None)))
        if "upload" in cases:
            runs.append(
                (
                    "GeoJSON upload",
                    args.upload,
                    lambda f: (_bundled_ready(f), 14, (made["upload"], args.upload)),
                )
            )
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for label, size, prepare in runs:
                    for name, root in builds:
                        if label.endswith("dataset") and root is not None and not _reads_datasets(root):
                            print(f"| {label} | {size:,} | {name} | | | | | cannot read a dataset |")
                            continue
                        events, total, upload = prepare(tmp / f"bundled-{name[:4]}")
                        result = first_map(
                            browser, events, total, root=root, timeout_s=args.timeout, upload=upload
                        )
                        print(
                            f"| {label} | {size:,} | {name} | {_fmt(result.up_s)} | {_fmt(result.first_s)} | "
                            f"{_fmt(result.rss_mb, '.0f')} | {_fmt(result.peak_mb, '.0f')} | {result.note} |",
                            flush=True,
                        )
            finally:
                browser.close()
    return 0


def _bundled_ready(folder: Path) -> Path:
    """The bundled catalogue with its store already filled (the upload starts from a warm app)."""
    events = folder / "events.yaml"
    return events if events.exists() else _bundled_copy(folder)


def _reads_datasets(root: Path) -> bool:
    return (root / "geodata" / "io" / "dataset.py").exists()
