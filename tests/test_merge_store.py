"""Merging across reports in the store, on SQLite and on PostgreSQL: the propose step against
events and pending drafts, links between pending drafts (migration 0004), and what accepting,
merging and deleting do to the drafts linked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import text
from storekit import tiny_geocoder

from geodata.errors import ConflictError
from geodata.extract.article import Article
from geodata.geocoding import OfflineGeocoder
from geodata.merge import propose
from geodata.model import Event, Place
from geodata.store import Store, review
from geodata.store.engine import make_engine, migrate
from geodata.store.review import NewDraft


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened


@pytest.fixture
def geo() -> OfflineGeocoder:
    return tiny_geocoder()


def report(n: int, **changes: Any) -> Event:
    """Outlet ``n``'s report of the rocket attack on Camp Taji of 11 March 2020."""
    data: dict[str, Any] = {
        "id": f"attack-camp-taji-{n}",
        "type": "attack",
        "title": "Rockets hit Camp Taji",
        "date": {"start": dt.date(2020, 3, 11), "precision": "day"},
        "place": {"name": "Camp Taji", "country": "IQ", "geo_precision": "facility"},
        "actors": ["Kataib Hezbollah"],
        "source": {
            "publisher": f"Outlet {n}",
            "title": f"Report {n}",
            "url": f"https://example.org/{n}",
            "quote": f"Rockets hit Camp Taji, outlet {n} said.",
        },
    }
    data.update(changes)
    return Event.model_validate(data)


def handover(n: int, place: str, day: int, *, month: int = 3) -> Event:
    return report(
        n,
        id=f"handover-{n}",
        type="base_handover",
        title=f"Base handed over: {place}",
        date={"start": dt.date(2020, month, day), "precision": "day"},
        place={"name": place, "country": "IQ", "geo_precision": "facility"},
        actors=[],
    )


def ingest(store: Store, geo: OfflineGeocoder, n: int, *events: Event) -> list[int]:
    """Article ``n`` read, its drafts proposed and queued: their ids."""
    article_id, _ = review.add_article(
        store,
        Article(
            f"Article {n}.", f"Report {n}", f"Outlet {n}", dt.date(2020, 3, 12), f"https://example.org/{n}"
        ),
    )
    drafts = [NewDraft(e, 0.9 - n / 100, [{"text": e.source.quote}]) for e in events]
    proposed = propose(store, drafts, geocoder=geo, article_id=article_id)
    return review.add_drafts(store, proposed, who="ingest", article_id=article_id)


def test_the_migration_keeps_the_drafts_queued_before_it(store_url: str) -> None:
    engine = make_engine(store_url)
    try:
        migrate(engine, revision="0003")
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO drafts (version, status, confidence, type, title, date_start, date_end, "
                    "event, evidence, created_at) VALUES (1, 'pending', 0.5, 'attack', 'Old', "
                    "'2020-03-11', '2020-03-11', :event, '[]', :at)"
                ),
                {"event": report(1).model_dump_json(), "at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)},
            )
    finally:
        engine.dispose()
    with Store.open(store_url) as store:
        (old,) = review.drafts(store)
        assert (old.event, old.duplicate_of, old.match, old.point) == (report(1), None, None, None)


def test_a_report_of_a_catalogue_event_is_proposed_into_it_with_the_evidence(
    store: Store, geo: OfflineGeocoder
) -> None:
    store.import_events([report(0, id="taji-2020-03-11")], who="ana", geocoder=geo)
    (draft_id,) = ingest(store, geo, 1, report(1, actors=["Iran-backed Kataib Hezbollah"]))
    queued = review.draft(store, draft_id)
    assert (queued.merge_target, queued.duplicate_of) == ("taji-2020-03-11", None)
    assert queued.point == pytest.approx((33.52944, 44.2775))
    assert queued.match is not None
    candidate = queued.match["candidate"]
    assert (candidate["kind"], candidate["id"], candidate["relation"]) == ("event", "taji-2020-03-11", "same")
    assert candidate["score"] > 0.9
    assert candidate["evidence"]["shared_actors"] == ["iran backed kataib hezbollah"]  # as the draft names it
    assert candidate["evidence"]["distance_km"] == 0.0 and candidate["evidence"]["days_apart"] == 0


