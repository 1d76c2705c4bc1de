"""The dashboard at scale, beside a naive folium baseline, measured in Chromium.

    python -m benchmarks map [--sizes 1000,10000,100000] [--naive-up-to 100000] [--timeout 180]

For each size a synthetic catalogue (GeoParquet) is generated, then for our dashboard and for
the naive baseline (one ``folium.Marker`` per event, the map rebuilt on every change):
catalogue load and frame build, filter latency, the bytes the browser receives after a filter
change, the time from the filter change to the updated map, and the server's resident memory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmarks.synth import synthetic_frame
from dashboard.serve import CHROMIUM, CHROMIUM_ARGS, ROOT, running_app
from geodata.frame import filter_mask
from geodata.io.export import export_events
from geodata.io.readers import read_parquet_frame

if TYPE_CHECKING:
    from playwright.sync_api import WebSocket

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _frame(page: Any) -> Any:
    handle = page.wait_for_selector(MAP_FRAME)
    frame = handle.content_frame() if handle is not None else None
    if frame is None:
        raise RuntimeError("the map iframe has no document")
    return frame


def _measure_browser(
    url: str, shown_before: int, shown_after: int, total: int, *, naive: bool, timeout_s: float
) -> tuple[float, float, int, str]:
    """(seconds to first map, seconds from filter change to updated map, bytes received, note)."""
    from playwright.sync_api import expect, sync_playwright

    received = [0]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(timeout_s * 1000)

        def on_ws(ws: WebSocket) -> None:
            ws.on(
                "framereceived",
                lambda payload: received.__setitem__(
                    0, received[0] + len(payload if isinstance(payload, (bytes, str)) else b"")
                ),
            )

        page.on("websocket", on_ws)
        start = time.perf_counter()
        try:
            page.goto(url)
            page.get_by_text(f"{shown_before} of {total} events").wait_for()
            frame = _frame(page)
            drawn = (
                "() => document.querySelectorAll('.leaflet-marker-icon').length > 0"
                if naive
                else "() => window.geodataEventCount > 0"
            )
            frame.wait_for_function(drawn)
            first = time.perf_counter() - start
            # The map asks for a run of its own once drawn (it reports its view), which may draw
            # again: the change is timed from a page at rest, and its map is the one drawn after
            # the count of the last is wiped, so neither a late draw nor the count line's change
            # is taken for it.
            _settle(page)
            if not naive:
                frame.evaluate("() => { window.geodataEventCount = -1; }")
            received[0] = 0
            start = time.perf_counter()
            page.get_by_role("button", name="Remove Attack").click()
            page.get_by_text(f"{shown_after} of {total} events").wait_for()
            if naive:  # the baseline's map is a new iframe after each change: locate it afresh
                expect(page.frame_locator(MAP_FRAME).locator(".leaflet-marker-icon")).to_have_count(
                    shown_after, timeout=timeout_s * 1000
                )
            else:
                frame = _frame(page)
                frame.wait_for_function("() => window.geodataEventCount > 0")
            change = time.perf_counter() - start
            note = ""
        except Exception as err:
            first = change = float("nan")
            note = f"not drawn within {timeout_s:.0f} s ({str(err).splitlines()[0][:80]})"
        finally:
            browser.close()
    return first, change, received[0], note


def _settle(page: Any, quiet_s: float = 1.5, timeout_s: float = 120.0) -> None:
    """Wait until no script has run for ``quiet_s`` (Streamlit's running icon absent)."""
    running = page.get_by_test_id("stStatusWidgetRunningIcon")
    began = quiet_since = time.perf_counter()
    while time.perf_counter() - quiet_since < quiet_s:
        if running.count():
            quiet_since = time.perf_counter()
        if time.perf_counter() - began > timeout_s:
            raise TimeoutError(f"the page was still running after {timeout_s:.0f} s")
        time.sleep(0.05)


def _row(label: str, size: int, values: dict[str, Any]) -> str:
    def fmt(v: object, spec: str) -> str:
        return "—" if isinstance(v, float) and v != v else format(v, spec)

    return (
        f"| {size:,} | {label} | {fmt(values['load_s'], '.2f')} | {fmt(values['filter_ms'], '.1f')} | "
        f"{fmt(values['first_s'], '.2f')} | {fmt(values['change_s'], '.2f')} | "
        f"{fmt(values['bytes'] / 1e6, '.2f')} | {fmt(values['rss'], '.0f')} | {values['note']} |"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks map")
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument(
        "--naive-up-to",
        type=int,
        default=100_000,
        help="skip the baseline above this size (it only gets slower)",
    )
    parser.add_argument("--timeout", type=float, default=180.0)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"Chromium headless; {dt.date.today().isoformat()}\n"
    )
    print(
        "| events | app | load + frame s | filter ms | first map s | filter change → map s | "
        "MB received after change | server RSS MB | note |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            path = Path(tmp) / f"synth-{size}.parquet"
            export_events(synthetic_frame(size), path)
            start = time.perf_counter()
            gdf = read_parquet_frame(path)
            load_s = time.perf_counter() - start
            no_attack = [t for t in gdf["type"].unique() if t != "attack"]
            times = []
            for _ in range(5):
                start = time.perf_counter()
                mask = filter_mask(gdf, types=no_attack)  # what the dashboard computes per change
                times.append((time.perf_counter() - start) * 1000)
            shown = gdf[mask]
            filter_ms = statistics.median(times)
            apps: list[tuple[str, Path | None, bool]] = [("geodata", None, False)]
            if size <= args.naive_up_to:
                apps.append(("naive folium", ROOT / "benchmarks" / "naive_app.py", True))
            for label, script, naive in apps:
                pids: list[int] = []
                with running_app(path, script=script, env_events=True, pid=pids, timeout=args.timeout) as url:
                    first, change, received, note = _measure_browser(
                        url, len(gdf), len(shown), len(gdf), naive=naive, timeout_s=args.timeout
                    )
                    rss = _rss_mb(pids[0])
                print(
                    _row(
                        label,
                        size,
                        {
                            "load_s": load_s,
                            "filter_ms": filter_ms,
                            "first_s": first,
                            "change_s": change,
                            "bytes": float(received),
                            "rss": rss,
                            "note": note,
                        },
                    ),
                    flush=True,
                )
    print(
        "\n"
        + json.dumps(
            {
                "note": "load + frame and filter ms are measured in this process; "
                "the rest in a Streamlit server and Chromium"
            }
        )
    )
    return 0
