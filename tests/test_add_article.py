"""The "Add an article" page: draft, edit, add to the catalogue (validated, atomic) or download."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from conftest import ARTICLE
from streamlit.testing.v1 import AppTest

from dashboard.add_article import add_to_catalogue, drafts_table, edited_events
from geodata.catalog import read_catalogue, write_catalogue
from geodata.errors import CatalogError
from geodata.extract.pipeline import extract_article
from geodata.geocoding import OfflineGeocoder
from geodata.settings import DEFAULTS

TEXT = (
    "Rockets struck Camp Taji on 11 March 2020, killing three coalition soldiers, officials said.\n\n"
    "A Patriot battery was delivered to Ain al-Asad air base last week."
)


def page_script(catalogue: str) -> None:
    from pathlib import Path

    from dashboard.add_article import page
    from geodata.geocoding import default_geocoder

    page(Path(catalogue), default_geocoder(), on_saved=lambda: None)


@pytest.fixture
def catalogue(tmp_path: Path) -> Path:
    path = tmp_path / "events.yaml"
    shutil.copy(DEFAULTS.default_catalogue, path)
    return path


def test_page_drafts_and_adds_events(catalogue: Path, geocoder: OfflineGeocoder) -> None:
    before = len(read_catalogue(catalogue))
    at = AppTest.from_function(page_script, args=(str(catalogue),), default_timeout=120)
    at.run()
    at.text_area(key="article_text").set_value(TEXT)
    at.date_input(key="article_published").set_value(dt.date(2020, 4, 2))
    at.run()
    at.button[0].click().run()  # Draft events
    assert not at.exception, at.exception
    drafts = at.session_state["drafts"]
    assert {e.type for e in drafts} >= {"attack", "air_defence_deployment"}
    add = next(b for b in at.button if b.label.startswith("Add "))
    add.click().run()
    assert not at.exception, at.exception
    assert any("Added" in s.value for s in at.success)
    after = read_catalogue(catalogue, geocoder=geocoder)
    assert len(after) == before + len(drafts)
    assert (catalogue.parent / "events.yaml.bak").exists()
    taji = [
        e
        for e in after.events
        if e.type == "attack"
        and e.date.start == dt.date(2020, 3, 11)
        and e.place.canonical == "Camp Taji"
        and e.provenance is not None
    ]
    assert taji


def test_edits_apply_and_unticked_rows_are_dropped(geocoder: OfflineGeocoder) -> None:
    events = [d.event for d in extract_article(TEXT, published=dt.date(2020, 4, 2))]
    table = drafts_table(events)
    table.loc[0, "title"] = "Edited title"
    table.loc[0, "actors"] = "Kataib Hezbollah, US Army"
    table.loc[1:, "keep"] = False
    kept = edited_events(events, table)
    assert [e.title for e in kept] == ["Edited title"]
    assert kept[0].actors == ["Kataib Hezbollah", "US Army"]
    assert kept[0].provenance == events[0].provenance


def test_invalid_additions_write_nothing(catalogue: Path, geocoder: OfflineGeocoder) -> None:
    events = [d.event for d in extract_article(TEXT, published=dt.date(2020, 4, 2))]
    bad = events[0].model_copy(
        update={"place": events[0].place.model_copy(update={"name": "Xqzzyville", "canonical": "Xqzzyville"})}
    )
    original = catalogue.read_bytes()
    with pytest.raises(CatalogError, match="Xqzzyville"):
        add_to_catalogue(catalogue, [bad], geocoder)
    assert catalogue.read_bytes() == original


def test_a_crash_while_saving_loses_nothing(catalogue: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    events = read_catalogue(catalogue).events
    original = catalogue.read_bytes()

    def crash(*args: object) -> None:
        raise OSError("disk went away")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk went away"):
        write_catalogue(events[:3], catalogue)
    assert catalogue.read_bytes() == original
    assert not list(catalogue.parent.glob(".events.yaml.*.tmp"))


def test_article_with_front_matter_drafts(geocoder: OfflineGeocoder) -> None:
    drafts = extract_article(ARTICLE.read_text(encoding="utf-8"))
    assert drafts and all(d.event.source.publisher == "The National" for d in drafts)
