"""The review queue on SQLite and on PostgreSQL: articles, drafts and the reviewers' actions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from storekit import interleaved, make_event, new_draft, snapshot, tiny_geocoder

from geodata.errors import ConflictError, StoreError
from geodata.extract.article import Article
from geodata.geocoding import OfflineGeocoder
from geodata.store import Store, review
from geodata.store.review import QueuedDraft

TEXT = "US says build-up of air defences in Iraq going ahead.\n\nAnother was shipped to Erbil."


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened


@pytest.fixture
def geo() -> OfflineGeocoder:
    return tiny_geocoder()


def article(text: str = TEXT, url: str | None = "https://example.org/a") -> Article:
    return Article(text, "Build-up", "The National", dt.date(2020, 4, 2), url)


def test_an_article_is_stored_once_by_its_text_or_its_url(store: Store) -> None:
    first, new = review.add_article(store, article())
    assert new
    assert review.add_article(store, article(url=None)) == (first, False)  # same text
    assert review.add_article(store, article("  " + TEXT.replace("\n\n", " \n "), url=None)) == (first, False)
    assert review.add_article(store, article("Updated text.", url="https://example.org/a")) == (first, False)
    other, new = review.add_article(store, article("Another report.", url="https://example.org/b"))
    assert new and other != first


def test_the_same_article_added_by_two_at_once_is_stored_once(store: Store) -> None:
    """Both look for it and find nothing; the other stores it first (on PostgreSQL) or waits."""
    theirs: list[tuple[int, bool]] = []
    with interleaved(store, "SELECT", lambda: theirs.append(review.add_article(store, article()))):
        mine = review.add_article(store, article())
    assert sorted([mine, *theirs], key=lambda found: found[1]) == [(mine[0], False), (mine[0], True)]
    assert len(snapshot(store)["articles"]) == 1


def test_drafts_are_listed_most_confident_first_and_filtered(store: Store) -> None:
    one, _ = review.add_article(store, article())
    two, _ = review.add_article(store, article("Another report.", url=None))
    ids = review.add_drafts(
        store, [new_draft(1, confidence=0.4), new_draft(2, confidence=0.9)], who="x", article_id=one
    )
    ids += review.add_drafts(
        store, [new_draft(3, confidence=0.9), new_draft(4, confidence=0.1)], who="x", article_id=two
    )
    queue = review.drafts(store)
    assert [d.id for d in queue] == [ids[1], ids[2], ids[0], ids[3]]
    assert [d.id for d in review.drafts(store, article_id=two)] == [ids[2], ids[3]]
    assert [d.id for d in review.drafts(store, min_confidence=0.4)] == [ids[1], ids[2], ids[0]]
    kinds = [make_event(n).type for n in (1, 2, 3, 4)]
    assert [d.id for d in review.drafts(store, types=[kinds[0]])] == [ids[0]]
    assert review.drafts(store, status=("rejected",)) == []
    stored = queue[2]
    assert (stored.event, stored.confidence, stored.article_id) == (new_draft(1).event, 0.4, one)
    assert stored.evidence == new_draft(1).evidence and (stored.status, stored.version) == ("pending", 1)


def test_accept_makes_the_draft_an_event_and_logs_it(store: Store, geo: OfflineGeocoder) -> None:
    (draft_id,) = review.add_drafts(store, [new_draft(1)], who="x")
    assert review.accept(store, draft_id, who="carol", geocoder=geo) == "draft-001"
    assert store.events() == [new_draft(1).event]
    done = review.draft(store, draft_id)
    assert (done.status, done.event_id, done.reviewer) == ("accepted", "draft-001", "carol")
    (change,) = store.history("draft-001")
    assert (change.action, change.who, change.draft_id) == ("accept", "carol", draft_id)


def test_accept_gives_a_taken_id_a_suffix(store: Store, geo: OfflineGeocoder) -> None:
    store.import_events(
        [make_event(1, prefix="draft"), make_event(1, id="draft-001-2")], who="a", geocoder=geo
    )
    first, second = review.add_drafts(store, [new_draft(1), new_draft(1, title="Edited")], who="x")
    assert review.accept(store, first, who="carol", geocoder=geo) == "draft-001-3"
    edited = make_event(7, id="draft-001")
    assert review.accept(store, second, who="carol", geocoder=geo, edited=edited) == "draft-001-4"
    found = store.get("draft-001-4")
    assert found is not None and found.event == edited.model_copy(update={"id": "draft-001-4"})


def test_merge_adds_the_draft_source_to_the_event_once(store: Store, geo: OfflineGeocoder) -> None:
    store.import_events([make_event(1)], who="ana", geocoder=geo)
    first, again = review.add_drafts(store, [new_draft(5), new_draft(5, title="Same report")], who="x")
    generation = store.generation()
    review.merge(store, first, "ev-001", who="carol", geocoder=geo)
    review.merge(store, again, "ev-001", who="carol", geocoder=geo)
    stored = store.get("ev-001")
    assert stored is not None
    assert stored.event.references == [*make_event(1).references, new_draft(5).event.source]
    assert [(d.status, d.event_id) for d in review.drafts(store, status=("merged",))] == [
        ("merged", "ev-001")
    ] * 2
    assert [c.action for c in store.history("ev-001")] == ["import", "merge"]
    assert store.generation() == generation + 2  # the second merge changed nothing but the queue


def test_reject_needs_a_reason_and_keeps_the_draft(store: Store) -> None:
    (draft_id,) = review.add_drafts(store, [new_draft(1)], who="x")
    for reason in ("", "   "):
        with pytest.raises(StoreError, match="say why"):
            review.reject(store, draft_id, who="carol", reason=reason)
    assert review.draft(store, draft_id).status == "pending"
    review.reject(store, draft_id, who="carol", reason=" not an event ")
    (kept,) = review.drafts(store, status=("rejected",))
    assert (kept.id, kept.reason, kept.reviewer, kept.event) == (
        draft_id,
        "not an event",
        "carol",
        new_draft(1).event,
    )
    assert review.drafts(store) == [] and store.count() == 0


def test_accept_all_takes_the_confident_drafts_and_merges_where_proposed(
    store: Store, geo: OfflineGeocoder
) -> None:
    store.import_events([make_event(1)], who="ana", geocoder=geo)
    drafts = [
        new_draft(2, confidence=0.9),
        new_draft(3, confidence=0.8, merge_target="ev-001"),
        new_draft(4, confidence=0.3),
    ]
    ids = review.add_drafts(store, drafts, who="x")
    assert review.accept_all(store, who="bot", geocoder=geo, min_confidence=0.5) == (1, 1)
    assert [e.id for e in store.events()] == ["draft-002", "ev-001"]
    merged = store.get("ev-001")
    assert merged is not None and merged.event.references[-1] == drafts[1].event.source
    assert [d.id for d in review.drafts(store)] == [ids[2]]
    assert {c.who for c in store.history("draft-002") + store.history("ev-001")[1:]} == {"bot"}


def _refused(action: str, store: Store, draft: QueuedDraft, geo: OfflineGeocoder) -> ConflictError | None:
    try:
        if action == "accept":
            review.accept(store, draft.id, who="first", geocoder=geo, expected_version=draft.version)
        else:
            review.reject(store, draft.id, who="second", reason="dup", expected_version=draft.version)
    except ConflictError as err:
        return err
    return None


def test_the_second_reviewer_of_a_draft_is_told_it_was_reviewed(store: Store, geo: OfflineGeocoder) -> None:
    review.add_drafts(store, [new_draft(1)], who="x")
    (seen_by_both,) = review.drafts(store)
    assert _refused("accept", store, seen_by_both, geo) is None
    before = snapshot(store)
    refused = _refused("reject", store, seen_by_both, geo)
    assert refused is not None and "accepted by first" in str(refused)
    assert isinstance(refused.current, QueuedDraft) and refused.current.status == "accepted"
    assert snapshot(store) == before


def test_two_reviewers_acting_on_one_draft_at_once_one_is_refused(store: Store, geo: OfflineGeocoder) -> None:
    """Both read the pending draft; on PostgreSQL the rejection commits first and the acceptance's
    UPDATE ... WHERE version = 1 matches nothing; on SQLite the rejection waits and finds it taken."""
    review.add_drafts(store, [new_draft(1)], who="x")
    (seen_by_both,) = review.drafts(store)
    refusals: dict[str, ConflictError | None] = {}

    def reject() -> None:
        refusals["reject"] = _refused("reject", store, seen_by_both, geo)

    with interleaved(store, "SELECT", reject):
        refusals["accept"] = _refused("accept", store, seen_by_both, geo)
    winner = "reject" if store.engine.dialect.name == "postgresql" else "accept"
    loser = "accept" if winner == "reject" else "reject"
    assert refusals[winner] is None and isinstance(refusals[loser], ConflictError)
    final = review.draft(store, seen_by_both.id)
    assert final.status == {"accept": "accepted", "reject": "rejected"}[winner] and final.version == 2
    assert store.count() == (1 if winner == "accept" else 0)
