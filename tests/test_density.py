"""The density view: events counted per H3 hexagon, sized for the zoom, under a megabyte to the
browser, in the app and in a shared link."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import h3
import pytest
from dash_helpers import make_template, map_args, run_app, template_frame, use_copy

from benchmarks.synth import synthetic_frame
from dashboard.density import COLOURS, MAX_CELLS, STEPS, colour_of, hexagons, resolution_for
from geodata.geocoding import OfflineGeocoder


def test_every_event_is_counted_once_in_its_hexagon() -> None:
    gdf = synthetic_frame(5_000, seed=7)
    resolution, cells = hexagons(gdf, zoom=6)
    assert resolution == resolution_for(6)
    assert sum(count for _, count, _ in cells) == len(gdf)
    expected: dict[str, int] = {}
    for lat, lon in zip(gdf["lat"], gdf["lon"], strict=True):
        cell = h3.latlng_to_cell(lat, lon, resolution)
        expected[cell] = expected.get(cell, 0) + 1
    assert sorted(count for _, count, _ in cells) == sorted(expected.values())
    assert [c for _, c, _ in cells] == sorted((c for _, c, _ in cells), reverse=True)


def test_hexagons_shrink_with_the_zoom_and_their_number_is_bounded() -> None:
    assert [resolution_for(z) for z in (2, 5, 8, 12, 18)] == sorted(
        resolution_for(z) for z in (2, 5, 8, 12, 18)
    )
    gdf = synthetic_frame(100_000, seed=8)
    for zoom in (3, 8, 14):
        resolution, cells = hexagons(gdf, zoom=zoom)
        assert len(cells) <= MAX_CELLS and resolution <= resolution_for(zoom)
        assert len(json.dumps(cells)) < 1_000_000  # per filter change, to the browser


def test_colours_follow_the_counts() -> None:
    assert colour_of(1) == COLOURS[0] and colour_of(STEPS[-1] * 10) == COLOURS[-1]
    assert [colour_of(n) for n in STEPS] == list(COLOURS)


@pytest.fixture
def catalogue(
    tmp_path_factory: pytest.TempPathFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    geocoder: OfflineGeocoder,
) -> Any:
    template = make_template(tmp_path_factory.mktemp("template"), geocoder)
    use_copy(template, tmp_path, monkeypatch)
    return template_frame(template)


def test_the_app_draws_hexagons_when_asked_and_a_link_keeps_the_choice(catalogue: Any) -> None:
    at = run_app()
    assert "HexLayer" not in json.dumps(map_args(at))
    at.radio(key="f_layer").set_value("Density (hexagons)").run()
    assert not at.exception, at.exception
    assert "geodataHexagons" in map_args(at)["feature_group"]
    assert dict(at.query_params).get("layer") == "density"
    again = run_app({"layer": "density"})
    assert again.radio(key="f_layer").value == "Density (hexagons)"
