"""The review queue's pure parts (dashboard/review_queue.py): a draft's confidence, the drafts'
filters, and the events a draft may report again, nearest in time and place first."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from dash_helpers import queue, seeded_store

from dashboard.review_queue import draft_confidence, filter_drafts, nearby
from geodata.extract.pipeline import extract_article
from geodata.geocoding import OfflineGeocoder
from geodata.store import Store, review
from geodata.store.review import QueuedDraft


@pytest.fixture
def store(tmp_path: Path, geocoder: OfflineGeocoder) -> Store:
    return seeded_store(tmp_path, geocoder)


@pytest.fixture
def queued(store: Store) -> list[QueuedDraft]:
    queue(store)
    return review.drafts(store)


def test_draft_confidence_is_its_least_confident_field(geocoder: OfflineGeocoder) -> None:
    [attack] = [
        d.event
        for d in extract_article(
            "Rockets struck Camp Taji on 11 March 2020, killing three, officials said.",
            published=dt.date(2020, 4, 2),
        )
    ]
    assert attack.provenance is not None
    fields = attack.provenance.fields
    assert draft_confidence(attack) == min(fields[f].confidence for f in ("type", "place", "date"))
    undated = attack.provenance.model_copy(
        update={"fields": {k: v for k, v in fields.items() if k != "date"}}
    )
    assert draft_confidence(attack.model_copy(update={"provenance": undated})) == 0.5  # not read: guessed
    assert draft_confidence(attack.model_copy(update={"provenance": None})) == 0.5


def test_nearby_ranks_by_time_and_place(store: Store, queued: list[QueuedDraft]) -> None:
    frame = store.frame()
    statement = queued[2].event
    taji = (33.52944, 44.2775)
    ranked = nearby(frame, statement, taji)
    assert sorted(ranked) == sorted(frame.index)
    assert set(ranked[:2]) == {"attack-camp-taji-2020-03-11", "attack-camp-taji-2020-03-14"}
    by_time = nearby(frame, statement, None, limit=3)
    gaps = [max(0, (frame.loc[i, "date_start"].date() - statement.date.end).days) for i in by_time]
    assert gaps == sorted(gaps)
    # Queued as the article page queues them: the attack is proposed into the catalogue's.
    assert queued[1].merge_target == "attack-camp-taji-2020-03-11"
    assert queued[2].merge_target is None
    assert filter_drafts(queued, types=["statement"]) == [queued[2]]
