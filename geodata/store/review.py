"""The review queue: articles read into the store, their drafted events, and what reviewers do
with them (accept, edit and accept, reject with a reason, merge into an event as a further
source). Every action is one transaction and one entry in the change log; rejected drafts are
kept.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from geodata.errors import ConflictError, StoreError
from geodata.model import Event, Source
from geodata.store import changelog, links, rows

# NewDraft and QueuedDraft are part of this module's interface (re-exported).
from geodata.store.queued import NewDraft as NewDraft
from geodata.store.queued import QueuedDraft as QueuedDraft
from geodata.store.queued import queued
from geodata.store.schema import ArticleRow, DraftRow, EventRow

if TYPE_CHECKING:
    from geodata.extract.article import Article
    from geodata.geocoding import OfflineGeocoder
    from geodata.store.store import Store


def text_hash(text: str) -> str:
    """The key an article's text is known by (whitespace runs count as one space)."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def add_article(store: Store, article: Article) -> tuple[int, bool]:
    """Store an article unless the same URL or the same text is there; return its id and
    whether it is new."""
    digest = text_hash(article.text)
    with store.writing() as session:
        clauses = [ArticleRow.sha256 == digest] + ([ArticleRow.url == article.url] if article.url else [])
        found = session.scalar(select(ArticleRow.id).where(or_(*clauses)))
        if found is not None:
            return int(found), False
        row = ArticleRow(**rows.article_values(article, sha256=digest, now=rows.utc_now()))
        try:
            with session.begin_nested():  # a savepoint: a lost race undoes only this INSERT
                session.add(row)
        except IntegrityError:
            # Someone stored it since we looked (PostgreSQL; SQLite's writers queue): theirs.
            found = session.scalar(select(ArticleRow.id).where(or_(*clauses)))
            if found is None:
                raise
            return int(found), False
        return row.id, True


def add_drafts(
    store: Store, drafts: Sequence[NewDraft], *, who: str, article_id: int | None = None
) -> list[int]:
    """Queue drafts for review (one transaction); return their ids."""
    now = rows.utc_now()
    with store.writing() as session:
        ids = []
        for draft in drafts:
            row = DraftRow(**rows.draft_values(draft, article_id=article_id, now=now))
            session.add(row)
            session.flush()
            ids.append(row.id)
        changelog.log(session, [{"who": who, "action": "draft", "draft_id": i} for i in ids])
        return ids


def drafts(
    store: Store,
    *,
    status: Sequence[str] = ("pending",),
    article_id: int | None = None,
    types: Sequence[str] | None = None,
    min_confidence: float | None = None,
) -> list[QueuedDraft]:
    """Drafts with one of ``status``, most confident first."""
    query = select(DraftRow).where(DraftRow.status.in_(list(status)))
    if article_id is not None:
        query = query.where(DraftRow.article_id == article_id)
    if types:
        query = query.where(DraftRow.type.in_(list(types)))
    if min_confidence is not None:
        query = query.where(DraftRow.confidence >= min_confidence)
    with store.reading() as session:
        return [queued(r) for r in session.scalars(query.order_by(DraftRow.confidence.desc(), DraftRow.id))]


def draft(store: Store, draft_id: int) -> QueuedDraft:
    with store.reading() as session:
        return queued(_row(session, draft_id))


def accept(
    store: Store,
    draft_id: int,
    *,
    who: str,
    geocoder: OfflineGeocoder,
    edited: Event | None = None,
    expected_version: int | None = None,
) -> str:
    """Make a pending draft (or the reviewer's edit of it) an event; return the event's id."""
    with store.writing() as session:
        row = _pending(session, draft_id, expected_version)
        event = edited or rows.event_of(row.event)
        event = event.model_copy(update={"id": _free_id(session, event.id)})
        _claim(store, session, row, "accepted", who, event_id=event.id)
        store.insert_in(session, event, who=who, geocoder=geocoder)
        changelog.log_one(
            session,
            who=who,
            action="accept",
            event_id=event.id,
            draft_id=row.id,
            after=rows.event_data(event),
        )
        links.follow(session, row.id, event.id, who=who)
        return event.id


