"""The map page over a large catalogue read slim (dashboard.large): a GeoParquet file of more
events than a frame holds whole, and a partitioned dataset, show exactly what the catalogue held
whole in memory shows (markers, table, selected event, downloads, text and actor filters), and a
bad value read late is explained, not raised.

"Large" is :data:`geodata.frame.LARGE_FRAME` events; the tests lower it to the bundled
catalogue's size so that the slim path runs on a few events."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import streamlit as st
from dash_helpers import count_line, download, md_text, media, run_app, shown_events  # noqa: F401
from streamlit.testing.v1 import AppTest

from dashboard import large
from geodata.frame import load_frame
from geodata.geocoding import OfflineGeocoder
from geodata.io.dataset import read_dataset_frame, write_dataset
from geodata.io.export import export_events
from geodata.settings import DEFAULTS

pytestmark = pytest.mark.usefixtures("media")


@pytest.fixture(scope="module")
def bundled(geocoder: OfflineGeocoder) -> Any:
    return load_frame(DEFAULTS.default_catalogue, geocoder=geocoder)


@pytest.fixture
def slim_reads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    """The files read slim (each call's); the catalogue starts with nothing cached."""
    read: list[tuple[str, ...]] = []
    original = large.slim_frame

    def recording(paths: Any, *args: Any) -> Any:
        read.append(tuple(map(str, paths)))
        return original(paths, *args)

    monkeypatch.setattr(large, "slim_frame", recording)
    monkeypatch.delenv("GEODATA_STORE", raising=False)
    st.cache_resource.clear()
    return read


def _show(path: Path, monkeypatch: pytest.MonkeyPatch, *, large_from: int | None = None) -> None:
    """Make ``path`` the dashboard's catalogue; read slim when it has more than ``large_from``."""
    monkeypatch.setenv("GEODATA_EVENTS", str(path))
    monkeypatch.setattr(large, "LARGE_FRAME", large_from if large_from is not None else 10_000)
    st.cache_resource.clear()


def _seen(at: AppTest) -> dict[str, Any]:
    """All the map page shows, the catalogue's name aside."""
    assert not at.exception, at.exception
    counted = count_line(at)
    return {
        "count": counted.split(" · catalogue:")[0],
        "markdown": [m.value for m in at.markdown if m.value != counted],
        "captions": [c.value for c in at.caption],
        "tables": [frame.value.to_dict("records") for frame in at.dataframe],
        "markers": shown_events(at),
        "errors": [e.value for e in at.error],
        "geojson": download(at, "Download GeoJSON"),
        "csv": download(at, "Download CSV"),
    }


def _tour(chosen: str) -> list[dict[str, Any]]:
    """The page at start, with an event selected, after a text search, an actor filter, and a
    window of days and types."""
    at = run_app()
    seen = [_seen(at)]
    at.session_state["selected"] = chosen
    seen.append(_seen(at.run()))
    seen.append(_seen(at.text_input(key="f_text").set_value("patriot").run()))
    at.text_input(key="f_text").set_value("").run()
    seen.append(_seen(at.multiselect(key="f_actors").set_value(["Donald Trump", "Kataib Hezbollah"]).run()))
    at.slider(key="f_window").set_value((dt.date(2020, 3, 11), dt.date(2020, 3, 16))).run()
    seen.append(_seen(at.multiselect(key="f_types").unselect("statement").run()))
    return seen


def _differences(slim: list[dict[str, Any]], whole: list[dict[str, Any]]) -> list[str]:
    return [
        f"step {i}: {key}"
        for i, (a, b) in enumerate(zip(slim, whole, strict=True))
        for key in a
        if a[key] != b[key]
    ]


def test_a_large_file_read_slim_shows_what_it_shows_whole(
    bundled: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, slim_reads: list[tuple[str, ...]]
) -> None:
    path = export_events(bundled, tmp_path / "events.parquet")
    chosen = str(bundled.index[3])
    _show(path, monkeypatch)
    whole = _tour(chosen)
    assert not slim_reads
    _show(path, monkeypatch, large_from=len(bundled) - 1)
    slim = _tour(chosen)
    assert slim_reads == [(str(path),)]
    assert not _differences(slim, whole), _differences(slim, whole)
    # the tour's steps are not all alike: the filters chose different events each time
    assert len({len(step["markers"]) for step in whole}) >= 3
    assert "Donald Trump" in whole[3]["geojson"].decode() and whole[1]["markdown"] != whole[0]["markdown"]


def test_a_dataset_read_slim_shows_what_it_shows_whole(
    bundled: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, slim_reads: list[tuple[str, ...]]
) -> None:
    folder = write_dataset(bundled, tmp_path / "events")
    # the same events, in the dataset's order, as one file held whole
    path = export_events(read_dataset_frame(folder), tmp_path / "events.parquet")
    chosen = str(bundled.index[3])
    _show(path, monkeypatch)
    whole = _tour(chosen)
    _show(folder, monkeypatch)
    slim = _tour(chosen)
    assert slim_reads and all(p.startswith(str(folder)) for read in slim_reads for p in read)
    assert not _differences(slim, whole), _differences(slim, whole)


def _bad_title(path: Path, row: int) -> Path:
    table = pq.read_table(path)
    titles = table["title"].to_pylist()
    titles[row] = " "
    pq.write_table(table.set_column(table.column_names.index("title"), "title", pa.array(titles)), path)
    return path


@pytest.mark.parametrize("kind", ["file", "dataset"])
def test_a_bad_value_read_with_the_rows_shown_is_explained(
    kind: str,
    bundled: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    slim_reads: list[tuple[str, ...]],
) -> None:
    if kind == "file":
        bad = _bad_title(export_events(bundled, tmp_path / "events.parquet"), 5)
        _show(bad, monkeypatch, large_from=len(bundled) - 1)
    else:
        folder = write_dataset(bundled, tmp_path / "events")
        bad = _bad_title(folder / "month=2020-03" / "part-0.parquet", 0)
        _show(folder, monkeypatch)
    at = AppTest.from_file(str(Path(large.__file__).with_name("app.py")), default_timeout=180).run()
    assert not at.exception, at.exception
    assert slim_reads  # the slim columns were fine: the bad title is found when the rows are read
    assert at.error and "could not be read" in md_text(at.error[0].value)
    line = 6 if kind == "file" else 1
    assert any(
        f"{bad}:{line}: " in c.value and "field 'title': the title is missing" in c.value for c in at.code
    )
