"""Articles queued with their drafts in one transaction, on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from storekit import interleaved, make_event, new_draft, snapshot, tiny_geocoder

from geodata.extract.article import Article
from geodata.store import Store, review
from geodata.store.articles import Queued, known_articles, queue_articles
from geodata.store.review import NewDraft
from geodata.store.schema import ArticleRow, DraftRow


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened


def article(n: int, *, url: str | None = "") -> Article:
    address = f"https://example.org/{n}" if url == "" else url
    return Article(f"Report number {n}.", f"Report {n}", "The Wire", dt.date(2020, 4, 2), address)


def test_articles_are_stored_with_their_drafts_and_logged(store: Store) -> None:
    results = queue_articles(
        store, [(article(1), [new_draft(1), new_draft(2)]), (article(2), [])], who="ingest"
    )
    assert [type(r) for r in results] == [Queued, Queued]
    first, second = results
    assert first is not None and second is not None
    assert len(first.draft_ids) == 2 and second.draft_ids == []
    queued = review.drafts(store, article_id=first.article_id)
    assert sorted(d.id for d in queued) == first.draft_ids
    assert {d.event.id for d in queued} == {"draft-001", "draft-002"}
    assert all(d.status == "pending" and d.evidence for d in queued)
    rows = snapshot(store)
    # changes: id, at, who, action, event_id, draft_id, ...
    assert [(r[2], r[3], r[5]) for r in rows["changes"]] == [("ingest", "draft", i) for i in first.draft_ids]
    assert len(rows["articles"]) == 2


def test_an_article_stored_before_is_left_out_with_its_drafts(store: Store) -> None:
    (stored,) = queue_articles(store, [(article(1), [new_draft(1)])], who="ingest")
    assert stored is not None
    same_text = article(1, url=None)
    same_url = Article("Updated text.", "Report 1", "The Wire", dt.date(2020, 4, 3), "https://example.org/1")
    fresh = article(3)
    assert known_articles(store, [same_text, same_url, fresh, fresh]) == [True, True, False, True]
    results = queue_articles(
        store,
        [(same_text, [new_draft(5)]), (same_url, [new_draft(6)]), (fresh, []), (fresh, [new_draft(7)])],
        who="ingest",
    )
    assert [r is None for r in results] == [True, True, False, True]
    with store.reading() as session:
        assert session.scalars(select(DraftRow.article_id)).all() == [stored.article_id]
        assert len(session.scalars(select(ArticleRow.id)).all()) == 2


def test_the_same_article_queued_by_two_at_once_is_stored_once(store: Store) -> None:
    """Both look for it and find nothing; the other commits it after we looked and before we
    write (PostgreSQL: our INSERT of the batch fails and is undone, then the articles are written
    one by one, and only that one's savepoint is undone) or waits for our lock and then finds it
    (SQLite)."""
    theirs: list[list[Queued | None]] = []

    def other() -> None:
        theirs.append(queue_articles(store, [(article(1), [new_draft(9)])], who="other"))

    with interleaved(store, "SELECT articles.url", other):
        mine = queue_articles(store, [(article(2), [new_draft(2)]), (article(1), [new_draft(1)])], who="me")
    assert mine[0] is not None
    results = [mine[1], theirs[0][0]]
    assert sorted(r is None for r in results) == [False, True]
    rows = snapshot(store)
    assert len(rows["articles"]) == 2
    winner = next(r for r in results if r is not None)
    assert len(rows["drafts"]) == 2 and winner.draft_ids  # the loser's draft is not queued


def test_propose_runs_in_the_transaction_and_sets_merge_targets(store: Store) -> None:
    seen: list[tuple[int, str]] = []

    def propose(session: Session, art: Article, drafts: Sequence[NewDraft]) -> list[NewDraft]:
        # It sees this article (stored in the same transaction) and the drafts queued before it.
        stored = session.scalar(select(ArticleRow.id).where(ArticleRow.url == art.url))
        seen.append((len(session.scalars(select(DraftRow.id)).all()), str(stored)))
        return [NewDraft(d.event, d.confidence, d.evidence, "ev-001") for d in drafts[:1]]

    store.import_events([make_event(1, prefix="ev")], who="ana", geocoder=tiny_geocoder())
    results = queue_articles(
        store,
        [(article(1), [new_draft(1), new_draft(2)]), (article(2), [new_draft(3)])],
        who="ingest",
        propose=propose,
    )
    assert [r.merges if r else None for r in results] == [1, 1]
    assert [n for n, _ in seen] == [0, 1]
    assert all(stored != "None" for _, stored in seen)
    assert {d.merge_target for d in review.drafts(store)} == {"ev-001"}


def test_a_failure_in_the_batch_writes_none_of_it(store: Store) -> None:
    before = snapshot(store)

    def propose(session: Session, art: Article, drafts: Sequence[NewDraft]) -> Sequence[NewDraft]:
        if art.url and art.url.endswith("/2"):
            raise RuntimeError("proposal failed")
        return drafts

    with pytest.raises(RuntimeError, match="proposal failed"):
        queue_articles(
            store, [(article(1), [new_draft(1)]), (article(2), [new_draft(2)])], who="x", propose=propose
        )
    assert snapshot(store) == before
