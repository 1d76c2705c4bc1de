"""The propose step of ingestion: one article's new drafts compared with the store's events and
pending drafts, each given the event (or pending draft) it reports again, with the evidence.

Call it for each article before its drafts are queued, once the previous articles' drafts are
queued (in the same session, or committed): a batch's drafts then find each other. Drafts of
one article are never proposed into each other (telling an article's events apart is the
drafting's job), nor two of them into one event: the better match keeps it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from geodata.merge.keys import Key, Point, key_of_event
from geodata.merge.match import Candidate, best, candidates, family
from geodata.merge.pool import Locates, locate, store_keys

if TYPE_CHECKING:
    from geodata.store import Store
    from geodata.store.review import NewDraft

#: Events listed as related to a general report, at most (in id order).
MAX_RELATED = 25


def propose(
    source: Store | Session,
    drafts: Sequence[NewDraft],
    *,
    geocoder: Locates,
    article_id: int | None = None,
    threshold: float | None = None,
) -> list[NewDraft]:
    """``drafts`` (of one article) with their point, and where one reports an event or a
    pending draft again, ``merge_target`` (the event) and/or ``duplicate_of`` (the draft) and
    ``match`` (the candidate, its score and evidence; and for a general report, the events it
    may cover as ``related``)."""
    if isinstance(source, Session):
        return _propose(source, drafts, geocoder, article_id, threshold)
    with source.reading() as session:
        return _propose(session, drafts, geocoder, article_id, threshold)


def _propose(
    session: Session,
    drafts: Sequence[NewDraft],
    geocoder: Locates,
    article_id: int | None,
    threshold: float | None,
) -> list[NewDraft]:
    points, keys = draft_keys(drafts, geocoder, article_id=article_id)
    by_family: dict[str, list[Key]] = defaultdict(list)  # two thirds of the pairs differ in kind
    for other in store_keys(session, keys, geocoder=geocoder, article_id=article_id):
        by_family[family(other.type)].append(other)
    found = [candidates(key, by_family.get(family(key.type), ())) for key in keys]
    return proposed(drafts, points, found, assign(found, threshold=threshold))


def draft_keys(
    drafts: Sequence[NewDraft], geocoder: Locates, *, article_id: int | None = None
) -> tuple[list[Point | None], list[Key]]:
    """Where each draft's place resolves, and its key."""
    points = [d.point or locate(geocoder, d.event.place) for d in drafts]
    keys = [
        key_of_event(d.event, p, kind="draft", article_id=article_id)
        for d, p in zip(drafts, points, strict=True)
    ]
    return points, keys


def proposed(
    drafts: Sequence[NewDraft],
    points: Sequence[Point | None],
    found: Sequence[Sequence[Candidate]],
    chosen: Sequence[Candidate | None],
) -> list[NewDraft]:
    """The drafts with their point, what each is proposed into and the evidence."""
    out = []
    for draft, point, options, pick in zip(drafts, points, found, chosen, strict=True):
        related = [c for c in options if c.relation == "related" and c.kind == "event"][:MAX_RELATED]
        match: dict[str, Any] = {}
        if pick is not None:
            match["candidate"] = pick.as_json()
        if related:
            match["related"] = [c.as_json() for c in related]
        out.append(
            replace(
                draft,
                point=point,
                merge_target=_target(pick) or draft.merge_target,
                duplicate_of=int(pick.id)
                if pick is not None and pick.kind == "draft"
                else draft.duplicate_of,
                match=match or None,
            )
        )
    return out


def _target(pick: Candidate | None) -> str | None:
    if pick is None:
        return None
    return str(pick.id) if pick.kind == "event" else pick.merge_target


def _claims(candidate: Candidate) -> set[str]:
    """What a candidate stands for: its event, or its draft and what that draft is linked to."""
    if candidate.kind == "event":
        return {f"event:{candidate.id}"}
    claims = {f"draft:{candidate.id}"}
    if candidate.group is not None:
        claims.add(candidate.group)
    if candidate.merge_target is not None:
        claims.add(f"event:{candidate.merge_target}")
    if candidate.duplicate_of is not None:
        claims.add(f"draft:{candidate.duplicate_of}")
    return claims


def assign(found: Sequence[Sequence[Candidate]], *, threshold: float | None = None) -> list[Candidate | None]:
    """For each draft of one article, the candidate to propose: best scores first, and no event
    (or linked draft) proposed for two of them."""
    order = sorted(range(len(found)), key=lambda i: -(found[i][0].score if found[i] else 0.0))
    taken: set[str] = set()
    chosen: list[Candidate | None] = [None] * len(found)
    for index in order:
        free = [c for c in found[index] if not (_claims(c) & taken)]
        pick = best(free, threshold=threshold)
        if pick is not None:
            chosen[index] = pick
            taken |= _claims(pick)
    return chosen
