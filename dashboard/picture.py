"""A picture of the map as it is filtered: the events over the country outlines, with a title,
a legend, the active filters and a source line, drawn by Matplotlib on the server (offline: no
tiles, no browser); and the playback as an animated GIF of such pictures, a window at a time.

Each type is drawn in its colour and with a marker shape of its own, as the map's icons tell
types apart without colour. Many events are drawn as small dots, the largest part of a million
in under ten seconds (a download is made only when clicked).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geodata.settings import DEFAULTS
from geodata.taxonomy import EVENT_TYPES

#: Marker shapes by type, in the taxonomy's order (Matplotlib's codes).
SHAPES = ("o", "s", "X", "D", "^", "v", "P", "*")
#: Figure size (inches) and resolution: 1,600 × 1,000 pixels.
SIZE, DPI = (10.0, 6.25), 160
#: Events drawn as markers of full size at most; more are drawn as dots.
FULL_MARKERS = 2_000
#: Degrees of margin around the events when no map view is given.
MARGIN_DEGREES = 1.0


@dataclass(frozen=True)
class Words:
    """The picture's title, the active filters (a line each) and its source line."""

    title: str
    filters: Sequence[str]
    source: str


def figure(
    gdf: gpd.GeoDataFrame,
    *,
    words: Words,
    countries: dict[str, Any],
    bbox: tuple[float, float, float, float] | None = None,
) -> Any:
    """The picture as a Matplotlib ``Figure`` (not drawn yet): the events of ``gdf`` (columns
    ``lat``, ``lon``, ``type``) inside ``bbox`` (west, south, east, north; by default the events'
    own extent)."""
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    fig = Figure(figsize=SIZE, dpi=DPI, layout="constrained")
    ax = fig.add_subplot()
    west, south, east, north = bbox or _extent(gdf)
    ax.set_facecolor("#d7e6f0")  # the map's own sea and land
    outlines = gpd.GeoDataFrame.from_features(countries.get("features", []))
    if len(outlines):
        outlines.plot(ax=ax, color="#f4f1ea", edgecolor="#9a948a", linewidth=0.5)
    lat, lon = gdf["lat"].to_numpy(dtype=float), gdf["lon"].to_numpy(dtype=float)
    kinds = gdf["type"].astype(str).to_numpy()
    size = 36 if len(gdf) <= FULL_MARKERS else 4
    handles = []
    for (key, kind), shape in zip(EVENT_TYPES.items(), SHAPES, strict=False):
        here = kinds == key
        count = int(here.sum())
        if count:
            ax.scatter(
                lon[here],
                lat[here],
                s=size,
                c=kind.colour,
                marker=shape,
                linewidths=0.4,
                edgecolors="white",
                zorder=3,
            )
        handles.append(
            Line2D(
                [],
                [],
                linestyle="",
                marker=shape,
                markersize=7,
                markerfacecolor=kind.colour,
                markeredgecolor="white",
                label=f"{kind.label} ({count:,})",
            )
        )
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    # Degrees as the eye sees them; the view widened (not the map shrunk) to fill the picture.
    ax.set_aspect(1 / max(np.cos(np.radians((south + north) / 2)), 0.1), adjustable="datalim")
    ax.tick_params(labelsize=7, colors="#555555")
    ax.set_xlabel("longitude (°)", fontsize=7, color="#555555")
    ax.set_ylabel("latitude (°)", fontsize=7, color="#555555")
    # Beside the map, never over its events.
    fig.legend(
        handles=handles,
        loc="outside right center",
        fontsize=8,
        frameon=False,
        title="Event types",
        title_fontsize=9,
    )
    # Text from the catalogue or the filters is drawn as it is: "$" does not start mathematics.
    fig.suptitle(words.title, fontsize=13, fontweight="bold", parse_math=False)
    ax.set_title(" · ".join(words.filters), fontsize=8, color="#333333", parse_math=False)
    fig.supxlabel(words.source, x=0.01, ha="left", fontsize=6.5, color="#555555", parse_math=False)
    return fig


