"""The map's views (markers, density hexagons, regions) at scale: what the browser receives after a
filter change, and how long the change takes, measured in Chromium.

    python -m benchmarks views [--events 100000 1000000] [--data DIR] [--timeout 240]

For each size a synthetic catalogue (GeoParquet, ``benchmarks.synth``) is shown; the view is chosen
in the sidebar, then "Remove Attack" is clicked, and the bytes of every websocket frame the page
receives from that click until the map has drawn again are summed (the issue's bound: 1 MB per
filter change).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import time
from pathlib import Path
from typing import Any

from benchmarks.map import _frame
from benchmarks.synth import synthetic_frame
from dashboard.serve import CHROMIUM, CHROMIUM_ARGS, running_app
from geodata.frame import filter_mask
from geodata.io.export import export_events

VIEWS = {
    "Markers": "geodataEventCount",
    "Density (hexagons)": "geodataHexagons",
    "Regions (change)": "geodataRegions",
}


def measure(url: str, view: str, total: int, after: int, timeout_s: float) -> tuple[float, int, str]:
    """(seconds from the filter change to the redrawn map, bytes received, note)."""
    from playwright.sync_api import sync_playwright

    received = [0]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(timeout_s * 1000)

        def on_ws(ws: Any) -> None:
            ws.on("framereceived", lambda payload: received.__setitem__(0, received[0] + len(payload)))

        page.on("websocket", on_ws)
        try:
            page.goto(url)
            page.get_by_text(f"{total} of {total} events").first.wait_for()
            marker = VIEWS[view]
            if view != "Markers":
                page.get_by_text(view).click()
            frame = _frame(page)
            frame.wait_for_function(f"() => (window.{marker} || 0) > 0 && window.geodataEventCount > 0")
            before = frame.evaluate("() => window.geodataEventCount")
            received[0] = 0
            start = time.perf_counter()
            page.get_by_role("button", name="Remove Attack").click()
            page.get_by_text(f"{after} of {total} events").first.wait_for()
            _frame(page).wait_for_function(f"() => window.geodataEventCount !== {before}")
            return time.perf_counter() - start, received[0], ""
        except Exception as err:  # a case that fails is a row that says why
            return float("nan"), received[0], f"{type(err).__name__}: {str(err).splitlines()[0][:80]}"
        finally:
            browser.close()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks views")
    parser.add_argument("--events", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--data", type=Path, default=Path("/tmp/geodata-views"))
    parser.add_argument("--timeout", type=float, default=240.0)
    args = parser.parse_args(argv)
    args.data.mkdir(parents=True, exist_ok=True)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"Chromium headless; {dt.date.today().isoformat()}\n"
    )
    print("| events | view | change -> map s | bytes received | note |")
    print("|---|---|---|---|---|")
    for size in args.events:
        path = args.data / f"views-{size}.parquet"
        gdf = synthetic_frame(size, seed=21)
        if not path.exists():
            export_events(gdf, path)
        after = int(filter_mask(gdf, types=[t for t in gdf["type"].unique() if t != "attack"]).sum())
        del gdf
        for view in VIEWS:
            with running_app(path, env_events=True, timeout=args.timeout) as url:
                seconds, received, note = measure(url, view, size, after, args.timeout)
            print(f"| {size:,} | {view} | {seconds:.2f} | {received:,} | {note} |", flush=True)
    return 0
