"""The store on SQLite and on PostgreSQL: import, edits with versions, the change log and undo."""

from __future__ import annotations

import datetime as dt
import itertools
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError
from storekit import interleaved, make_event, rich_event, snapshot, tiny_geocoder

from geodata.errors import CatalogError, ConflictError, StoreError
from geodata.geocoding import OfflineGeocoder
from geodata.io.readers import read_events_file
from geodata.model import Event
from geodata.store import Store
from geodata.store import engine as engine_module
from geodata.store import store as store_module
from geodata.store.rows import Stored, event_data
from geodata.store.schema import EventRow, ReferenceRow


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened


@pytest.fixture
def geo() -> OfflineGeocoder:
    return tiny_geocoder()


def seed_events(geocoder: OfflineGeocoder) -> list[Event]:
    return read_events_file(REPO / "events.yaml", geocoder=geocoder).events


def test_import_gives_back_every_event_field_by_field(store: Store, geocoder: OfflineGeocoder) -> None:
    events = [*seed_events(geocoder), rich_event(), *(make_event(n) for n in range(7))]
    assert store.import_events(events, who="ana", geocoder=geocoder) == len(events)
    got, want = store.events(), sorted(events, key=lambda e: e.id)
    assert [e.id for e in got] == [e.id for e in want]
    for mine, theirs in zip(got, want, strict=True):
        assert mine.model_dump() == theirs.model_dump(), mine.id
    assert store.count() == len(events)
    first = store.get(want[0].id)
    assert first is not None and (first.version, first.updated_by) == (1, "ana")


def test_events_come_in_code_point_order_of_their_ids_whatever_the_collation(store: Store) -> None:
    ids = ["b", "a_1", "a1", "a-1", "a.1", "a10", "a9"]
    events = [make_event(n, id=i) for n, i in enumerate(ids)]
    store.import_events(events, who="ana", geocoder=tiny_geocoder())
    assert [e.id for e in store.events()] == sorted(ids)
    assert list(store.frame()["id"]) == sorted(ids)


def test_import_refuses_the_whole_batch_and_names_every_problem(store: Store, geo: OfflineGeocoder) -> None:
    store.import_events([make_event(1)], who="ana", geocoder=geo)
    before, generation = snapshot(store), store.generation()
    unplaceable = make_event(5, place={"name": "Nowhere at all", "geo_precision": "city"})
    batch = [make_event(2), make_event(1), unplaceable, make_event(3), make_event(2)]
    with pytest.raises(CatalogError) as caught:
        store.import_events(batch, who="bob", geocoder=geo, path="new.yaml")
    problems = {(p.event_id, p.field, p.path) for p in caught.value.problems}
    assert problems == {
        ("ev-001", "id", "new.yaml"),
        ("ev-002", "id", "new.yaml"),
        ("ev-005", "place.name", "new.yaml"),
    }
    assert "already in the store" in str(caught.value) and "more than one event in the import" in str(
        caught.value
    )
    assert "'Nowhere at all'" in str(caught.value)
    assert snapshot(store) == before
    assert store.generation() == generation


def test_a_large_import_goes_in_batches_and_all_of_it_arrives(
    store: Store, geo: OfflineGeocoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "BATCH", 7)
    events = [make_event(n) for n in range(30)]
    assert store.import_events(events, who="ana", geocoder=geo) == 30
    assert store.events() == events
    with store.reading() as session:
        assert session.scalar(select(func.count()).select_from(ReferenceRow)) == 30


def test_save_from_the_current_version_bumps_it_and_logs_before_and_after(
    store: Store, geo: OfflineGeocoder
) -> None:
    original = make_event(1)
    store.import_events([original], who="ana", geocoder=geo)
    edited = make_event(1, title="Edited", place={"name": "Erbil", "geo_precision": "city"})
    assert store.save(edited, expected_version=1, who="bob", geocoder=geo) == 2
    now = store.get("ev-001")
    assert now is not None and (now.event, now.version, now.updated_by) == (edited, 2, "bob")
    last = store.history("ev-001")[-1]
    assert (last.action, last.who) == ("edit", "bob")
    assert (last.before, last.after) == (event_data(original), event_data(edited))


def test_timestamps_come_back_in_utc(store: Store, geo: OfflineGeocoder) -> None:
    start = dt.datetime.now(dt.UTC)
    store.import_events([make_event(1)], who="ana", geocoder=geo)
    stored, change = store.get("ev-001"), store.history("ev-001")[0]
    assert stored is not None
    for moment in (stored.updated_at, change.at):
        assert moment.utcoffset() == dt.timedelta(0), moment
        assert start <= moment <= dt.datetime.now(dt.UTC)