def test_reports_of_one_event_before_review_are_linked_and_the_other_events_are_not(
    store: Store, geo: OfflineGeocoder
) -> None:
    (first,) = ingest(store, geo, 1, report(1))
    second, other = ingest(store, geo, 2, report(2), handover(2, "Ain al-Asad Air Base", 11))
    (third,) = ingest(store, geo, 3, report(3, date={"start": dt.date(2020, 3, 18), "precision": "day"}))
    assert review.draft(store, second).duplicate_of == first
    assert review.draft(store, second).match["candidate"]["id"] == first  # type: ignore[index]
    assert review.draft(store, other).duplicate_of is None and review.draft(store, other).match is None
    assert review.draft(store, third).duplicate_of is None  # a week later: another attack


def test_drafts_of_one_article_are_never_linked_and_one_event_takes_one_of_them(
    store: Store, geo: OfflineGeocoder
) -> None:
    store.import_events([report(0, id="taji")], who="ana", geocoder=geo)
    vague = report(
        2, actors=[], date={"start": dt.date(2020, 3, 10), "end": dt.date(2020, 3, 12), "precision": "week"}
    )
    exact, loose = ingest(store, geo, 1, report(1), vague)
    assert review.draft(store, exact).merge_target == "taji"
    assert review.draft(store, loose).merge_target is None  # the better match of the article took it
    assert review.draft(store, loose).duplicate_of is None  # and never its own article's draft


def test_accepting_all_makes_one_event_with_every_report_as_a_source(
    store: Store, geo: OfflineGeocoder
) -> None:
    ids = [ingest(store, geo, n, report(n))[0] for n in (1, 2, 3)]
    links = [review.draft(store, i).duplicate_of for i in ids]
    assert links[:2] == [None, ids[0]] and links[2] in ids[:2]
    assert review.accept_all(store, who="carol", geocoder=geo) == (1, 2)
    (event,) = store.events()
    assert event.source.publisher == "Outlet 1"
    assert [r.publisher for r in event.references] == ["Outlet 2", "Outlet 3"]
    done = [review.draft(store, i) for i in ids]
    assert [(d.status, d.event_id) for d in done] == [
        ("accepted", event.id),
        ("merged", event.id),
        ("merged", event.id),
    ]
    with store.reading() as session:
        logged = session.execute(
            text("SELECT draft_id, note FROM changes WHERE action = 'link' ORDER BY draft_id")
        )
        assert [(i, f"reports the same event as draft {ids[0]}" in note) for i, note in logged] == [
            (ids[1], True),
            (ids[2], True),
        ]


def test_accepting_one_proposes_its_duplicates_into_the_event_and_a_reviewer_is_told(
    store: Store, geo: OfflineGeocoder
) -> None:
    first, second = (ingest(store, geo, n, report(n))[0] for n in (1, 2))
    seen = review.draft(store, second)
    event_id = review.accept(store, first, who="carol", geocoder=geo)
    now = review.draft(store, second)
    assert (now.merge_target, now.version) == (event_id, seen.version + 1)
    assert now.match is not None and now.match["candidate"]["id"] == first  # still the evidence
    with pytest.raises(ConflictError, match="meanwhile"):
        review.accept(store, second, who="dan", geocoder=geo, expected_version=seen.version)


