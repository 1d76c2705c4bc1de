"""The "Add an article" page: draft, edit, queue the kept drafts in the store as pending drafts
(the article kept with them) or download them; the catalogue file is never written."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from conftest import ARTICLE
from dash_helpers import (
    PUBLISHED,
    TEXT,
    all_drafts,
    drafted,
    md_text,
    open_article_page,
    queue_button,
    seeded_store,
    sign_in,
)
from sqlalchemy import select

from dashboard import add_article
from dashboard.add_article import drafts_table, edited_events, evidence, queue_drafts
from dashboard.review_queue import CONFIDENT
from geodata.catalog import read_catalogue, write_catalogue
from geodata.errors import StoreError
from geodata.extract.article import parse_article
from geodata.extract.pipeline import extract_article
from geodata.geocoding import OfflineGeocoder, default_geocoder
from geodata.model import Event
from geodata.store import Store, review, rows
from geodata.store.schema import ChangeRow


@pytest.fixture
def store(tmp_path: Path, geocoder: OfflineGeocoder) -> Store:
    """The store the dashboard makes beside a copy of the bundled catalogue."""
    return seeded_store(tmp_path, geocoder)


@pytest.fixture
def catalogue(store: Store, tmp_path: Path) -> Path:
    """The catalogue file the store was filled from (the page must never write it)."""
    return tmp_path / "events.yaml"


def test_page_drafts_and_queues_pending_drafts(store: Store, catalogue: Path) -> None:
    original, count = catalogue.read_bytes(), store.count()
    at = sign_in(open_article_page(store), "Ann Analyst")
    drafted(at)
    drafts = at.session_state["drafts"]
    assert {e.type for e in drafts} >= {"attack", "air_defence_deployment"}
    sure = at.session_state["drafts_confidence"]
    confident = [e for e, c in zip(drafts, sure, strict=True) if c >= CONFIDENT]
    assert confident  # (unsure drafts left unticked: test_only_the_drafts_the_drafting_is_sure_of...)
    assert queue_button(at).label == f"Queue {len(confident)} draft(s) for review"
    queue_button(at).click().run()
    assert not at.exception, at.exception
    assert [md_text(s.value) for s in at.success] == [f"Queued {len(confident)} draft(s) for review."]
    queued = review.drafts(store)
    assert sorted(d.event.title for d in queued) == sorted(e.title for e in confident)
    # each queued with the drafting's own confidence, not its least sure field's
    by_title = {e.title: c for e, c in zip(drafts, sure, strict=True)}
    assert sorted(d.confidence for d in queued) == sorted(by_title[d.event.title] for d in queued)
    assert all(d.status == "pending" and d.article_id is not None for d in queued)
    [taji] = [
        d
        for d in queued
        if d.event.type == "attack"
        and d.event.date.start == dt.date(2020, 3, 11)
        and d.event.place.canonical == "Camp Taji"
    ]
    assert taji.event.provenance is not None
    assert taji.merge_target == "attack-camp-taji-2020-03-11"  # the bundled catalogue reports it
    with store.reading() as session:
        logged = session.execute(select(ChangeRow.who).where(ChangeRow.action == "draft")).all()
    assert [who for (who,) in logged] == ["Ann Analyst"] * len(confident)
    # Pending drafts are not events: the map and the catalogue file are unchanged.
    assert store.count() == count
    assert catalogue.read_bytes() == original


def test_queueing_waits_for_the_reviewers_name(store: Store) -> None:
    at = drafted(open_article_page(store))
    button = queue_button(at)
    assert button.disabled
    assert button.help == add_article.reviewer.ASK_FIRST
    at = sign_in(at, "Ann Analyst")
    assert not queue_button(at).disabled
    assert all_drafts(store) == []


def test_evidence_is_the_sentence_with_its_offsets() -> None:
    article = parse_article(TEXT, published=PUBLISHED)
    events = [d.event for d in extract_article(TEXT, published=PUBLISHED)]
    for event in events:
        [found] = evidence(article, event)
        assert found["text"] == article.text[found["start"] : found["end"]]
        assert found["text"].strip() and found["text"] in TEXT


def test_an_article_is_queued_once(store: Store, geocoder: OfflineGeocoder) -> None:
    article = parse_article(TEXT, published=PUBLISHED)
    events = [d.event for d in extract_article(TEXT, published=PUBLISHED)]
    ids, new = queue_drafts(store, article, events, who="Ann", geocoder=default_geocoder())
    assert new and len(ids) == len(events)
    # The same text again (another copy, other spacing): nothing is queued twice.
    again = parse_article(TEXT.replace(" ", "  "), published=PUBLISHED)
    assert queue_drafts(store, again, events, who="Bob", geocoder=default_geocoder()) == ([], False)
    # Reviewed drafts count too: the article stays done.
    review.reject(store, ids[0], who="Ann", reason="seen")
    assert queue_drafts(store, article, events, who="Bob", geocoder=default_geocoder()) == ([], False)
    assert len(all_drafts(store)) == len(events)


def test_a_failure_while_queueing_queues_nothing_and_a_retry_queues_once(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    article = parse_article(TEXT, published=PUBLISHED)
    events = [d.event for d in extract_article(TEXT, published=PUBLISHED)]
    assert len(events) >= 2
    calls: list[Event] = []
    real = rows.event_data

    def fail_on_the_second(event: Event) -> dict[str, Any]:
        calls.append(event)
        if len(calls) == 2:
            raise StoreError("the disk went away")
        return real(event)

    monkeypatch.setattr(rows, "event_data", fail_on_the_second)
    with pytest.raises(StoreError, match="the disk went away"):
        queue_drafts(store, article, events, who="Ann", geocoder=default_geocoder())
    assert all_drafts(store) == []  # one transaction: the first draft is not kept either
    monkeypatch.setattr(rows, "event_data", real)
    ids, new = queue_drafts(store, article, events, who="Ann", geocoder=default_geocoder())
    assert not new and len(ids) == len(events)  # the article was kept, its drafts were not
    assert len(all_drafts(store)) == len(events)


def test_edits_apply_and_unticked_rows_are_dropped(geocoder: OfflineGeocoder) -> None:
    events = [d.event for d in extract_article(TEXT, published=PUBLISHED)]
    table = drafts_table(events)
    table.loc[0, "title"] = "Edited title"
    table.loc[0, "actors"] = "Kataib Hezbollah, US Army"
    table.loc[0, "keep"] = True
    table.loc[1:, "keep"] = False
    kept = edited_events(events, table)
    assert [e.title for e in kept] == ["Edited title"]
    assert kept[0].actors == ["Kataib Hezbollah", "US Army"]
    assert kept[0].provenance == events[0].provenance


def test_edited_drafts_are_queued_as_edited(store: Store) -> None:
    article = parse_article(TEXT, published=PUBLISHED)
    events = [d.event for d in extract_article(TEXT, published=PUBLISHED)]
    table = drafts_table(events)
    table["keep"] = False
    table.loc[0, ["keep", "title", "actors"]] = [True, "Edited before queueing", "US Army, Kataib Hezbollah"]
    [edited] = edited_events(events, table)
    queue_drafts(store, article, [edited], who="Ann", geocoder=default_geocoder())
    [queued] = review.drafts(store)
    assert (queued.event.title, queued.event.actors) == (
        "Edited before queueing",
        ["US Army", "Kataib Hezbollah"],
    )
    assert queued.event.source == events[0].source  # the quote and its article are kept
    assert queued.evidence == evidence(article, events[0])


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


def test_a_pasted_articles_front_matter_fills_date_and_publisher(store: Store) -> None:
    at = open_article_page(store)  # the widgets exist before the article arrives
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


def test_only_the_drafts_the_drafting_is_sure_of_are_ticked(store: Store) -> None:
    at = sign_in(open_article_page(store), "Ann Analyst")
    at.text_area(key="article_text").set_value(ARTICLE.read_text(encoding="utf-8")).run()
    next(b for b in at.button if b.label == "Draft events").click().run()
    assert not at.exception, at.exception
    drafts = extract_article(ARTICLE.read_text(encoding="utf-8"))
    confidences = at.session_state["drafts_confidence"]
    assert confidences == [d.confidence for d in drafts]
    keep = [d.preselected for d in drafts]
    assert any(keep) and not all(keep)
    assert list(drafts_table([d.event for d in drafts], confidences)["keep"]) == keep