def test_save_from_an_old_version_is_refused_with_both_versions(store: Store, geo: OfflineGeocoder) -> None:
    store.import_events([make_event(1)], who="ana", geocoder=geo)
    first, late = make_event(1, title="First edit"), make_event(1, title="Late edit")
    store.save(first, expected_version=1, who="bob", geocoder=geo)
    before = snapshot(store)
    with pytest.raises(ConflictError) as caught:
        store.save(late, expected_version=1, who="carol", geocoder=geo)
    current = caught.value.current
    assert isinstance(current, Stored) and (current.event, current.version) == (first, 2)
    assert caught.value.proposed == late
    assert "version 2, not 1" in str(caught.value) and "bob" in str(caught.value)
    assert snapshot(store) == before
    with pytest.raises(ConflictError):
        store.delete("ev-001", expected_version=1, who="carol")
    assert snapshot(store) == before


def test_two_sessions_editing_one_event_at_once_one_wins_and_the_other_is_told(
    store: Store, geo: OfflineGeocoder
) -> None:
    """Both read version 1. On PostgreSQL the other commits first and this one's UPDATE ... WHERE
    version = 1 matches nothing (SQLAlchemy's StaleDataError); on SQLite the other waits for this
    one's write lock and then finds version 2."""
    store.import_events([make_event(1)], who="ana", geocoder=geo)
    mine, theirs = make_event(1, title="Mine"), make_event(1, title="Theirs")
    results: dict[str, int | ConflictError] = {}

    def other() -> None:
        try:
            results["theirs"] = store.save(theirs, expected_version=1, who="theirs", geocoder=geo)
        except ConflictError as err:
            results["theirs"] = err

    thread = threading.Thread(target=other)
    try:
        with store.writing() as session:
            row = session.get(EventRow, "ev-001")
            assert row is not None and row.version == 1
            thread.start()
            if store.engine.dialect.name == "postgresql":
                thread.join()  # it commits while this session holds version 1
            results["mine"] = store.save_in(
                session, mine, expected_version=1, who="mine", geocoder=geo, action="edit"
            )
    except ConflictError as err:
        results["mine"] = err
    thread.join()
    winner, loser = ("theirs", "mine") if store.engine.dialect.name == "postgresql" else ("mine", "theirs")
    refused = results[loser]
    assert results[winner] == 2 and isinstance(refused, ConflictError)
    if loser == "mine":
        assert isinstance(refused.__cause__, StaleDataError)
    won = {"mine": mine, "theirs": theirs}[winner]
    assert isinstance(refused.current, Stored) and (refused.current.event, refused.current.version) == (
        won,
        2,
    )
    assert refused.proposed == {"mine": mine, "theirs": theirs}[loser]
    assert [(c.action, c.who) for c in store.history("ev-001")] == [("import", "ana"), ("edit", winner)]
    assert store.events() == [won]


def test_an_edit_and_a_delete_at_once_one_is_refused(store: Store, geo: OfflineGeocoder) -> None:
    """On PostgreSQL the edit commits while the delete holds version 1; on SQLite it waits."""
    store.import_events([make_event(1)], who="ana", geocoder=geo)
    edited = make_event(1, title="Edited")
    refused: dict[str, StoreError | None] = {}

    def edit() -> None:
        refused["edit"] = None
        try:
            store.save(edited, expected_version=1, who="bob", geocoder=geo)
        except StoreError as err:
            refused["edit"] = err

    refused["delete"] = None
    with interleaved(store, "SELECT", edit):
        try:
            store.delete("ev-001", expected_version=1, who="ana")
        except StoreError as err:
            refused["delete"] = err
    if store.engine.dialect.name == "postgresql":
        assert refused["edit"] is None and isinstance(refused["delete"], ConflictError)
        current = refused["delete"].current
        assert isinstance(current, Stored) and (current.event, current.version) == (edited, 2)
        assert store.events() == [edited]
    else:
        assert refused["delete"] is None and store.events() == []
        assert isinstance(refused["edit"], StoreError) and "not in the store" in str(refused["edit"])


def test_history_lists_every_change_to_one_event_oldest_first(store: Store, geo: OfflineGeocoder) -> None:
    store.import_events([make_event(1), make_event(2)], who="ana", geocoder=geo)
    store.save(make_event(1, title="A"), expected_version=1, who="bob", geocoder=geo)
    store.save(make_event(2, title="other"), expected_version=1, who="bob", geocoder=geo)
    store.save(make_event(1, title="B"), expected_version=2, who="carol", geocoder=geo)
    store.delete("ev-001", expected_version=3, who="dan", note="duplicate")
    history = store.history("ev-001")
    assert [(c.action, c.who) for c in history] == [
        ("import", "ana"),
        ("edit", "bob"),
        ("edit", "carol"),
        ("delete", "dan"),
    ]
    assert [c.after["title"] if c.after else None for c in history] == [make_event(1).title, "A", "B", None]
    assert all(a.after == b.before for a, b in itertools.pairwise(history))
    assert [c.id for c in history] == sorted(c.id for c in history)
    assert history[-1].note == "duplicate"


