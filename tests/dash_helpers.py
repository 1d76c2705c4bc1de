"""Helpers for the dashboard's tests: a store filled from the bundled catalogue (and each test's
copy of it), drafts queued from an article, the reviewer's name given, the app run headless and
read (its count line, its map's events), and Markdown read as the reader sees it."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import geopandas as gpd
import pytest
import streamlit.testing.v1.app_test as app_test_module
from conftest import REPO
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from dashboard.add_article import queue_drafts
from geodata.extract.article import parse_article
from geodata.extract.pipeline import extract_article
from geodata.geocoding import OfflineGeocoder, default_geocoder
from geodata.settings import DEFAULTS
from geodata.store import Store, default_store_url, open_store, review
from geodata.store.review import QueuedDraft

#: Three drafts: an attack at Camp Taji (the bundled catalogue has it: a merge is proposed), a
#: statement there (no date read: least confident), a Patriot delivery to Ain al-Asad (proposed
#: as a further report of the bundled one).
TEXT = (
    "Rockets struck Camp Taji on 11 March 2020, killing three coalition soldiers, officials said.\n\n"
    "A Patriot battery was delivered to Ain al-Asad air base last week.\n\n"
    "Iraq's prime minister said on 12 March 2020 that the attacks were a violation of Iraqi sovereignty."
)
PUBLISHED = dt.date(2020, 4, 2)
APP = str(REPO / "dashboard" / "app.py")


def seeded_store(folder: Path, geocoder: OfflineGeocoder) -> Store:
    """The store the dashboard makes beside a copy of the bundled catalogue in ``folder``."""
    catalogue = folder / "events.yaml"
    shutil.copy(DEFAULTS.default_catalogue, catalogue)
    return open_store(default_store_url(catalogue), seed=catalogue, geocoder=geocoder)


def queue(store: Store, text: str = TEXT, *, who: str = "drafter", publisher: str | None = None) -> list[int]:
    """Queue the drafts of ``text`` as the article page does; return their ids."""
    article = parse_article(text, published=PUBLISHED)
    events = [d.event for d in extract_article(text, published=PUBLISHED)]
    if publisher is not None:
        import dataclasses

        article = dataclasses.replace(article, publisher=publisher)
    ids, _ = queue_drafts(store, article, events, who=who, geocoder=default_geocoder())
    return ids


def sign_in(at: AppTest, name: str) -> AppTest:
    """Give the reviewer's name in the sidebar form."""
    at.text_input(key="reviewer_input").set_value(name)
    next(b for b in at.button if b.label == "Start reviewing").click().run()
    assert not at.exception, at.exception
    return at


def md_text(markdown: str) -> str:
    """Markdown escaped by ``md_escape`` as the reader sees it: the backslashes dropped."""
    return re.sub(r"\\(.)", r"\1", markdown)


# --- the whole app, headless -------------------------------------------------------------------


def make_template(folder: Path, geocoder: OfflineGeocoder) -> Path:
    """``folder`` with the bundled catalogue and the store the dashboard fills from it (made once
    per module, copied for each test: seeding is the slow part)."""
    seeded_store(folder, geocoder).close()
    return folder


def template_frame(template: Path) -> gpd.GeoDataFrame:
    """The bundled catalogue as the store gives it to the map."""
    with Store.open(f"sqlite:///{template / 'geodata.db'}") as store:
        return store.frame()


