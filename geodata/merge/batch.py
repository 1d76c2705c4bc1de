"""The propose step of writing transactions of many articles (ingestion's batches): the store is
read once for a wider box than one article needs, the keys kept in memory, and each article's
drafts added to them once queued, so the next articles find them without another query.

Asking the store for each article's candidates cost more than drafting the article when a story
is told by many outlets (``python -m benchmarks ingest``): most articles of a batch fall in a
box already read. The keys are those the store's queries would give (:meth:`Box.holds`).

They are kept from one transaction to the next only while nobody else writes: the store's
generation (:func:`geodata.store.changelog.generation`) must have moved by exactly this
proposer's own commit. Another writer's change, a review, or a transaction rolled back, and the
next transaction reads the store afresh.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from geodata.merge.boxes import Box, box, joined
from geodata.merge.keys import Key, key_of_event
from geodata.merge.match import MAX_WINDOW_DAYS, candidates, family
from geodata.merge.pool import Locates, read_boxes
from geodata.merge.propose import assign, draft_keys, proposed
from geodata.merge.score import matchable
from geodata.store import changelog

if TYPE_CHECKING:
    from geodata.extract.article import Article
    from geodata.store.review import NewDraft

#: How much wider than an article's box the store is read: the next articles of a story fall
#: in it (a fortnight either side, a degree each way).
WIDER_DAYS = 14
WIDER_DEGREES = 1.0


#: Keys and boxes kept from one transaction to the next at most (then the store is read afresh:
#: memory stays bounded on a long run, and so does the search for a box already read).
MAX_KEPT_KEYS = 200_000
MAX_KEPT_BOXES = 2_000

#: Weeks of a window a key is filed under (a box holds a key only if it starts at most
#: MAX_WINDOW_DAYS before the box: the weeks after that are never looked in for it).
MAX_WEEKS = MAX_WINDOW_DAYS // 7 + 2


def _week(day: dt.date) -> int:
    return day.toordinal() // 7


@dataclass
class _Read:
    """What one transaction has read: the boxes, and the keys found in them or queued since."""

    session: Session
    #: The store's generation when the transaction began; whether this proposer queued drafts in
    #: it (the commit then raised the generation by one), and whether it committed.
    generation: int
    logged: bool = False
    committed: bool = False
    boxes: list[Box] = field(default_factory=list)
    #: The keys by kind of event and each week their window starts in or touches (at most
    #: :data:`MAX_WEEKS` from its start: a box finds a key only from its start's week).
    keys: dict[tuple[str, int], list[Key]] = field(default_factory=lambda: defaultdict(list))
    seen: set[tuple[str, Any]] = field(default_factory=set)

    def add(self, key: Key) -> None:
        if (key.kind, key.id) in self.seen or key.duplicate_of is not None or key.merge_target is not None:
            return  # as the store's query: a group's first report, or its event, stands for it
        if not matchable(key):
            return
        self.seen.add((key.kind, key.id))
        first = _week(key.start)
        for week in range(first, min(_week(key.end), first + MAX_WEEKS) + 1):
            self.keys[(family(key.type), week)].append(key)

    def near(self, key: Key) -> list[Key]:
        """The keys the store would give for ``key``: events, and pending drafts that are the first
        report of their group."""
        reach = box(key)
        if reach is None:
            return []
        kind, looked = family(key.type), set()
        held = []
        for week in range(_week(reach.first), _week(reach.last) + 1):
            for other in self.keys.get((kind, week), ()):
                if id(other) not in looked:
                    looked.add(id(other))
                    if reach.holds(other):
                        held.append(other)
        return held


def proposer(geocoder: Locates, *, threshold: float | None = None) -> BatchProposer:
    """The propose step as :func:`geodata.ingest.ingest` and the article pages call it: within
    the writing transaction, after the article is stored and before its drafts are (so the
    batch's earlier articles' drafts are seen, and none of this article's)."""
    return BatchProposer(geocoder, threshold=threshold)


class BatchProposer:
    """:func:`geodata.merge.proposer` for ingestion: call it for each article before its drafts
    are queued, and :meth:`queued` once they are."""

    def __init__(self, geocoder: Locates, *, threshold: float | None = None) -> None:
        self._geocoder, self._threshold = geocoder, threshold
        self._read: _Read | None = None

    def __call__(self, session: Session, article: Article, drafts: Sequence[NewDraft]) -> list[NewDraft]:
        read = self._state(session)
        points, keys = draft_keys(drafts, self._geocoder)
        wanted = joined([b for b in map(box, keys) if b is not None])
        missing = [b.widened(WIDER_DAYS, WIDER_DEGREES) for b in wanted if not _covered(b, read.boxes)]
        if missing:
            events, pending = read_boxes(session, missing, geocoder=self._geocoder)
            for key in [*events, *pending]:
                read.add(key)
            read.boxes += missing
        found = [candidates(k, read.near(k)) for k in keys]
        return proposed(drafts, points, found, assign(found, threshold=self._threshold))

    def queued(
        self, session: Session, article_id: int, drafts: Sequence[NewDraft], ids: Sequence[int]
    ) -> None:
        """The drafts of an article were queued with ``ids``: later articles may match them."""
        read = self._state(session)
        read.logged = read.logged or bool(ids)
        for draft, draft_id in zip(drafts, ids, strict=True):
            key = key_of_event(
                draft.event,
                draft.point,
                kind="draft",
                id=draft_id,
                article_id=article_id,
                merge_target=draft.merge_target,
                duplicate_of=draft.duplicate_of,
            )
            read.add(replace(key, group=f"draft:{draft_id}"))

    def _state(self, session: Session) -> _Read:
        read = self._read
        if read is not None and read.session is session and not read.committed:
            return read
        generation = changelog.generation(session)  # a new transaction: is what we read still true?
        if read is None or not _unchanged(read, generation):
            read = _Read(session, generation)
        else:
            read.session, read.generation, read.logged, read.committed = session, generation, False, False
        if not event.contains(session, "after_commit", _commit_seen):
            event.listen(session, "after_commit", _commit_seen)
        session.info[_PROPOSER] = self
        self._read = read
        return read


_PROPOSER = "geodata_batch_proposer"


def _commit_seen(session: Session) -> None:
    proposer = session.info.get(_PROPOSER)
    if proposer is not None and proposer._read is not None and proposer._read.session is session:
        proposer._read.committed = True


def _unchanged(last: _Read, generation: int) -> bool:
    """Whether the store is as the last transaction left it: committed, and nobody else's commit
    since (each writing transaction that changes anything raises the generation by one)."""
    small = len(last.seen) <= MAX_KEPT_KEYS and len(last.boxes) <= MAX_KEPT_BOXES
    return small and last.committed and generation == last.generation + (1 if last.logged else 0)


def _covered(wanted: Box, read: Sequence[Box]) -> bool:
    return any(done.covers(wanted) for done in read)