def png_bytes(fig: Any) -> bytes:
    """The figure as a PNG file."""
    out = io.BytesIO()
    with _quiet_axes():
        fig.savefig(out, format="png", dpi=DPI)
    return out.getvalue()


@contextlib.contextmanager
def _quiet_axes() -> Iterator[None]:
    """Without Matplotlib's "ignoring fixed limits": widening the view is the intent."""
    axes_log = logging.getLogger("matplotlib.axes._base")
    level = axes_log.level
    axes_log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        axes_log.setLevel(level)


def filter_lines(
    types: Sequence[str], start: dt.date | None, end: dt.date | None, actors: Sequence[str], text: str
) -> list[str]:
    """The active filters in words, for the picture's subtitle."""
    lines = []
    if set(types) != set(EVENT_TYPES):
        lines.append("types: " + ", ".join(EVENT_TYPES[t].label for t in types if t in EVENT_TYPES))
    if start is not None and end is not None:
        lines.append(f"{start:%d %b %Y} – {end:%d %b %Y}")
    if actors:
        lines.append("actors: " + ", ".join(actors))
    if text:
        lines.append(f"text: “{text}”")
    return lines


def source_line(catalogue: str, *, today: dt.date | None = None) -> str:
    """Where the picture's events and outlines come from, and when it was made."""
    made = (today or dt.date.today()).isoformat()
    outlines = DEFAULTS.countries_file.name
    return (
        f"Events: {catalogue}. Country outlines: Natural Earth ({outlines}, public domain). "
        f"Made {made} with geodata."
    )


def _extent(gdf: gpd.GeoDataFrame) -> tuple[float, float, float, float]:
    if not len(gdf):
        return -180.0, -60.0, 180.0, 80.0
    lat, lon = gdf["lat"].to_numpy(dtype=float), gdf["lon"].to_numpy(dtype=float)
    west, east = float(np.nanmin(lon)) - MARGIN_DEGREES, float(np.nanmax(lon)) + MARGIN_DEGREES
    south, north = float(np.nanmin(lat)) - MARGIN_DEGREES, float(np.nanmax(lat)) + MARGIN_DEGREES
    return max(west, -180.0), max(south, -85.0), min(east, 180.0), min(north, 85.0)


#: The playback's frames at most (longer spans take longer steps), and each frame's time.
MAX_FRAMES = 40
FRAME_MS = 900
#: The GIF's frames are drawn smaller than the PNG: 1,000 × 625 pixels.
GIF_DPI = 100


def playback_windows(span: tuple[dt.date, dt.date], width_days: int) -> list[tuple[dt.date, dt.date]]:
    """The windows playback steps through: ``width_days`` wide from the span's start to its end,
    a step of the width (longer when more than :data:`MAX_FRAMES` would be needed)."""
    first, last = span
    width = max(1, width_days)
    days = (last - first).days + 1
    step = max(width, -(-days // MAX_FRAMES))
    windows = []
    start = first
    while start <= last:
        windows.append((start, min(start + dt.timedelta(days=width - 1), last)))
        start += dt.timedelta(days=step)
    return windows


def gif_bytes(
    frames: Sequence[tuple[gpd.GeoDataFrame, Words]],
    *,
    countries: dict[str, Any],
    bbox: tuple[float, float, float, float] | None = None,
) -> bytes:
    """The frames (events and words each) as an animated GIF, all in one view: ``bbox``, else the
    extent of every frame's events."""
    from PIL import Image

    if bbox is None:
        every = [f for f, _ in frames if len(f)]
        bbox = _extent(pd.concat(every)) if every else None
    images = []
    for events, words in frames:
        fig = figure(events, words=words, countries=countries, bbox=bbox)
        fig.set_dpi(GIF_DPI)
        out = io.BytesIO()
        with _quiet_axes():
            fig.savefig(out, format="png", dpi=GIF_DPI)
        images.append(Image.open(out).convert("RGB").quantize(colors=128))
    if not images:
        raise ValueError("no frames to animate")
    gif = io.BytesIO()
    images[0].save(gif, format="GIF", save_all=True, append_images=images[1:], duration=FRAME_MS, loop=0)
    return gif.getvalue()
