"""The large-catalogue paths give the same events as the small ones."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from benchmarks.synth import synthetic_frame
from dashboard import details
from dashboard.data import view_of
from dashboard.details import bar_counts
from dashboard.layers import MARKER_LIMIT, events_group, grid_payload, marker_payload
from geodata.errors import CatalogError
from geodata.frame import FilterArgs, filter_events, load_frame, public_columns
from geodata.geocoding import OfflineGeocoder
from geodata.io.export import export_events
from geodata.io.readers import read_parquet_frame
from geodata.settings import DEFAULTS
from geodata.taxonomy import EVENT_TYPES


@pytest.fixture(scope="module")
def bundled(geocoder: OfflineGeocoder) -> Any:
    return load_frame(DEFAULTS.default_catalogue, geocoder=geocoder)


def test_parquet_round_trip_equals_the_yaml_path(tmp_path: Path, bundled: Any) -> None:
    path = export_events(bundled, tmp_path / "events.parquet")
    back = read_parquet_frame(path)
    left, right = public_columns(bundled), public_columns(back)
    assert list(left.index) == list(right.index)
    for column in ("id", "type", "title", "date_precision", "geo_precision", "place_name", "source_quote"):
        assert list(left[column]) == list(right[column]), column
    assert (left["date_start"] == right["date_start"]).all() and (left["date_end"] == right["date_end"]).all()
    assert [list(a) for a in left["actors"]] == [list(a) for a in right["actors"]]
    assert list(left["references"]) == list(right["references"])
    assert right.crs.to_epsg() == 4326 and (left.geometry.x == right.geometry.x).all()


def test_filters_agree_with_and_without_helper_columns(bundled: Any) -> None:
    plain = public_columns(bundled)
    for kwargs in (
        {"text": "patriot"},
        {"actors": ["Donald Trump", "US-led coalition"]},
        {"types": ["attack"], "start": dt.date(2020, 3, 12)},
    ):
        assert list(filter_events(bundled, **kwargs)["id"]) == list(filter_events(plain, **kwargs)["id"])


def test_bad_parquet_is_reported(tmp_path: Path, bundled: Any) -> None:
    broken = public_columns(bundled).copy()
    broken.loc[broken.index[0], "type"] = "skirmish"
    path = export_events(broken, tmp_path / "bad.parquet")
    with pytest.raises(CatalogError, match="unknown type 'skirmish'"):
        read_parquet_frame(path)
    (tmp_path / "junk.parquet").write_bytes(b"not parquet")
    with pytest.raises(CatalogError, match="not a GeoParquet"):
        read_parquet_frame(tmp_path / "junk.parquet")


def test_synthetic_catalogue_and_aggregated_map() -> None:
    gdf = synthetic_frame(MARKER_LIMIT * 2, seed=3)
    assert len(gdf) == MARKER_LIMIT * 2 and gdf["id"].is_unique
    assert (gdf["date_end"] >= gdf["date_start"]).all()
    cells = grid_payload(gdf, zoom=5)
    assert sum(c[2] for c in cells) == len(gdf)  # every event counted once

    def kinds(group: Any) -> list[str]:
        return [type(child).__name__ for child in group._children.values()]

    assert kinds(events_group(gdf, zoom=5)) == ["GridLayer"]
    assert kinds(events_group(gdf.iloc[:10], zoom=5)) == ["EventLayer"]
    payload = marker_payload(gdf.iloc[:10])
    assert [p["id"] for p in payload] == list(gdf["id"][:10])
    assert all(p["date"] for p in payload)  # worded even when the frame has no date_text


def test_map_view_from_component_state() -> None:
    bounds = {"_southWest": {"lat": 30, "lng": 40}, "_northEast": {"lat": 37, "lng": 48}}
    state = {"bounds": bounds, "zoom": 7}
    assert view_of(state) == ((40.0, 30.0, 48.0, 37.0), 7)
    assert view_of(None) == (None, 5) and view_of({"bounds": "junk"}) == (None, 5)


def test_large_frames_use_categories_and_filter_the_same(tmp_path: Path) -> None:
    big = synthetic_frame(12_000, seed=5)
    assert str(big["type"].dtype) == "category"
    plain = public_columns(big).copy()
    for column in plain.columns:
        if str(plain[column].dtype) == "category":
            plain[column] = plain[column].astype(object)
    kwargs: FilterArgs = {
        "types": ["attack", "warning"],
        "start": dt.date(2019, 5, 1),
        "end": dt.date(2019, 8, 1),
        "actors": ["IRGC"],
        "text": "near b",
    }
    assert list(filter_events(big, **kwargs)["id"]) == list(filter_events(plain, **kwargs)["id"])
    back = read_parquet_frame(export_events(big, tmp_path / "big.parquet"))
    assert list(back["type"].astype(str)) == list(big["type"].astype(str))


def test_a_large_frame_is_searched_without_helper_columns_built_on_load() -> None:
    from geodata.frame import LARGE_FRAME

    gdf = synthetic_frame(LARGE_FRAME + 1, seed=5)
    assert "_search" not in gdf and "_actors" not in gdf  # built when a filter first needs them
    gdf.iloc[123, gdf.columns.get_loc("summary")] = "Seen near the Ḫabur: NEEDLE in a haystack"
    for _ in range(2):  # the second search finds them kept
        assert list(filter_events(gdf, text="needle in")["id"]) == [gdf["id"].iloc[123]]
        named = filter_events(gdf, actors=["Houthis"])
        assert list(named["id"]) == [
            i for i, a in zip(gdf["id"], gdf["actors"], strict=True) if "Houthis" in a
        ]


@pytest.mark.parametrize("zoom", [2, 5, 9, 18])
def test_grid_cells_count_every_event_at_its_cells_mean_and_commonest_type(zoom: int) -> None:
    gdf = synthetic_frame(20_000, seed=8)
    size = 360.0 / (2**zoom) / 4
    cell = list(zip((gdf["lat"] // size).astype(int), (gdf["lon"] // size).astype(int), strict=True))
    expected: dict[Any, list[Any]] = {}
    for key, lat, lon, kind in zip(cell, gdf["lat"], gdf["lon"], gdf["type"], strict=True):
        expected.setdefault(key, []).append((lat, lon, kind))
    payload = grid_payload(gdf, zoom=zoom)
    assert len(payload) == len(expected)
    for (lat, lon, count, colour, label), events in zip(
        payload, expected.values(), strict=True
    ):  # first-met order
        assert count == len(events)
        assert lat == pytest.approx(sum(e[0] for e in events) / count, abs=1e-5)
        assert lon == pytest.approx(sum(e[1] for e in events) / count, abs=1e-5)
        kinds = pd.Series([e[2] for e in events]).value_counts()
        top = [k for k, n in kinds.items() if n == kinds.iloc[0]]
        first = next(k for k in EVENT_TYPES if k in top)  # a tie goes to the taxonomy's first
        assert (colour, label) == (EVENT_TYPES[first].colour, EVENT_TYPES[first].label)


@pytest.mark.parametrize("limit", [details.BINCOUNT_LIMIT, 1])  # counted in one array, or hashed
@pytest.mark.parametrize("weekly", [False, True])
def test_histogram_bars_count_events_per_day_or_week_and_type(
    weekly: bool, limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(details, "BINCOUNT_LIMIT", limit)
    gdf = synthetic_frame(5_000, seed=6)
    # before 1970, and a Sunday next to a Monday: weeks start on Mondays on both sides of the epoch
    gdf.iloc[:3, gdf.columns.get_loc("date_start")] = pd.to_datetime(
        ["1969-12-28", "2020-03-15", "2020-03-16"]
    )
    starts = gdf["date_start"].dt.to_period("W").dt.start_time if weekly else gdf["date_start"].dt.floor("D")
    expected = (
        pd.DataFrame({"start": starts.astype("datetime64[ns]"), "type": gdf["type_label"].astype(str)})
        .groupby(["start", "type"])
        .size()
    )
    bars = bar_counts(gdf, weekly=weekly)
    got = bars.assign(type=bars["type"].astype(str)).set_index(["start", "type"])["events"].sort_index()
    assert got.to_dict() == expected.to_dict() and got.sum() == len(gdf)
