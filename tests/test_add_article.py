"""The "Add an article" page: draft, edit, add to the catalogue (validated, atomic) or download."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import ARTICLE
from streamlit.testing.v1 import AppTest

from dashboard import add_article
from dashboard.add_article import add_to_catalogue, drafts_table, edited_events
from geodata.catalog import read_catalogue, write_catalogue
from geodata.errors import CatalogError, GeodataError
from geodata.extract.pipeline import extract_article
from geodata.geocoding import OfflineGeocoder
from geodata.model import Event
from geodata.settings import DEFAULTS
from geodata.taxonomy import EVENT_TYPES

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


# --- whatever the article or the catalogue holds, the page shows a problem, never a traceback ----

FAILURES = [
    AttributeError("'list' object has no attribute 'get'"),
    RecursionError("maximum recursion depth exceeded"),
    ValueError("Exceeds the limit (4300 digits) for integer string conversion"),
    OverflowError("date value out of range"),
    MemoryError(),
    GeodataError("article: published '<img src=x>' is not a date"),
]


def failing(error: BaseException) -> Callable[..., Any]:
    def fail(*args: object, **kwargs: object) -> Any:
        raise error

    return fail


def expected_line(name: str, error: BaseException, failed: str = "could not be read") -> str:
    message = str(error).splitlines()[0] if str(error) else ""
    return f"{name} {failed}: {type(error).__name__}" + (f": {message}" if message else "")


def open_page(catalogue: Path) -> AppTest:
    at = AppTest.from_function(page_script, args=(str(catalogue),), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def drafted(at: AppTest) -> AppTest:
    at.text_area(key="article_text").set_value(TEXT)
    at.date_input(key="article_published").set_value(dt.date(2020, 4, 2))
    at.run()
    next(b for b in at.button if b.label == "Draft events").click().run()
    assert not at.exception, at.exception
    return at


def errors(at: AppTest) -> list[str]:
    return [re.sub(r"\\(.)", r"\1", e.value) for e in at.error]


@pytest.mark.parametrize("error", FAILURES, ids=lambda e: type(e).__name__)
def test_reading_the_article_fails_without_a_traceback(
    error: BaseException, catalogue: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(add_article, "parse_article", failing(error))
    at = open_page(catalogue)
    at.text_area(key="article_text").set_value(TEXT).run()
    assert not at.exception, at.exception
    assert errors(at) == ["the pasted text could not be read."]
    assert [c.value for c in at.code] == [expected_line("the pasted text", error)]


@pytest.mark.parametrize("error", FAILURES, ids=lambda e: type(e).__name__)
def test_drafting_fails_without_a_traceback(
    error: BaseException, catalogue: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(add_article, "extract_article", failing(error))
    at = drafted(open_page(catalogue))
    assert errors(at) == ["No events were drafted from the pasted text."]
    assert [c.value for c in at.code] == [expected_line("the pasted text", error)]
    assert at.session_state["drafts"] == []
    at.text_area(key="article_text").set_value(TEXT + " Again.").run()  # the page still runs
    assert not at.exception, at.exception


@pytest.mark.parametrize(
    "error", [*FAILURES, OSError(28, "No space left on device")], ids=lambda e: type(e).__name__
)
def test_adding_fails_without_a_traceback_and_writes_nothing(
    error: BaseException, catalogue: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = catalogue.read_bytes()
    monkeypatch.setattr(add_article, "add_to_catalogue", failing(error))
    at = drafted(open_page(catalogue))
    drafts = at.session_state["drafts"]
    assert drafts
    next(b for b in at.button if b.label.startswith("Add ")).click().run()
    assert not at.exception, at.exception
    assert errors(at) == ["Nothing was written."]
    assert [c.value for c in at.code] == [expected_line("events.yaml", error, "was not written")]
    assert catalogue.read_bytes() == original
    assert at.session_state["drafts"] == drafts  # kept, to try again


HOSTILE_ARTICLES = {
    "long-integer.md": "---\npublished: " + "9" * 5000 + "\n---\n" + TEXT,
    "nul-bytes.md": "---\ntitle: a\x00b\n---\n" + TEXT,
    "brackets.md": "---\ntitle: " + "[" * 100_000 + "\n---\n" + TEXT,
    "not-a-date.md": '---\npublished: "<img src=x onerror=alert(1)> [x](javascript:alert(1))"\n---\n' + TEXT,
    "front-matter-list.md": "---\n- a\n- b\n---\n" + TEXT,
    "binary.txt": "\x00\x01\x02\ufffd" * 1000,
}


@pytest.mark.parametrize("name", HOSTILE_ARTICLES)
def test_hostile_article_files_never_crash_the_page(name: str, catalogue: Path) -> None:
    original = catalogue.read_bytes()
    at = open_page(catalogue)
    at.file_uploader[0].set_value((name, HOSTILE_ARTICLES[name].encode(), "text/markdown")).run()
    assert not at.exception, at.exception
    read_problems = [c.value for c in at.code]
    assert all(line.startswith(name) for line in read_problems), read_problems
    next(b for b in at.button if b.label == "Draft events").click().run()
    assert not at.exception, at.exception
    for box in at.code:
        assert box.value.startswith(name), box.value
    assert catalogue.read_bytes() == original


def test_edits_that_are_not_valid_are_listed_as_text(
    catalogue: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    payload = "<img src=x onerror=alert(1)> **bold** [x](javascript:alert(1))"

    def invalid(originals: list[Event], table: object) -> list[Event]:
        return [Event.model_validate({**originals[0].model_dump(), "type": payload})]

    monkeypatch.setattr(add_article, "edited_events", invalid)
    at = drafted(open_page(catalogue))
    assert errors(at) == ["Some edits are not valid:"]
    assert [c.value for c in at.code] == [
        f"type: Value error, unknown type {payload!r}; use one of: {', '.join(EVENT_TYPES)}"
    ]


def test_a_pasted_articles_front_matter_fills_date_and_publisher(catalogue: Path) -> None:
    at = open_page(catalogue)  # the widgets exist before the article arrives
    assert at.date_input(key="article_published").value == dt.date.today()
    at.text_area(key="article_text").set_value(ARTICLE.read_text(encoding="utf-8")).run()
    assert not at.exception, at.exception
    assert at.date_input(key="article_published").value == dt.date(2020, 4, 2)
    assert at.text_input(key="article_publisher").value == "The National"
    next(b for b in at.button if b.label == "Draft events").click().run()
    drafts = at.session_state["drafts"]
    assert drafts and all(e.source.published == dt.date(2020, 4, 2) for e in drafts)
    assert all(e.source.publisher == "The National" for e in drafts)

    # The user's own choice stands until another article arrives; text without front matter keeps it.
    at.text_input(key="article_publisher").set_value("Reuters").run()
    assert at.text_input(key="article_publisher").value == "Reuters"
    at.text_area(key="article_text").set_value(TEXT).run()
    assert at.text_input(key="article_publisher").value == "Reuters"
    assert at.date_input(key="article_published").value == dt.date(2020, 4, 2)


def test_only_the_drafts_the_drafting_is_sure_of_are_ticked(geocoder: OfflineGeocoder) -> None:
    at = AppTest.from_function(page_script, args=(str(DEFAULTS.default_catalogue),), default_timeout=120)
    at.run()
    at.text_area(key="article_text").set_value(ARTICLE.read_text(encoding="utf-8"))
    at.run()
    at.button[0].click().run()  # Draft events
    assert not at.exception, at.exception
    drafts = extract_article(ARTICLE.read_text(encoding="utf-8"))
    keep = at.session_state["drafts_keep"]
    assert keep == [d.preselected for d in drafts] and any(keep) and not all(keep)
    assert list(drafts_table([d.event for d in drafts], keep)["keep"]) == keep
