"""Articles queued with their drafts: each article is written in the same transaction as its
drafts, so a store never holds an article without them (a rerun skips stored articles, and
would never draft that one again).

An article is known by its URL or by its text (:func:`~geodata.store.review.text_hash`), as
:func:`~geodata.store.review.add_article` has it: the same report read twice is stored once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, Session

from geodata.extract.article import Article
from geodata.store import changelog, rows
from geodata.store.review import NewDraft, text_hash
from geodata.store.schema import ArticleRow, DraftRow
from geodata.store.store import Store

#: Values per ``IN (...)`` list when looking articles up.
LOOKUP_CHUNK = 500
#: Written as tables, not through the ORM: a third of the CPU time of queueing (benchmarks/ingest.py).
_ARTICLES: Table = ArticleRow.__table__  # type: ignore[assignment]
_DRAFTS: Table = DraftRow.__table__  # type: ignore[assignment]
#: Called within the transaction, once the article is stored and before its drafts are: it
#: may set ``merge_target`` (or link a draft to a pending one) and returns the drafts to queue.
#: If it has a ``queued(session, article_id, drafts, ids)`` method, that is called once they are.
Propose = Callable[[Session, Article, Sequence[NewDraft]], Sequence[NewDraft]]


@dataclass(frozen=True)
class Queued:
    """An article stored by :func:`queue_articles`, and what was queued with it."""

    article_id: int
    draft_ids: list[int]
    merges: int


def known_articles(store: Store, articles: Sequence[Article]) -> list[bool]:
    """For each article, whether the store has its URL or text, or an article before it in
    ``articles`` has (one query per :data:`LOOKUP_CHUNK` articles, no write lock taken)."""
    with store.reading() as session:
        return _known(session, articles)


def queue_articles(
    store: Store,
    batch: Sequence[tuple[Article, Sequence[NewDraft]]],
    *,
    who: str,
    propose: Propose | None = None,
) -> list[Queued | None]:
    """Store each article with its drafts, all in one transaction (a kill leaves none of
    them); an article already stored (same URL or text) is left out, with its drafts, and
    gives ``None``."""
    with store.writing() as session:
        taken = _known(session, [article for article, _ in batch])
        now = rows.utc_now()
        todo = [(article, drafts) for (article, drafts), known in zip(batch, taken, strict=True) if not known]
        article_ids = _insert_articles(session, [article for article, _ in todo], now=now)
        if article_ids is None:  # another writer stored one of them since we looked: one at a time
            return [
                None if known else _queue_one(session, article, drafts, who=who, propose=propose, now=now)
                for (article, drafts), known in zip(batch, taken, strict=True)
            ]
        done = iter(_queue_drafts(session, todo, article_ids, who=who, propose=propose, now=now))
        return [None if known else next(done) for known in taken]


def _insert_articles(session: Session, articles: Sequence[Article], *, now: dt.datetime) -> list[int] | None:
    """The ids of ``articles``, inserted in one statement; ``None`` (nothing inserted) when one
    of them is already stored (a lost race: PostgreSQL; SQLite's writers queue)."""
    if not articles:
        return []
    values = [rows.article_values(a, sha256=text_hash(a.text), now=now) for a in articles]
    try:
        with session.begin_nested():
            statement = insert(_ARTICLES).returning(_ARTICLES.c.id, sort_by_parameter_order=True)
            return list(session.scalars(statement, values))
    except IntegrityError:
        return None


def _queue_drafts(
    session: Session,
    todo: Sequence[tuple[Article, Sequence[NewDraft]]],
    article_ids: Sequence[int],
    *,
    who: str,
    propose: Propose | None,
    now: dt.datetime,
) -> list[Queued]:
    """The drafts of stored articles: proposed and inserted article by article (a proposer sees
    the earlier articles' drafts), or without a proposer, all in one statement."""
    if propose is None:
        values = [
            rows.draft_values(d, article_id=article_id, now=now)
            for (_, drafts), article_id in zip(todo, article_ids, strict=True)
            for d in drafts
        ]
        numbered = iter(_insert_drafts(session, values, who=who))
        return [
            Queued(article_id, [next(numbered) for _ in drafts], _merges(drafts))
            for (_, drafts), article_id in zip(todo, article_ids, strict=True)
        ]
    out = []
    for (article, drafts), article_id in zip(todo, article_ids, strict=True):
        drafts = list(propose(session, article, drafts))
        ids = _insert_drafts(
            session, [rows.draft_values(d, article_id=article_id, now=now) for d in drafts], who=who
        )
        queued = getattr(propose, "queued", None)
        if queued is not None:  # a proposer that keeps what it read (geodata.merge.BatchProposer)
            queued(session, article_id, drafts, ids)
        out.append(Queued(article_id, ids, _merges(drafts)))
    return out


def _insert_drafts(session: Session, values: list[dict[str, Any]], *, who: str) -> list[int]:
    if not values:
        return []
    statement = insert(_DRAFTS).returning(_DRAFTS.c.id, sort_by_parameter_order=True)
    ids = list(session.scalars(statement, values))
    changelog.log(session, [{"who": who, "action": "draft", "draft_id": i} for i in ids])
    return ids


def _merges(drafts: Sequence[NewDraft]) -> int:
    """Merges proposed: into an event, or with a pending draft of another article."""
    return sum(d.merge_target is not None or d.duplicate_of is not None for d in drafts)


def _queue_one(
    session: Session,
    article: Article,
    drafts: Sequence[NewDraft],
    *,
    who: str,
    propose: Propose | None,
    now: dt.datetime,
) -> Queued | None:
    digest = text_hash(article.text)
    try:
        with session.begin_nested():  # a savepoint: a lost race undoes only this article
            article_id = session.execute(
                insert(_ARTICLES).returning(_ARTICLES.c.id),
                [rows.article_values(article, sha256=digest, now=now)],
            ).scalar_one()
    except IntegrityError:
        # Another writer stored it since we looked (PostgreSQL; SQLite's writers queue): theirs.
        if _known(session, [article])[0]:
            return None
        raise
    return _queue_drafts(session, [(article, drafts)], [article_id], who=who, propose=propose, now=now)[0]


def _known(session: Session, articles: Sequence[Article]) -> list[bool]:
    digests = [text_hash(a.text) for a in articles]
    urls = [a.url for a in articles if a.url]
    stored_digests = _found(session, ArticleRow.sha256, digests)
    stored_urls = _found(session, ArticleRow.url, urls)
    known = []
    for article, digest in zip(articles, digests, strict=True):
        known.append(digest in stored_digests or (article.url is not None and article.url in stored_urls))
        stored_digests.add(digest)  # a second copy within the batch is a copy
        if article.url:
            stored_urls.add(article.url)
    return known


def _found(session: Session, column: InstrumentedAttribute[Any], values: Iterable[str]) -> set[str]:
    wanted = sorted(set(values))
    found: set[str] = set()
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        chunk = wanted[start : start + LOOKUP_CHUNK]
        found.update(session.scalars(select(column).where(column.in_(chunk))))
    return found
