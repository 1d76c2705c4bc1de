"""Helpers for the dashboard's store tests: a store filled from the bundled catalogue, drafts
queued from an article, the reviewer's name given, and Markdown read as the reader sees it."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard.add_article import queue_drafts
from geodata.extract.article import parse_article
from geodata.extract.pipeline import extract_article
from geodata.geocoding import OfflineGeocoder
from geodata.settings import DEFAULTS
from geodata.store import Store, default_store_url, open_store

#: Three drafts: an attack at Camp Taji (the bundled catalogue has it: a merge is proposed), a
#: statement there (no date read: least confident), a Patriot delivery to Ain al-Asad (proposed
#: as a further report of the bundled one).
TEXT = (
    "Rockets struck Camp Taji on 11 March 2020, killing three coalition soldiers, officials said.\n\n"
    "A Patriot battery was delivered to Ain al-Asad air base last week."
)
PUBLISHED = dt.date(2020, 4, 2)


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
    ids, _ = queue_drafts(store, article, events, who=who, frame=store.frame())
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
