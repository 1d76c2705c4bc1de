"""The dashboard over its store, headless (AppTest): where the map reads, the store's first
filling, the map's cache following the store's changes, file views beside the store."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import GOOD_EVENT
from dash_helpers import (
    APP,
    count_line,
    make_template,
    md_text,
    run_app,
    shown_ids,
    template_frame,
    upload,
    use_copy,
)
from streamlit.testing.v1 import AppTest

from dashboard import data
from geodata.frame import filter_events
from geodata.geocoding import OfflineGeocoder
from geodata.io.export import geojson_bytes
from geodata.settings import DEFAULTS
from geodata.store import Store


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, geocoder: OfflineGeocoder) -> Path:
    return make_template(tmp_path_factory.mktemp("template"), geocoder)


@pytest.fixture(scope="module")
def bundled(template: Path) -> Any:
    return template_frame(template)


@pytest.fixture(autouse=True)
def catalogue(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_copy(template, tmp_path, monkeypatch)


def test_where_the_map_reads(tmp_path: Path) -> None:
    yaml, geojson = tmp_path / "mine.yaml", tmp_path / "big.parquet"
    beside = f"sqlite:///{tmp_path / 'geodata.db'}"
    assert data.where([], {}) == data.Where(
        f"sqlite:///{DEFAULTS.default_catalogue.resolve().parent / 'geodata.db'}", DEFAULTS.default_catalogue
    )
    assert data.where(["--events", str(yaml)], {}) == data.Where(beside, yaml)
    assert data.where([], {"GEODATA_EVENTS": str(yaml)}) == data.Where(beside, yaml)
    # GeoJSON, CSV and GeoParquet are read as they are: never copied into a database on start.
    assert data.where(["--events", str(geojson)], {}) == data.Where(None, geojson)
    # A named store wins; it is filled from the catalogue only when one is named.
    assert data.where(["--store", "sqlite:///a.db"], {"GEODATA_STORE": "sqlite:///b.db"}) == data.Where(
        "sqlite:///a.db", None
    )
    assert data.where([], {"GEODATA_STORE": "sqlite:///b.db", "GEODATA_EVENTS": str(yaml)}) == data.Where(
        "sqlite:///b.db", yaml
    )
    assert data.where(["--store", "sqlite:///a.db", "--events", str(geojson)], {}) == data.Where(
        "sqlite:///a.db", None
    )
    assert data.Where("postgresql://ann:secret@db/geo", None).label == "the store postgresql://ann:***@db/geo"
    assert data.Where(beside, yaml).label == "mine.yaml, in the store geodata.db beside it"


def test_a_fresh_catalogue_gets_its_store_on_first_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bundled: Any
) -> None:
    folder = tmp_path / "fresh"
    folder.mkdir()
    shutil.copy(DEFAULTS.default_catalogue, folder / "events.yaml")
    monkeypatch.setenv(data.ENV_EVENTS, str(folder / "events.yaml"))
    at = run_app()
    assert md_text(count_line(at)).endswith("catalogue: events.yaml, in the store geodata.db beside it")
    assert sorted(shown_ids(at)) == sorted(bundled["id"])
    with Store.open(f"sqlite:///{folder / 'geodata.db'}") as store:
        assert store.count() == len(bundled)
        assert [c.action for c in store.history(bundled["id"].iloc[0])] == ["seed"]
    assert (folder / "events.yaml").read_bytes() == DEFAULTS.default_catalogue.read_bytes()


def test_the_map_is_read_again_only_when_the_store_changes(
    catalogue: Path, bundled: Any, geocoder: OfflineGeocoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[str] = []
    frame = Store.frame

    def counted(store: Store) -> Any:
        reads.append(store.url)
        return frame(store)

    monkeypatch.setattr(Store, "frame", counted)
    at = run_app()
    assert len(reads) == 1
    at.text_input(key="f_text").set_value("patriot").run()
    at.multiselect(key="f_types").set_value(["attack"]).run()
    at.text_input(key="f_text").set_value("").run()
    assert len(reads) == 1  # filter changes use the cached frame
    # Another browser or the command line adds an event to the store.
    new = next(iter(read_catalogue_events(catalogue))).model_copy(update={"id": "added-from-outside"})
    with Store.open(f"sqlite:///{catalogue.parent / 'geodata.db'}") as outside:
        outside.import_events([new], who="cli", geocoder=geocoder)
    at.run()
    assert not at.exception, at.exception
    assert len(reads) == 2
    attacks = len(filter_events(bundled, types=["attack"])) + (new.type == "attack")
    assert count_line(at).startswith(f"**{attacks} of {len(bundled) + 1} events**")
    at.multiselect(key="f_types").set_value(list(bundled["type"].unique())).run()
    assert "added-from-outside" in shown_ids(at)
    assert len(reads) == 2


def read_catalogue_events(path: Path) -> list[Any]:
    from geodata.catalog import read_catalogue

    return list(read_catalogue(path).events)


def test_a_geojson_catalogue_is_a_read_only_file_view(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bundled: Any
) -> None:
    path = tmp_path / "view" / "events.geojson"
    path.parent.mkdir()
    path.write_bytes(geojson_bytes(bundled))
    monkeypatch.setenv(data.ENV_EVENTS, str(path))
    at = AppTest.from_file(APP, default_timeout=180)
    at.session_state["selected"] = bundled["id"].iloc[0]
    at.run()
    assert not at.exception, at.exception
    assert md_text(count_line(at)).endswith("catalogue: events.geojson (a read-only file view)")
    assert sorted(shown_ids(at)) == sorted(bundled["id"])
    assert not list(path.parent.glob("geodata.db*"))  # no store made
    labels = [b.label for b in at.button]
    assert "Start reviewing" not in labels and "Edit" not in labels  # nothing to write to


def test_an_upload_is_a_file_view_and_the_store_comes_back(bundled: Any) -> None:
    at = run_app()
    at.session_state["selected"] = bundled["id"].iloc[0]
    at.run()
    assert "Edit" in [b.label for b in at.button]
    upload(at, "good.yaml", GOOD_EVENT.encode())
    assert count_line(at).startswith("**1 of 1 events**")
    assert "good.yaml (uploaded: a read-only file view, the store is unchanged)" in md_text(count_line(at))
    at.session_state["selected"] = "patriot-erbil"
    at.run()
    assert "Edit" not in [b.label for b in at.button]
    next(b for b in at.button if b.label == "Back to the store").click().run()
    assert not at.exception, at.exception
    assert count_line(at).startswith(f"**{len(bundled)} of {len(bundled)} events**")
    assert at.file_uploader[0].value is None


def outside_event(catalogue: Path, day: dt.date) -> Any:
    """An event of the catalogue under another id, on ``day``."""
    first = read_catalogue_events(catalogue)[0]
    dated = first.date.model_copy(update={"start": day, "end": day, "precision": "day"})
    return first.model_copy(update={"id": f"from-outside-{day:%Y%m%d}", "date": dated})


def test_the_timeline_follows_the_store_as_it_grows_and_shrinks(
    catalogue: Path, bundled: Any, geocoder: OfflineGeocoder
) -> None:
    n = len(bundled)
    first, last = data.catalogue_span(bundled)
    at = run_app()
    # Another analyst adds an event a week before the first: a window over the whole span
    # covers the new one too, so the map shows it.
    earlier = outside_event(catalogue, first - dt.timedelta(days=7))
    with Store.open(f"sqlite:///{catalogue.parent / 'geodata.db'}") as outside:
        outside.import_events([earlier], who="Bob", geocoder=geocoder)
        at.run()
        assert not at.exception, at.exception
        assert count_line(at).startswith(f"**{n + 1} of {n + 1} events**")
        assert earlier.id in shown_ids(at)
        assert at.slider(key="f_window").value == (earlier.date.start, last)
        # It is undone: the span shrinks back, and so does the window (no error, nothing hidden).
        outside.undo(outside.history(earlier.id)[-1].id, who="Bob", geocoder=geocoder)
        at.run()
        assert not at.exception, at.exception
        assert count_line(at).startswith(f"**{n} of {n} events**")
        assert at.slider(key="f_window").value == (first, last)
        # A window the analyst narrowed stays as it was when the store grows.
        narrowed = (first + dt.timedelta(days=3), last - dt.timedelta(days=3))
        at.slider(key="f_window").set_value(narrowed).run()
        later = outside_event(catalogue, last + dt.timedelta(days=7))
        outside.import_events([later], who="Bob", geocoder=geocoder)
        at.run()
        assert not at.exception, at.exception
        assert at.slider(key="f_window").value == narrowed
        assert later.id not in shown_ids(at)
        assert f" of {n + 1} events**" in count_line(at)
