"""A run with the same catalogue, filters and view as the last takes its map layer, timeline and
table rows from that run (the map's own run after it has drawn), and a change makes them anew;
the boxes the large map's layer is made for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import streamlit as st
from dash_helpers import count_line, map_args, run_app

from benchmarks.synth import synthetic_frame
from dashboard import details, layers, memo
from dashboard.data import box_around, contains
from dashboard.layers import MARKER_LIMIT
from geodata.io.export import export_events

#: The map's report of its view: Iraq at zoom 5 on a 1,000 x 560 pixel map.
IRAQ_VIEW = {
    "bounds": {"_southWest": {"lat": 27.0, "lng": 32.5}, "_northEast": {"lat": 39.5, "lng": 54.5}},
    "zoom": 5,
    "center": {"lat": 33.5, "lng": 43.5},
}


def test_a_box_around_a_view_holds_the_screen() -> None:
    # zoom 2: the world is 1,024 pixels wide; 300 pixels either side of the equator is 72 degrees
    assert box_around((0.0, 0.0), 2) == pytest.approx((-180.0, -71.97, 180.0, 71.97), abs=0.01)
    iraq = box_around((33.5, 43.5), 5)
    west, south, east, north = (32.5, 27.0, 54.5, 39.5)
    assert contains(iraq, (west, south, east, north)) and not contains(iraq, (-100.0, 30.0, -90.0, 40.0))
    # a wide screen at zoom 12: 2,560 pixels of 2**20
    near = box_around((33.5, 43.5), 12)
    assert near[2] - near[0] == pytest.approx(2560 / (256 * 2**12) * 360)
    assert contains((40.0, 30.0, 42.0, 31.0), (40.0, 30.0, 42.0, 31.0))  # its own box
    assert not contains((170.0, -10.0, -170.0, 10.0), (175.0, 0.0, 176.0, 1.0))  # across the antimeridian
    # a link at a pole: the centre Leaflet would clamp it to, no error
    assert box_around((-90.0, 0.0), 5) == box_around((-85.0511287798, 0.0), 5)
    assert box_around((90.0, 0.0), 5)[3] > 85.05


@pytest.fixture
def many(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """A catalogue too large for markers as the dashboard's; the layers and timelines made."""
    gdf = synthetic_frame(MARKER_LIMIT * 3, seed=5)
    path = export_events(gdf, tmp_path / "events.parquet")
    monkeypatch.delenv("GEODATA_STORE", raising=False)
    monkeypatch.setenv("GEODATA_EVENTS", str(path))
    st.cache_resource.clear()
    made = {"layers": 0, "timelines": 0}
    payload, histogram = layers.events_payload, details.histogram

    def counting_payload(*args: Any, **kwargs: Any) -> Any:
        made["layers"] += 1
        return payload(*args, **kwargs)

    def counting_histogram(*args: Any, **kwargs: Any) -> Any:
        made["timelines"] += 1
        return histogram(*args, **kwargs)

    monkeypatch.setattr(layers, "events_payload", counting_payload)
    monkeypatch.setattr(details, "histogram", counting_histogram)
    return made


def test_the_maps_own_run_reuses_the_layer_and_a_change_makes_it_anew(many: dict[str, int]) -> None:
    at = run_app()
    assert many == {"layers": 1, "timelines": 1}
    layer = _layer(at)
    at.session_state["events_map"] = IRAQ_VIEW  # the map reports its view: a run of its own
    at.run()
    assert not at.exception, at.exception
    assert many == {"layers": 1, "timelines": 1} and _layer(at) == layer
    assert "Attack" in set(_table(at)["Type"])
    types = at.multiselect(key="f_types")
    types.set_value([t for t in types.value if t != "attack"]).run()
    assert not at.exception, at.exception
    assert many == {"layers": 2, "timelines": 2} and _layer(at) != layer
    assert "Attack" not in set(_table(at)["Type"])  # the table's rows made anew too
    # the map moved far off: a layer for the new view, the same timeline
    at.session_state["events_map"] = {**IRAQ_VIEW, "bounds": _far_bounds()}
    at.run()
    assert many == {"layers": 3, "timelines": 2}
    # zoomed in: cells of another size
    at.session_state["events_map"] = {**IRAQ_VIEW, "zoom": 6}
    at.run()
    assert many == {"layers": 4, "timelines": 2}
    assert " of " in count_line(at)


def test_a_view_holding_few_enough_for_markers_gets_markers_not_the_earlier_cells(
    many: dict[str, int],
) -> None:
    at = run_app()
    assert "var cells = " in _layer(at)  # more than MARKER_LIMIT in the box the map opens on
    small = {"_southWest": {"lat": 30.0, "lng": 40.0}, "_northEast": {"lat": 36.0, "lng": 48.0}}
    at.session_state["events_map"] = {**IRAQ_VIEW, "bounds": small}  # inside it, fewer events
    at.run()
    assert not at.exception, at.exception
    assert "var events = " in _layer(at) and many["layers"] == 2


def test_a_new_frame_is_never_given_another_frames_value() -> None:
    made: list[str] = []
    first, second = pd.DataFrame({"a": [1]}), pd.DataFrame({"a": [1]})
    chosen = memo.mask_key(np.ones(1, bool))
    for frame, name in ((first, "first"), (first, "again"), (second, "second")):
        memo.recall("test", frame, chosen, lambda name=name: made.append(name))  # type: ignore[misc]
    assert made == ["first", "second"]
    assert memo.mask_key(np.array([True, False])) != memo.mask_key(np.array([False, True]))
    assert memo.mask_key(np.zeros(8, bool)) != memo.mask_key(np.zeros(9, bool))


def test_nothing_is_kept_where_the_session_state_must_be_picklable() -> None:
    from streamlit import config

    made: list[int] = []
    frame = pd.DataFrame({"a": [1]})
    config.set_option("runner.enforceSerializableSessionState", True)
    try:
        for _ in range(2):
            memo.recall("pickled", frame, b"k", lambda: made.append(1))
    finally:
        config.set_option("runner.enforceSerializableSessionState", False)
    assert len(made) == 2 and "pickled" not in st.session_state.get("_memo", {})


def _layer(at: Any) -> str:
    return str(map_args(at)["feature_group"])


def _table(at: Any) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "Type" in d.value.columns)


def _far_bounds() -> dict[str, Any]:
    return {"_southWest": {"lat": -40.0, "lng": -80.0}, "_northEast": {"lat": -30.0, "lng": -60.0}}