def test_a_merge_by_hand_carries_the_linked_drafts_along(store: Store, geo: OfflineGeocoder) -> None:
    store.import_events(
        [report(0, id="taji-by-hand", date={"start": dt.date(2020, 3, 1)})], who="ana", geocoder=geo
    )
    first, second = (ingest(store, geo, n, report(n))[0] for n in (1, 2))
    review.merge(store, first, "taji-by-hand", who="carol", geocoder=geo)
    assert review.draft(store, second).merge_target == "taji-by-hand"


def _link(store: Store, draft_id: int, **values: object) -> None:
    """Set a draft's columns as a reviewer or an earlier run left them."""
    with store.writing() as session:
        for column, value in values.items():
            session.execute(
                text(f"UPDATE drafts SET {column} = :v WHERE id = :i"), {"v": value, "i": draft_id}
            )


def test_links_are_followed_through_a_rejected_draft(store: Store, geo: OfflineGeocoder) -> None:
    first, second, third = (ingest(store, geo, n, report(n))[0] for n in (1, 2, 3))
    _link(store, third, duplicate_of=second)  # a chain: third -> second -> first
    review.reject(store, second, who="dan", reason="a duplicate")
    event_id = review.accept(store, first, who="carol", geocoder=geo)
    rejected = review.draft(store, second)
    assert (rejected.status, rejected.merge_target) == ("rejected", None)  # its review stands
    assert review.draft(store, third).merge_target == event_id


def test_a_linked_draft_proposed_into_another_event_keeps_it(store: Store, geo: OfflineGeocoder) -> None:
    first, second = (ingest(store, geo, n, report(n))[0] for n in (1, 2))
    store.import_events([report(9, id="elsewhere")], who="ana", geocoder=geo)
    _link(store, second, merge_target="elsewhere")  # a reviewer picked another event for it
    review.accept(store, first, who="carol", geocoder=geo)
    assert review.draft(store, second).merge_target == "elsewhere"


def test_a_draft_proposed_into_a_deleted_event_is_a_plain_draft_again(
    store: Store, geo: OfflineGeocoder
) -> None:
    store.import_events([report(0, id="gone")], who="ana", geocoder=geo)
    (draft_id,) = ingest(store, geo, 1, report(1))
    assert review.draft(store, draft_id).merge_target == "gone"
    stored = store.get("gone")
    assert stored is not None
    store.delete("gone", expected_version=stored.version, who="ana")
    plain = review.draft(store, draft_id)
    assert (plain.merge_target, plain.match, plain.status) == (None, None, "pending")
    assert review.accept_all(store, who="carol", geocoder=geo) == (1, 0)
    assert [e.id for e in store.events()] == ["attack-camp-taji-1"]


def test_a_general_report_lists_the_events_it_may_cover_without_merging(
    store: Store, geo: OfflineGeocoder
) -> None:
    """ "after withdrawing from four bases in the past month": the month, the country."""
    nearby = [handover(7, "Camp Taji", 19), handover(8, "Ain al-Asad Air Base", 26), handover(9, "Erbil", 20)]
    basra = handover(5, "Basra", 24).model_copy(  # 530 km from the point of Iraq: in Iraq all the same
        update={"place": Place(name="Basra", country="IQ", lat=30.5, lon=47.8, geo_precision="city")}
    )
    store.import_events([*nearby, basra, handover(6, "Camp Taji", 1, month=2)], who="ana", geocoder=geo)
    general = report(
        1,
        type="base_handover",
        date={"start": dt.date(2020, 3, 3), "end": dt.date(2020, 4, 2), "precision": "month"},
        place={"name": "Iraq", "country": "IQ", "geo_precision": "country"},
        actors=[],
    )
    (draft_id,) = ingest(store, geo, 1, general)
    queued = review.draft(store, draft_id)
    assert queued.merge_target is None and queued.duplicate_of is None
    assert queued.match is not None and "candidate" not in queued.match
    related = queued.match["related"]
    assert sorted(r["id"] for r in related) == ["handover-5", "handover-7", "handover-8", "handover-9"]
    assert all(r["relation"] == "related" for r in related)
