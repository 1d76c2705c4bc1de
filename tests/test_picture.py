"""Download PNG: the filtered events in the map's view, with a title, a legend of every type (shape
and colour), the filters and a source line; text from a catalogue is drawn as it is."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from typing import Any

import pytest
from PIL import Image

from benchmarks.synth import synthetic_frame
from dashboard.data import basemap_countries
from dashboard.picture import (
    DPI,
    GIF_DPI,
    MAX_FRAMES,
    SHAPES,
    SIZE,
    Words,
    figure,
    filter_lines,
    gif_bytes,
    playback_windows,
    png_bytes,
    source_line,
)
from geodata.taxonomy import EVENT_TYPES


@pytest.fixture(scope="module")
def countries() -> dict[str, Any]:
    return basemap_countries()


def texts(fig: Any) -> list[str]:
    return [t.get_text() for t in fig.findobj(lambda o: hasattr(o, "get_text"))]


def test_the_picture_has_its_title_legend_filters_and_source(countries: dict[str, Any]) -> None:
    gdf = synthetic_frame(500, seed=3)
    words = Words(
        "Conflict events map: 500 of 500 events",
        filter_lines(["attack", "statement"], dt.date(2020, 3, 1), dt.date(2020, 3, 31), ["US"], "taji"),
        source_line("events.yaml", today=dt.date(2026, 12, 7)),
    )
    fig = figure(gdf, words=words, countries=countries, bbox=(40.0, 30.0, 50.0, 38.0))
    shown = texts(fig)
    assert words.title in shown
    assert "types: Attack, Statement · 01 Mar 2020 – 31 Mar 2020 · actors: US · text: “taji”" in shown
    assert any("Natural Earth" in t and "Made 2026-12-07" in t for t in shown)
    (legend,) = fig.legends
    counts = gdf["type"].value_counts()
    assert [t.get_text() for t in legend.get_texts()] == [
        f"{kind.label} ({int(counts.get(key, 0)):,})" for key, kind in EVENT_TYPES.items()
    ]
    assert len(set(SHAPES[: len(EVENT_TYPES)])) == len(EVENT_TYPES)  # a shape of its own each
    ax = fig.axes[0]
    png = png_bytes(fig)
    west, east = ax.get_xlim()  # the view as drawn: widened to the picture, never narrowed
    south, north = ax.get_ylim()
    assert west <= 40 and east >= 50 and south <= 30 and north >= 38
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (int(SIZE[0] * DPI), int(SIZE[1] * DPI))


def test_text_from_a_catalogue_is_drawn_as_it_is(countries: dict[str, Any]) -> None:
    words = Words("$\\frac{1}{0}$ ^_^ {", ["text: “$$”", "actors: $x"], source_line("a$b\\c.yaml"))
    fig = figure(synthetic_frame(20, seed=4), words=words, countries=countries)
    assert png_bytes(fig).startswith(b"\x89PNG")
    assert words.title in texts(fig)


def test_no_events_and_many_events_make_a_picture(countries: dict[str, Any]) -> None:
    empty = synthetic_frame(10, seed=5).iloc[:0]
    assert png_bytes(figure(empty, words=Words("none", [], ""), countries=countries)).startswith(b"\x89PNG")
    many = synthetic_frame(50_000, seed=6)
    assert png_bytes(figure(many, words=Words("many", [], ""), countries=countries)).startswith(b"\x89PNG")


def test_playback_windows_step_through_the_span() -> None:
    span = (dt.date(2020, 3, 10), dt.date(2020, 4, 2))
    windows = playback_windows(span, 7)
    assert windows[0] == (dt.date(2020, 3, 10), dt.date(2020, 3, 16))
    assert windows[-1][1] == span[1] and len(windows) == 4
    assert all(b[0] - a[0] == dt.timedelta(days=7) for a, b in itertools.pairwise(windows))
    long = playback_windows((dt.date(2000, 1, 1), dt.date(2020, 12, 31)), 1)
    assert len(long) <= MAX_FRAMES and long[-1][0] <= dt.date(2020, 12, 31)


def test_the_playback_is_an_animated_gif_of_its_windows(countries: dict[str, Any]) -> None:
    gdf = synthetic_frame(300, seed=9)
    frames = [(gdf.iloc[i * 100 : (i + 1) * 100], Words(f"window {i}", [], "source")) for i in range(3)]
    gif = Image.open(io.BytesIO(gif_bytes(frames, countries=countries)))
    assert gif.format == "GIF" and getattr(gif, "n_frames", 1) == 3 and gif.info["loop"] == 0
    assert gif.size == (int(SIZE[0] * GIF_DPI), int(SIZE[1] * GIF_DPI))
    with pytest.raises(ValueError, match="no frames"):
        gif_bytes([], countries=countries)
