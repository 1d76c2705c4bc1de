"""Merging measured on the dev set: the reports ingested in order into a new store (each
article's drafts proposed against the events and pending drafts already there, then queued),
and ``linked(a, b)`` answering whether two drafts ended up as one event.

Two ways of working are played: ``queue`` (nobody reviews until the end: drafts are linked to
pending drafts, ``duplicate_of``) and ``accept`` (every report's drafts are accepted before the
next comes in: drafts are proposed into events, ``merge_target``, and ``accept_all`` merges
them). Drafts are linked when they became or joined one event, or are joined by
``duplicate_of`` links.

Drafts "from the gold" measure the merger alone: one draft per gold mention, with the gold
type, interval and point, and the actors a simple rule reads from the mention's quote
(capitalised names).
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.draftscore import HasEvent
from benchmarks.goldset import DevSet, GoldEvent, Mention
from geodata.extract.article import parse_article
from geodata.geocoding import OfflineGeocoder
from geodata.merge import propose
from geodata.model import DateSpan, Event, Place, Source
from geodata.store import Store, review
from geodata.store.review import NewDraft
from geodata.store.schema import DraftRow

Draft = Callable[[str, str], Sequence[HasEvent]]
MODES = ("queue", "accept")
_CONFIDENCE = {"high": 0.9, "medium": 0.6, "low": 0.3}


@dataclass(frozen=True)
class GoldDraft:
    """A draft made from a gold event as one report mentions it."""

    event: Event


_NAME = re.compile(r"\b[A-Z][\w’'-]+(?:\s+(?:of\s+|al-|bin\s+)?[A-Z][\w’'-]+)*")
_NOT_NAMES = re.compile(
    r"^(?:The|A|An|In|On|At|But|And|It|He|She|They|We|Its|This|That|Monday|Tuesday|Wednesday|Thursday|"
    r"Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|"
    r"November|December)$"
)


def quote_actors(quote: str, places: set[str]) -> list[str]:
    """Capitalised names in a quote (sentence-initial words, days, months and the event's own
    places left out): the actors a simple drafting would read."""
    out = []
    for m in _NAME.finditer(quote):
        words = [w for w in m.group().split() if not _NOT_NAMES.match(w)]
        name = " ".join(words)
        if name and name not in places and (len(words) > 1 or (name.isupper() and len(name) >= 3)):
            out.append(name)
    return list(dict.fromkeys(out))


def _precision(days: int) -> str:
    return "day" if days <= 1 else "week" if days <= 7 else "month" if days <= 31 else "year"


def gold_draft(gold: GoldEvent, mention: Mention) -> GoldDraft:
    places = {p.name for p in gold.points()}
    quote = " ".join(mention.passages)
    event = Event(
        id=gold.id,
        type=gold.type,
        title=gold.title,
        date=DateSpan(start=gold.start, end=gold.end, precision=_precision((gold.end - gold.start).days + 1)),  # type: ignore[arg-type]
        place=Place(
            name=gold.place.name,
            lat=gold.place.lat,
            lon=gold.place.lon,
            geo_precision=gold.place.precision or "facility",
            coordinate_source="gold",
        ),
        actors=quote_actors(quote, places),
        source=Source(publisher=mention.report, title=mention.report, quote=quote),
    )
    return GoldDraft(event)


def gold_drafting(devset: DevSet) -> Draft:
    """The drafting that returns, for each report, a draft of each gold event it mentions."""

    def draft(raw: str, name: str) -> list[GoldDraft]:
        return [gold_draft(event, mention) for event, mention in devset.gold_for(name)]

    return draft


class Ingestion:
    """Reports drafted and ingested in order into a new store; then which drafts are linked."""

    def __init__(self, draft: Draft, geocoder: OfflineGeocoder, *, mode: str = "queue") -> None:
        self._draft, self._geocoder, self._mode = draft, geocoder, mode
        self._folder = tempfile.TemporaryDirectory(prefix="geodata-merge-")
        self.store = Store.open(f"sqlite:///{Path(self._folder.name) / 'store.db'}")
        self._ids: dict[int, int] = {}
        self._groups: dict[int, Any] | None = None
        self._kept: list[HasEvent] = []  # the drafts stay alive: their id() keys the map

    def close(self) -> None:
        self.store.close()
        self._folder.cleanup()

    def draft(self, raw: str, name: str) -> Sequence[HasEvent]:
        """Draft a report, propose its drafts against the store, queue them (and in ``accept``
        mode, review the queue)."""
        drafts = list(self._draft(raw, name))
        article = parse_article(raw, name=name)
        article_id, _ = review.add_article(self.store, article)
        new = [
            NewDraft(d.event, _CONFIDENCE[d.event.confidence], [{"text": d.event.source.quote}])
            for d in drafts
        ]
        proposed = propose(self.store, new, geocoder=self._geocoder, article_id=article_id)
        ids = review.add_drafts(self.store, proposed, who="benchmark", article_id=article_id)
        self._ids.update({id(d): i for d, i in zip(drafts, ids, strict=True)})
        self._kept += drafts
        if self._mode == "accept":
            for queued in review.drafts(self.store):
                if queued.point is None:  # an unplaced draft cannot become an event
                    review.reject(self.store, queued.id, who="benchmark", reason="not placed")
            review.accept_all(self.store, who="benchmark", geocoder=self._geocoder)
        self._groups = None
        return drafts

    def linked(self, a: HasEvent, b: HasEvent) -> bool:
        groups = self._groups if self._groups is not None else self._group()
        self._groups = groups
        return bool(groups[self._ids[id(a)]] == groups[self._ids[id(b)]])

    def _group(self) -> dict[int, Any]:
        """Each draft's group: drafts joined by duplicate_of, a merge target or the event made."""
        parent: dict[Any, Any] = {}

        def root(x: Any) -> Any:
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        with self.store.reading() as session:
            found = session.query(
                DraftRow.id, DraftRow.duplicate_of, DraftRow.merge_target, DraftRow.event_id
            )
            for draft_id, duplicate_of, target, event_id in found:
                root(draft_id)
                others = [duplicate_of] + [("event", e) for e in (target, event_id) if e is not None]
                for other in others:
                    if other is not None:
                        parent[root(draft_id)] = root(other)
        return {x: root(x) for x in list(parent) if isinstance(x, int)}