def merge(
    store: Store,
    draft_id: int,
    target_id: str,
    *,
    who: str,
    geocoder: OfflineGeocoder,
    expected_version: int | None = None,
) -> None:
    """Add a pending draft's source (with its quote) to event ``target_id`` as a further report."""
    with store.writing() as session:
        row = _pending(session, draft_id, expected_version)
        target = session.get(EventRow, target_id)
        if target is None:
            raise StoreError(f"there is no event {target_id!r} to merge draft {draft_id} into")
        current = rows.event_of(target.data)
        source = rows.event_of(row.event).source
        _claim(store, session, row, "merged", who, event_id=target_id)
        links.follow(session, row.id, target_id, who=who)
        if _already_cited(current, source):
            # The event stays as it is; the queue changed, and the log says why.
            changelog.log_one(
                session,
                who=who,
                action="merge",
                draft_id=row.id,
                note=f"{target_id} already cites this source",
            )
        else:
            updated = current.model_copy(update={"references": [*current.references, source]})
            store.save_in(
                session,
                updated,
                expected_version=target.version,
                who=who,
                geocoder=geocoder,
                action="merge",
                draft_id=row.id,
            )


def reject(
    store: Store, draft_id: int, *, who: str, reason: str, expected_version: int | None = None
) -> None:
    """Set a pending draft aside with a reason (it is kept, and can be found again)."""
    if not reason.strip():
        raise StoreError("say why the draft is rejected (a reason is kept with it)")
    with store.writing() as session:
        row = _pending(session, draft_id, expected_version)
        _claim(store, session, row, "rejected", who, reason=reason.strip())
        changelog.log_one(session, who=who, action="reject", draft_id=row.id, note=reason.strip())


def accept_all(
    store: Store, *, who: str, geocoder: OfflineGeocoder, min_confidence: float | None = None
) -> tuple[int, int]:
    """Accept every pending draft at or above ``min_confidence`` (merging where a merge is
    proposed), each in its own transaction, most confident first; return (accepted, merged).

    Each draft is read again just before its turn: accepting one proposes the drafts linked to
    it for a merge into the new event, and those are then merged, not made events again. A
    draft someone else reviewed meanwhile is left to them.
    """
    accepted = merged = 0
    for listed in drafts(store, min_confidence=min_confidence):
        current = draft(store, listed.id)
        if current.status != "pending":
            continue
        if current.merge_target is not None:
            merge(
                store,
                current.id,
                current.merge_target,
                who=who,
                geocoder=geocoder,
                expected_version=current.version,
            )
            merged += 1
        else:
            accept(store, current.id, who=who, geocoder=geocoder, expected_version=current.version)
            accepted += 1
    return accepted, merged


def _already_cited(event: Event, source: Source) -> bool:
    quotes = {(s.url, " ".join(s.quote.split())) for s in (event.source, *event.references)}
    return (source.url, " ".join(source.quote.split())) in quotes


def _row(session: Session, draft_id: int) -> DraftRow:
    row = session.get(DraftRow, draft_id)
    if row is None:
        raise StoreError(f"there is no draft {draft_id}")
    return row


def _pending(session: Session, draft_id: int, expected_version: int | None) -> DraftRow:
    row = _row(session, draft_id)
    if (expected_version is not None and row.version != expected_version) or row.status != "pending":
        raise _taken(queued(row))
    return row


def _taken(current: QueuedDraft) -> ConflictError:
    return ConflictError(
        f"draft {current.id} was {current.status} by {current.reviewer or 'someone'} meanwhile; "
        "reload the queue",
        current=current,
        proposed=None,
    )


def _claim(
    store: Store,
    session: Session,
    row: DraftRow,
    status: str,
    who: str,
    *,
    event_id: str | None = None,
    reason: str | None = None,
) -> None:
    """Mark the draft reviewed, first of the action's writes: its UPDATE names the version read,
    so on PostgreSQL a reviewer who committed in between makes it match nothing (SQLite's
    writers queue instead), and the action is refused before it touched any event."""
    draft_id = row.id  # the row expires if the flush fails
    row.status, row.reviewer, row.reviewed_at = status, who, rows.utc_now()
    row.event_id, row.reason = event_id, reason
    try:
        session.flush()
    except StaleDataError as err:
        raise _taken(draft(store, draft_id)) from err


def _free_id(session: Session, wanted: str) -> str:
    taken = set(session.scalars(select(EventRow.id).where(EventRow.id.like(f"{wanted}%"))))
    candidate, n = wanted, 2
    while candidate in taken:
        candidate, n = f"{wanted}-{n}", n + 1
    return candidate