def test_undo_of_an_edit_puts_the_event_back(store: Store, geo: OfflineGeocoder) -> None:
    original = rich_event()
    store.import_events([original], who="ana", geocoder=geo)
    store.save(make_event(1, id=original.id), expected_version=1, who="bob", geocoder=geo)
    store.undo(store.history(original.id)[-1].id, who="carol", geocoder=geo)
    back = store.get(original.id)
    assert back is not None and (back.event, back.version) == (original, 3)
    last = store.history(original.id)[-1]
    assert (last.action, last.who, last.after) == ("undo", "carol", event_data(original))


def test_undo_of_an_import_removes_the_event(store: Store, geo: OfflineGeocoder) -> None:
    store.import_events([make_event(1), make_event(2)], who="ana", geocoder=geo)
    store.undo(store.history("ev-002")[0].id, who="bob", geocoder=geo)
    assert [e.id for e in store.events()] == ["ev-001"]
    last = store.history("ev-002")[-1]
    assert (last.action, last.before, last.after) == ("undo", event_data(make_event(2)), None)


def test_undo_of_a_delete_brings_the_event_back_with_its_references(
    store: Store, geo: OfflineGeocoder
) -> None:
    original = rich_event()
    store.import_events([original], who="ana", geocoder=geo)
    store.delete(original.id, expected_version=1, who="bob")
    assert store.get(original.id) is None and store.frame().empty
    store.undo(store.history(original.id)[-1].id, who="carol", geocoder=geo)
    assert store.events() == [original]
    assert store.frame().loc[original.id, "references"] == [
        r.model_dump(mode="json", exclude_none=True) for r in original.references
    ]


def test_undo_is_refused_when_a_later_change_exists(store: Store, geo: OfflineGeocoder) -> None:
    store.import_events([make_event(1)], who="ana", geocoder=geo)
    store.save(make_event(1, title="A"), expected_version=1, who="bob", geocoder=geo)
    store.save(make_event(1, title="B"), expected_version=2, who="carol", geocoder=geo)
    before = snapshot(store)
    for change in store.history("ev-001")[:2]:  # the import and the first edit
        with pytest.raises(ConflictError, match="undo the later changes first") as caught:
            store.undo(change.id, who="dan", geocoder=geo)
        assert isinstance(caught.value.current, Stored) and caught.value.current.event.title == "B"
    assert snapshot(store) == before
    with pytest.raises(StoreError, match="no change 999"):
        store.undo(999, who="dan", geocoder=geo)


def test_references_are_kept_in_their_order(store: Store, geo: OfflineGeocoder) -> None:
    refs = [{"publisher": f"P{k}", "title": f"T{k}", "quote": f"Q{k}."} for k in (3, 1, 4, 0, 2)]
    store.import_events([make_event(1, references=refs)], who="ana", geocoder=geo)
    assert [r.publisher for r in store.events()[0].references] == ["P3", "P1", "P4", "P0", "P2"]
    assert [r["publisher"] for r in store.frame().loc["ev-001", "references"]] == [
        "P3",
        "P1",
        "P4",
        "P0",
        "P2",
    ]
    store.save(make_event(1, references=refs[::-2]), expected_version=1, who="bob", geocoder=geo)
    assert [r["publisher"] for r in store.frame().loc["ev-001", "references"]] == ["P2", "P4", "P3"]
    with store.reading() as session:
        found = session.execute(
            select(ReferenceRow.position, ReferenceRow.publisher).order_by(ReferenceRow.id)
        )
        assert [tuple(r) for r in found] == [(0, "P2"), (1, "P4"), (2, "P3")]


def test_a_new_sqlite_store_waits_while_another_process_holds_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Turning a database to WAL needs the file to itself, and SQLite refuses at once (no busy
    wait) while another connection writes to it: two first starts met there. The store retries;
    here the other writer commits on the first retry."""
    path = tmp_path / "store.db"
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("CREATE TABLE elsewhere (x)")
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO elsewhere VALUES (1)")
    retries: list[None] = []

    def commit_then_wait() -> None:
        retries.append(None)
        if other.in_transaction:
            other.execute("COMMIT")

    monkeypatch.setattr(engine_module, "_busy_pause", commit_then_wait, raising=False)
    with Store.open(f"sqlite:///{path}") as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert store.count() == 0
    assert retries != []
    other.close()
