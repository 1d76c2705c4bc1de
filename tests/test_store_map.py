"""The store as the map reads it, on SQLite and on PostgreSQL: its frame, and the number that
tells the map's cache to refresh."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import geopandas as gpd
import pandas as pd
import pytest
from conftest import REPO
from storekit import make_event, new_draft, rich_event, tiny_geocoder

from geodata.frame import events_frame, filter_events
from geodata.geocoding import OfflineGeocoder
from geodata.io.readers import read_events_file
from geodata.records import RECORD_FIELDS
from geodata.store import Store, review

#: What the map reads: every record column, the point, and the hidden search columns.
MAP_COLUMNS = [*RECORD_FIELDS, "geometry", "_search", "_actors"]


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened


def test_the_frame_equals_the_frame_of_the_same_events(store: Store, geocoder: OfflineGeocoder) -> None:
    seed = read_events_file(REPO / "events.yaml", geocoder=geocoder).events
    events = sorted([*seed, rich_event(), *(make_event(n) for n in range(12))], key=lambda e: e.id)
    store.import_events(events, who="ana", geocoder=geocoder)
    got, want = store.frame(), events_frame(events, geocoder)
    assert list(got.columns) == list(want.columns)
    assert got.crs == want.crs
    for column in MAP_COLUMNS:
        pd.testing.assert_series_equal(got[column], want[column], check_dtype=True, obj=column)
    pd.testing.assert_index_equal(got.index, want.index)

    def chosen(frame: gpd.GeoDataFrame) -> list[str]:
        found = filter_events(frame, types=["statement", "attack"], actors=["United States"], text="iraq")
        return list(found.index)

    assert chosen(got) == chosen(want) != []


def test_the_frame_of_an_empty_store_has_the_map_columns(store: Store) -> None:
    frame = store.frame()
    assert frame.empty and list(frame.columns) == list(events_frame([], tiny_geocoder()).columns)


def test_generation_grows_with_every_change(store: Store) -> None:
    geo = tiny_geocoder()
    seen = [store.generation()]

    def grew() -> bool:
        seen.append(store.generation())
        return seen[-1] > seen[-2]

    store.import_events([make_event(1), make_event(2)], who="ana", geocoder=geo)
    assert grew()
    store.save(make_event(1, title="A"), expected_version=1, who="bob", geocoder=geo)
    assert grew()
    store.delete("ev-002", expected_version=1, who="bob")
    assert grew()
    store.undo(store.history("ev-002")[-1].id, who="bob", geocoder=geo)
    assert grew()
    first, second, third = review.add_drafts(
        store, [new_draft(1), new_draft(2), new_draft(3)], who="extractor"
    )
    assert grew()
    review.accept(store, first, who="carol", geocoder=geo)
    assert grew()
    review.reject(store, second, who="carol", reason="not an event")
    assert grew()
    review.merge(store, third, "ev-001", who="carol", geocoder=geo)
    assert grew()
    assert store.generation() == seen[-1]  # and stays put while nothing changes


def test_generation_grows_when_an_earlier_transaction_commits_last(store: Store) -> None:
    """On PostgreSQL, the slow import takes the smaller change id and commits after the quick one;
    a map that read the number in between must still see it move. (On SQLite the quick one
    waits for the slow one's lock.)"""
    geo = tiny_geocoder()
    quick = threading.Thread(target=lambda: store.import_events([make_event(2)], who="quick", geocoder=geo))
    with store.writing() as session:
        store.import_in(session, [make_event(1)], who="slow", geocoder=geo)
        quick.start()
        if store.engine.dialect.name == "postgresql":
            quick.join()
        between = store.generation()
    quick.join()
    assert store.count() == 2
    assert store.generation() > between
