"""The Streamlit script headless (AppTest): filters, URL state, the map's arguments, errors."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from conftest import GOOD_EVENT
from dash_helpers import (
    APP,
    count_line,
    download,
    make_template,
    map_args,
    md_text,
    media,  # noqa: F401 (a fixture)
    run_app,
    shown_ids,
    template_frame,
    upload,
    use_copy,
)
from streamlit.testing.v1 import AppTest
from tilekit import TILES, VECTOR_TILE, mvt, write_mbtiles

from dashboard import data, sidebar, source
from dashboard.data import catalogue_span, events_path
from dashboard.problems import short_message
from dashboard.state import (
    MAX_ZOOM,
    Filters,
    MapView,
    event_from_params,
    filters_from_params,
    params_from_filters,
    params_from_view,
    step_window,
    view_from_params,
    view_of_map,
)
from geodata.errors import CatalogError, GeodataError, Problem
from geodata.frame import filter_events
from geodata.geocoding import OfflineGeocoder
from geodata.io.acled import acled_csv_bytes
from geodata.io.export import csv_bytes, geojson_bytes
from geodata.settings import DEFAULTS


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, geocoder: OfflineGeocoder) -> Path:
    return make_template(tmp_path_factory.mktemp("template"), geocoder)


@pytest.fixture(scope="module")
def bundled(template: Path) -> Any:
    return template_frame(template)


@pytest.fixture(autouse=True)
def catalogue(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_copy(template, tmp_path, monkeypatch)


def test_default_view_shows_every_event_with_local_assets_only(bundled: Any) -> None:
    at = run_app()
    assert count_line(at).startswith(f"**{len(bundled)} of {len(bundled)} events**")
    args = map_args(at)
    links = args["js_links"] + args["css_links"]
    assert links and all(link.startswith("../dashboard.assets.geodata_") for link in links), links
    assert "http://" not in args["header"] and "https://" not in args["header"]
    assert sorted(shown_ids(at)) == sorted(bundled["id"])


def test_type_filter_changes_map_and_count(bundled: Any) -> None:
    at = run_app()
    at.multiselect(key="f_types").set_value(["attack", "base_handover"]).run()
    expected = filter_events(bundled, types=["attack", "base_handover"])
    assert count_line(at).startswith(f"**{len(expected)} of {len(bundled)} events**")
    assert sorted(shown_ids(at)) == sorted(expected["id"])
    assert dict(at.query_params) == {"types": "attack,base_handover"}


def test_time_window_filter(bundled: Any) -> None:
    at = run_app()
    window = (dt.date(2020, 3, 24), dt.date(2020, 3, 29))
    at.slider(key="f_window").set_value(window).run()
    expected = filter_events(bundled, start=window[0], end=window[1])
    assert sorted(shown_ids(at)) == sorted(expected["id"])
    assert 0 < len(expected) < len(bundled)


def test_text_and_actor_filters(bundled: Any) -> None:
    at = run_app()
    at.text_input(key="f_text").set_value("patriot").run()
    assert sorted(shown_ids(at)) == sorted(filter_events(bundled, text="patriot")["id"])
    at.text_input(key="f_text").set_value("").run()
    at.multiselect(key="f_actors").set_value(["Donald Trump"]).run()
    assert shown_ids(at) == list(filter_events(bundled, actors=["Donald Trump"])["id"])


def test_url_restores_filters(bundled: Any) -> None:
    at = run_app({"types": "attack,statement", "start": "2020-03-12", "end": "2020-03-31", "q": "base"})
    expected = filter_events(
        bundled,
        types=["attack", "statement"],
        start=dt.date(2020, 3, 12),
        end=dt.date(2020, 3, 31),
        text="base",
    )
    assert sorted(shown_ids(at)) == sorted(expected["id"])
    assert at.multiselect(key="f_types").value == ["attack", "statement"]
    assert at.slider(key="f_window").value == (dt.date(2020, 3, 12), dt.date(2020, 3, 31))
    assert at.text_input(key="f_text").value == "base"


def test_a_link_gives_the_map_view_and_the_selected_event(bundled: Any) -> None:
    chosen = str(bundled["id"].iloc[3])
    link = {"lat": "36.1912", "lon": "44.0094", "z": "9", "event": chosen}
    at = run_app(link)
    assert not at.exception, at.exception
    header = map_args(at)["script"]
    assert "[36.1912, 44.0094]" in header and '"zoom": 9' in header  # the map opens there
    headings = [md_text(m.value) for m in at.markdown if m.value.startswith("#### ")]
    assert headings == [f"#### {bundled.loc[chosen, 'title']}"]  # the event's details
    assert dict(at.query_params) == link  # and the address bar still says so
    at.multiselect(key="f_types").set_value(["warning"]).run()  # the event is filtered out
    assert "event" not in dict(at.query_params) and dict(at.query_params)["z"] == "9"


@pytest.mark.parametrize(
    "params",
    [
        {"lat": "nan", "lon": "44", "z": "9"},
        {"lat": "95", "lon": "44"},
        {"lat": "33", "lon": "1e999"},
        {"lat": "33"},
        {"lat": "33", "lon": "44", "z": "nine"},
    ],
)
def test_a_bad_view_in_a_link_is_ignored(params: dict[str, str]) -> None:
    assert view_from_params(params) is None


def test_a_link_view_is_kept_in_range_and_events_are_ids() -> None:
    assert view_from_params({"lat": "33.5", "lon": "43.5", "z": "40"}) == MapView(33.5, 43.5, MAX_ZOOM)
    assert view_from_params({"lat": "33.5", "lon": "43.5"}) == MapView(33.5, 43.5, 5)
    assert params_from_view(MapView(33.123456, -43.5, 7)) == {"lat": "33.1235", "lon": "-43.5000", "z": "7"}
    assert view_of_map({"center": {"lat": 10.0, "lng": 370.0}, "zoom": 4}) == MapView(10.0, 10.0, 4)
    assert view_of_map({"zoom": 4}) is None
    assert event_from_params({"event": "attack-taji-2020-03-11"}) == "attack-taji-2020-03-11"
    for bad in ("../etc", "<script>", "A" * 10, "x" * 200, ""):
        assert event_from_params({"event": bad}) is None


@pytest.mark.usefixtures("media")
def test_downloads_hold_exactly_the_filtered_events(bundled: Any) -> None:
    at = run_app()
    types, window = (
        ["attack", "statement", "air_defence_deployment"],
        (dt.date(2020, 3, 12), dt.date(2020, 3, 31)),
    )
    at.multiselect(key="f_types").set_value(types).run()
    at.slider(key="f_window").set_value(window).run()
    at.text_input(key="f_text").set_value("iraq").run()
    assert not at.exception, at.exception
    expected = filter_events(bundled, types=types, start=window[0], end=window[1], text="iraq")
    assert 1 < len(expected) < len(bundled)
    assert shown_ids(at) == list(expected["id"])

    geojson, table = download(at, "Download GeoJSON"), download(at, "Download CSV")
    assert geojson == geojson_bytes(expected)
    assert table == csv_bytes(expected)
    assert download(at, "Download ACLED CSV") == acled_csv_bytes(expected)
    assert [f["id"] for f in json.loads(geojson)["features"]] == list(expected["id"])
    assert [r["id"] for r in csv.DictReader(io.StringIO(table.decode("utf-8")))] == list(expected["id"])


def week_from(day: dt.date) -> tuple[dt.date, dt.date]:
    return day, day + dt.timedelta(days=6)


def test_playback_steps_the_window(bundled: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    reruns: list[str] = []
    monkeypatch.setattr(sidebar, "PLAY_SECONDS", 0.0)
    # AppTest would rerun a playing app forever: record that it asked to run again instead.
    monkeypatch.setattr(st, "rerun", lambda **kwargs: reruns.append("rerun"))
    first, last = catalogue_span(bundled)
    second_week = week_from(first + dt.timedelta(days=7))
    assert last > second_week[1]
    at = run_app()
    labels = [b.label for b in at.button]
    first_step = labels.index("◀")
    assert labels[first_step : first_step + 3] == ["◀", "▶ Play", "▶▶"]

    def press(offset: int) -> None:  # ◀, ▶ Play / ⏸ Pause, ▶▶ (looked up again after each run)
        at.button[first_step + offset].click().run()

    assert at.slider(key="f_window").value == (first, last)
    press(0)  # back from the whole span: the last week
    assert at.slider(key="f_window").value == (last - dt.timedelta(days=6), last)
    press(2)  # forward from the last week wraps to the first week
    assert at.slider(key="f_window").value == week_from(first)
    press(2)
    assert at.slider(key="f_window").value == second_week
    assert reruns == []

    next(b for b in at.button if b.label == "Reset filters").click().run()
    assert at.slider(key="f_window").value == (first, last)
    press(1)  # ▶ Play from the whole span: the first week, then it asks to run again
    assert at.button[first_step + 1].label == "⏸ Pause"
    assert at.slider(key="f_window").value == week_from(first)
    assert reruns == ["rerun"]
    at.run()  # the run it asked for: one week on, and it asks again
    assert at.slider(key="f_window").value == second_week
    assert reruns == ["rerun", "rerun"]

    press(1)  # ⏸ Pause: the window stays, and the app no longer asks to run again
    assert at.button[first_step + 1].label == "▶ Play"
    assert at.slider(key="f_window").value == second_week
    at.run()
    assert at.slider(key="f_window").value == second_week
    assert reruns == ["rerun", "rerun"]
    assert not at.exception, at.exception


def test_invalid_catalogue_shows_its_problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "own" / "bad.yaml"
    bad.parent.mkdir()
    bad.write_text("- id: x\n  type: nope\n", encoding="utf-8")
    monkeypatch.setenv("GEODATA_EVENTS", str(bad))
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    assert not at.exception
    store = f"sqlite:///{bad.parent / 'geodata.db'}"
    assert upload_errors(at) == [f"The catalogue {bad} could not be loaded into the store {store}."]
    assert any("unknown type 'nope'" in c.value for c in at.code)
    # Nothing was written: the next start reads the catalogue again.
    bad.write_text(GOOD_EVENT, encoding="utf-8")
    at = AppTest.from_file(APP, default_timeout=180).run()
    assert not at.exception, at.exception
    assert count_line(at).startswith("**1 of 1 events**")


def test_events_path_precedence(tmp_path: Path) -> None:
    assert events_path(["--events", "a.yaml"], {"GEODATA_EVENTS": "b.yaml"}) == Path("a.yaml")
    assert events_path([], {"GEODATA_EVENTS": "b.yaml"}) == Path("b.yaml")
    assert events_path([], {}) == DEFAULTS.default_catalogue


def test_filters_round_trip_through_params() -> None:
    filters = Filters(
        types=("attack",),
        start=dt.date(2020, 3, 1),
        end=dt.date(2020, 3, 9),
        actors=("Iran",),
        text="rockets",
    )
    assert filters_from_params(params_from_filters(filters)) == filters
    assert params_from_filters(Filters()) == {}
    junk = filters_from_params({"types": "attack,bogus", "start": "2020-99-01", "end": "x"})
    assert (junk.types, junk.start, junk.end) == (("attack",), None, None)


def test_step_window_wraps() -> None:
    span = (dt.date(2020, 3, 1), dt.date(2020, 3, 31))
    assert step_window(dt.date(2020, 3, 1), dt.date(2020, 3, 7), span, 7) == (
        dt.date(2020, 3, 8),
        dt.date(2020, 3, 14),
    )
    assert step_window(dt.date(2020, 3, 29), dt.date(2020, 3, 31), span, 7)[0] == dt.date(2020, 3, 1)


# --- uploads: whatever a reader raises, the page shows a problem and keeps the catalogue ---------

READER_FAILURES = [
    AttributeError("'list' object has no attribute 'get'"),
    RecursionError("maximum recursion depth exceeded while decoding a JSON array"),
    ValueError("Exceeds the limit (4300 digits) for integer string conversion"),
    OverflowError("date value out of range"),
    MemoryError(),
    KeyError("geometry"),
    TypeError("'NoneType' object is not subscriptable\nsecond line"),
    UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"),
    GeodataError("upload.yaml: the file is too large"),
]


def upload_errors(at: AppTest) -> list[str]:
    return [md_text(e.value) for e in at.error]


@pytest.mark.parametrize("error", READER_FAILURES, ids=lambda e: type(e).__name__)
def test_any_reader_exception_is_shown_and_the_catalogue_kept(
    error: Exception, bundled: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def fail(content: bytes, name: str, geocoder: OfflineGeocoder) -> Any:
        calls.append(name)
        raise error

    monkeypatch.setattr(data, "load_uploaded", fail)
    at = run_app()
    before = count_line(at)
    # Content unique to the case: the app caches what the reader returns by content.
    upload(at, "upload.yaml", f"# {type(error).__name__}\n".encode())
    assert upload_errors(at) == ["upload.yaml was not loaded; the current catalogue is kept."]
    message = str(error).splitlines()[0] if str(error) else ""
    expected = f"upload.yaml could not be read: {type(error).__name__}" + (f": {message}" if message else "")
    assert [c.value for c in at.code] == [expected]
    assert count_line(at) == before
    assert sorted(shown_ids(at)) == sorted(bundled["id"])
    # A filter change runs the app again: the problem stays, the file is not read again.
    at.text_input(key="f_text").set_value("patriot").run()
    assert not at.exception, at.exception
    assert [c.value for c in at.code] == [expected]
    assert calls == ["upload.yaml"]
    assert sorted(shown_ids(at)) == sorted(filter_events(bundled, text="patriot")["id"])


def test_a_catalog_error_shows_every_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    problems = [
        Problem("unknown type 'nope'", event_id="x", field="type", line=2, path="upload.yaml"),
        Problem("duplicate id", event_id="x", field="id", line=9, path="upload.yaml"),
    ]

    def fail(content: bytes, name: str, geocoder: OfflineGeocoder) -> Any:
        raise CatalogError(problems)

    monkeypatch.setattr(data, "load_uploaded", fail)
    at = upload(run_app(), "upload.yaml", b"# CatalogError\n")
    assert upload_errors(at) == ["upload.yaml was not loaded; the current catalogue is kept."]
    assert [c.value for c in at.code] == ["\n".join(p.format() for p in problems)]


HOSTILE_FILES = {
    "geometry-list.geojson": json.dumps(
        {
            "type": "FeatureCollection",
            "features": [{"type": "Feature", "geometry": [44.0, 36.2], "properties": {"id": "a"}}],
        }
    ).encode(),
    "long-integer.yaml": b"- id: x\n  type: attack\n  title: " + b"9" * 5000 + b"\n",
    "nul-bytes.yaml": GOOD_EVENT.replace("Patriot", "Pat\x00riot").encode(),
    "brackets.geojson": b"[" * 100_000,
    "brackets.yaml": b"[" * 100_000,
    "not-utf8.csv": b"id,type\n\xff\xfe,attack\n",
}


@pytest.mark.parametrize("name", HOSTILE_FILES)
def test_hostile_files_never_crash_the_page(name: str) -> None:
    at = upload(run_app(), "good.yaml", GOOD_EVENT.encode())
    assert count_line(at).startswith("**1 of 1 events**")
    assert shown_ids(at) == ["patriot-erbil"]
    assert at.error.len == 0

    upload(at, name, HOSTILE_FILES[name])
    assert upload_errors(at) == [f"{name} was not loaded; the current catalogue is kept."]
    lines = at.code[0].value.splitlines()
    # Today some of these raise built-in exceptions, later CatalogErrors: either way the
    # problems name the file.
    assert lines and lines[0].startswith(name), lines
    assert count_line(at).startswith("**1 of 1 events**") and "good" in count_line(at)
    assert shown_ids(at) == ["patriot-erbil"]


def test_upload_problems_are_shown_as_text(bundled: Any) -> None:
    name = "[click](javascript:alert(1)) <img src=x onerror=alert(1)> *bold*.yaml"
    payload = '<script>alert("x")</script> **bold** [link](javascript:alert(1)) $x^2$'
    content = f"- id: x\n  type: {json.dumps(payload)}\n".encode()
    at = upload(run_app(), name, content)
    error = at.error[0].value
    # The title is Markdown with every special character escaped; the problems are a code block.
    assert md_text(error) == f"{name} was not loaded; the current catalogue is kept."
    assert all(f"\\{c}" in error for c in "[]()<>*")
    assert at.code[0].language in ("", None, "plaintext")
    assert repr(payload) in at.code[0].value
    assert sorted(shown_ids(at)) == sorted(bundled["id"])


@pytest.mark.parametrize(
    "error", [RecursionError("maximum recursion depth exceeded"), MemoryError()], ids=repr
)
def test_a_start_up_file_that_crashes_its_reader_is_explained(
    error: BaseException, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "crash.geojson"  # a file view: read as it is
    path.write_text("{}", encoding="utf-8")
    monkeypatch.setenv("GEODATA_EVENTS", str(path))

    def fail(path: Path, geocoder: object) -> Any:
        raise error

    monkeypatch.setattr(data, "load_events_file", fail)
    at = AppTest.from_file(APP, default_timeout=180).run()
    assert not at.exception, at.exception
    assert upload_errors(at) == [f"The catalogue {path} could not be loaded."]
    assert [c.value for c in at.code] == [f"{path} could not be read: " + short_message(error)]


@pytest.mark.parametrize(
    "error", [RecursionError("maximum recursion depth exceeded"), MemoryError()], ids=repr
)
def test_a_store_that_cannot_be_opened_is_explained(
    error: BaseException, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = "sqlite:////nowhere/geodata.db"
    monkeypatch.setenv(data.ENV_STORE, url)
    monkeypatch.delenv(data.ENV_EVENTS)

    def fail(url: str, **kwargs: object) -> Any:
        raise error

    monkeypatch.setattr(source, "open_store", fail)
    at = AppTest.from_file(APP, default_timeout=180).run()
    assert not at.exception, at.exception
    assert upload_errors(at) == [f"The store {url} could not be opened."]
    assert [c.value for c in at.code] == [f"{url} could not be read: " + short_message(error)]


def test_a_million_problems_are_cut_to_the_first_two_hundred(monkeypatch: pytest.MonkeyPatch) -> None:
    problems = [Problem(f"problem {n}", line=n, path="many.yaml") for n in range(1, 1_000_001)]

    def fail(content: bytes, name: str, geocoder: OfflineGeocoder) -> Any:
        raise CatalogError(problems)

    monkeypatch.setattr(data, "load_uploaded", fail)
    at = upload(run_app(), "many.yaml", b"# a million problems\n")
    lines = at.code[0].value.splitlines()
    assert lines[:2] == ["many.yaml:1: problem 1", "many.yaml:2: problem 2"]
    assert lines[199:] == ["many.yaml:200: problem 200", "… and 999,800 more"]
    assert len(at.session_state["upload_failed"][1]) == 201


@pytest.fixture
def tiles_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Tile sets written out under ``tmp_path``, not the user's cache."""
    folder = tmp_path / "tiles-cache"
    monkeypatch.setattr(source, "DEFAULTS", dataclasses.replace(DEFAULTS, tiles_cache_dir=folder))
    return folder