def use_copy(template: Path, folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Make the dashboard work on a copy of ``template`` in ``folder`` (never on a geodata.db
    beside the repository's events.yaml); return the copied catalogue."""
    for made in template.iterdir():
        shutil.copy(made, folder / made.name)
    monkeypatch.delenv("GEODATA_STORE", raising=False)
    monkeypatch.setenv("GEODATA_EVENTS", str(folder / "events.yaml"))
    return folder / "events.yaml"


def run_app(params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


# --- downloads ---------------------------------------------------------------------------------


class RecordingStorage(MemoryMediaFileStorage):
    """AppTest's in-memory media storage, kept where a test can read the downloads from it."""

    made: ClassVar[list[RecordingStorage]] = []

    def __init__(self, media_endpoint: str) -> None:
        super().__init__(media_endpoint)
        RecordingStorage.made.append(self)


class RecordingManager(MediaFileManager):
    """AppTest's media manager, kept where a test can make a download that is made when clicked."""

    made: ClassVar[list[RecordingManager]] = []

    def __init__(self, storage: MemoryMediaFileStorage) -> None:
        super().__init__(storage)
        RecordingManager.made.append(self)


@pytest.fixture
def media(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each AppTest run stores its download buttons' data where :func:`download` finds it."""
    RecordingStorage.made.clear()
    RecordingManager.made.clear()
    monkeypatch.setattr(app_test_module, "MemoryMediaFileStorage", RecordingStorage)
    monkeypatch.setattr(app_test_module, "MediaFileManager", RecordingManager)
    yield
    RecordingStorage.made.clear()
    RecordingManager.made.clear()


def download(at: AppTest, label: str) -> bytes:
    """The bytes the download button ``label`` offers after the last run (a download made when
    clicked is made now)."""
    buttons = [b for b in at.get("download_button") if getattr(b, "label", None) == label]
    assert len(buttons) == 1, [getattr(b, "label", None) for b in at.get("download_button")]
    proto = buttons[0].proto
    url = proto.url or RecordingManager.made[-1].execute_deferred(proto.deferred_file_id)
    return bytes(RecordingStorage.made[-1].get_file(url.rsplit("/", 1)[-1]).content)


def count_line(at: AppTest) -> str:
    return next(m.value for m in at.markdown if " of " in m.value and "events" in m.value)


def map_args(at: AppTest) -> dict[str, Any]:
    def walk(node: Any) -> Any:
        children = getattr(node, "children", None)
        for child in children.values() if isinstance(children, dict) else []:
            yield child
            yield from walk(child)

    for node in walk(at._tree[0]):
        proto: Any = getattr(node, "proto", None)
        if type(proto).__name__ == "ComponentInstance" and "st_folium" in proto.component_name:
            return dict(json.loads(proto.json_args))
    raise AssertionError("no map component")


def shown_events(at: AppTest) -> list[dict[str, Any]]:
    """The markers' data the map was given."""
    fg = map_args(at)["feature_group"]
    start = fg.index("var events = ") + len("var events = ")
    return list(json.loads(fg[start : fg.index(";\n", start)]))


def shown_ids(at: AppTest) -> list[str]:
    return [e["id"] for e in shown_events(at)]


def upload(at: AppTest, name: str, content: bytes) -> AppTest:
    """Give the sidebar's catalogue uploader a file."""
    at.file_uploader[0].set_value((name, content, "application/octet-stream")).run()
    assert not at.exception, at.exception
    return at


# --- the "Add an article" page ------------------------------------------------------------------

#: Every status a draft can have.
EVERY_STATUS = ("pending", "accepted", "rejected", "merged")


def article_page_script(url: str) -> None:
    from dashboard.add_article import page
    from geodata.geocoding import default_geocoder
    from geodata.store import Store

    store = Store.open(url)
    page(store, default_geocoder())


def open_article_page(store: Store) -> AppTest:
    at = AppTest.from_function(article_page_script, args=(store.url,), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def drafted(at: AppTest) -> AppTest:
    """Paste :data:`TEXT`, published on :data:`PUBLISHED`, and draft its events."""
    at.text_area(key="article_text").set_value(TEXT)
    at.date_input(key="article_published").set_value(PUBLISHED)
    at.run()
    next(b for b in at.button if b.label == "Draft events").click().run()
    assert not at.exception, at.exception
    return at


def all_drafts(store: Store) -> list[QueuedDraft]:
    return review.drafts(store, status=EVERY_STATUS)


def queue_button(at: AppTest) -> Any:
    [found] = [b for b in at.button if b.label.startswith("Queue ")]
    return found
