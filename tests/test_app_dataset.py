"""The dashboard over a partitioned GeoParquet dataset (AppTest): it opens; a window of days and
types is read with pushdown, not the whole dataset, and a window inside one read is filtered from
it, not read again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from dash_helpers import count_line, md_text, run_app, shown_ids

from dashboard import large
from geodata.frame import filter_events, load_frame
from geodata.geocoding import OfflineGeocoder
from geodata.io.dataset import EVERYTHING, Window, write_dataset
from geodata.settings import DEFAULTS
from geodata.taxonomy import EVENT_TYPES


@pytest.fixture(scope="module")
def bundled(geocoder: OfflineGeocoder) -> Any:
    return load_frame(DEFAULTS.default_catalogue, geocoder=geocoder)


@pytest.fixture
def events(bundled: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The bundled catalogue as a dataset, the dashboard's catalogue; the windows read recorded."""
    path = write_dataset(bundled, tmp_path / "events")
    monkeypatch.delenv("GEODATA_STORE", raising=False)
    monkeypatch.setenv("GEODATA_EVENTS", str(path))
    st.cache_resource.clear()
    return path


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch) -> list[Window]:
    read: list[Window] = []
    original = large.slim_frame

    def recording(paths: Any, window: Window = EVERYTHING) -> Any:
        read.append(window)
        return original(paths, window)

    monkeypatch.setattr(large, "slim_frame", recording)
    return read


def test_the_dashboard_opens_a_dataset(events: Path, bundled: Any) -> None:
    at = run_app()
    total = len(bundled)
    assert f"**{total} of {total} events**" in count_line(at)
    assert "catalogue: events (a read-only file view)" in md_text(count_line(at))
    assert sorted(shown_ids(at)) == sorted(bundled.index)


def _shows(at: Any, bundled: Any, start: dt.date, end: dt.date, types: Any = None) -> None:
    expected = filter_events(bundled, start=start, end=end, types=types)
    assert not at.exception, at.exception
    assert f"**{len(expected)} of {len(bundled)} events**" in count_line(at)
    assert sorted(shown_ids(at)) == sorted(expected.index)


def test_a_window_of_days_and_types_is_read_with_pushdown(
    events: Path, bundled: Any, windows: list[Window]
) -> None:
    start, end = dt.date(2020, 3, 11), dt.date(2020, 3, 16)
    types = tuple(t for t in EVENT_TYPES if t != "statement")
    at = run_app({"start": start.isoformat(), "end": end.isoformat(), "types": ",".join(types)})
    _shows(at, bundled, start, end, types)
    assert 0 < len(filter_events(bundled, start=start, end=end, types=types)) < len(bundled)
    assert windows == [Window(start, end, types)]
    # inside the window read: filtered from its frame, nothing read
    at.slider(key="f_window").set_value((start, dt.date(2020, 3, 13))).run()
    at.multiselect(key="f_types").unselect("attack").run()
    _shows(at, bundled, start, dt.date(2020, 3, 13), [t for t in types if t != "attack"])
    assert len(windows) == 1
    # outside it: read with pushdown
    at.multiselect(key="f_types").set_value(list(EVENT_TYPES)).run()
    _shows(at, bundled, start, dt.date(2020, 3, 13))
    assert windows[1:] == [Window(start, dt.date(2020, 3, 13), None)]
    span = (bundled["date_start"].min().date(), bundled["date_end"].max().date())
    at.slider(key="f_window").set_value(span).run()
    _shows(at, bundled, *span)
    assert windows[2:] == [EVERYTHING]  # the whole span: no row filter


def test_a_bad_file_in_the_dataset_is_shown_not_raised(events: Path) -> None:
    bad = events / "month=2020-03" / "part-0.parquet"
    bad.write_bytes(b"not parquet at all")
    at = run_app()
    assert at.error and md_text(at.error[0].value) == f"The catalogue {events} could not be loaded."
    assert any(str(bad) in code.value for code in at.code)


def test_a_bad_value_in_a_window_is_shown_not_raised(events: Path) -> None:
    import geopandas as gpd

    path = events / "month=2020-03" / "part-0.parquet"
    part = gpd.read_parquet(path)
    part.loc[part.index[0], "type"] = "picnic"
    part.to_parquet(path, index=False)
    at = run_app()  # the footers are fine: the map page reads the window, and says what is wrong
    assert at.error and "could not be read" in md_text(at.error[0].value)
    assert any(f"{path}:1:" in code.value and "'picnic'" in code.value for code in at.code)