@pytest.mark.parametrize("vector", [False, True], ids=["raster", "vector"])
def test_own_tiles_are_a_layer_served_from_the_dashboard(
    bundled: Any, tmp_path: Path, tiles_cache: Path, monkeypatch: pytest.MonkeyPatch, vector: bool
) -> None:
    own = write_mbtiles(tmp_path / "own.mbtiles", fmt="pbf", data=mvt(VECTOR_TILE)) if vector else None
    monkeypatch.setenv("GEODATA_TILES", str(own or write_mbtiles(tmp_path / "own.mbtiles")))
    at = run_app()
    assert not at.error
    script = json.dumps(map_args(at))
    template = re.search(r"\.\./dashboard\.assets\.geodata_tiles_\w+/\{z\}/\{x\}/\{y\}\.png", script)
    assert template is not None, script[:2000]
    assert "Your tiles: Test tiles" in script and "<b>tiles" not in script  # the credit is escaped
    assert len(list(tiles_cache.rglob("*.png"))) == len(TILES)
    assert count_line(at).startswith(f"**{len(bundled)} of {len(bundled)} events**")


def test_tiles_that_cannot_be_shown_are_said_and_the_map_goes_on(
    bundled: Any, tmp_path: Path, tiles_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = write_mbtiles(tmp_path / "vector.mbtiles", fmt="pbf", data=b"\x1e\x00")  # no vector tile
    monkeypatch.setenv("GEODATA_TILES", str(broken))
    at = run_app()
    assert any("Your map tiles are not shown" in e.value and "vector tile 0/0/0" in e.value for e in at.error)
    assert "geodata_tiles_" not in json.dumps(map_args(at))
    assert count_line(at).startswith(f"**{len(bundled)} of {len(bundled)} events**")
