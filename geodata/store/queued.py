"""Drafts as the review queue takes them in (:class:`NewDraft`) and gives them out
(:class:`QueuedDraft`), with what the merger found for them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from geodata.model import Event
from geodata.store import rows
from geodata.store.schema import DraftRow


@dataclass(frozen=True)
class NewDraft:
    """A drafted event to queue: how sure the drafting is, the sentences it rests on, and an
    event (or a pending draft) it may be a further report of, with the evidence of that match
    and where its place resolved (``geodata.merge.propose`` fills these)."""

    event: Event
    confidence: float
    evidence: list[dict[str, Any]] = field(default_factory=list)
    merge_target: str | None = None
    duplicate_of: int | None = None
    match: dict[str, Any] | None = None
    point: tuple[float, float] | None = None


@dataclass(frozen=True)
class QueuedDraft:
    """A draft in the store, with the version a review action must be made from."""

    id: int
    version: int
    status: str
    event: Event
    confidence: float
    evidence: list[dict[str, Any]]
    article_id: int | None
    merge_target: str | None
    event_id: str | None
    reason: str | None
    reviewer: str | None
    #: The pending draft of another article this one reports again.
    duplicate_of: int | None = None
    #: What the merger found (see ``drafts.match``); its candidate only while it is still the
    #: proposal (a deleted event's is dropped, as its merge target was).
    match: dict[str, Any] | None = None
    point: tuple[float, float] | None = None


def queued(row: DraftRow) -> QueuedDraft:
    """The draft a row holds, as the review queue lists it."""
    return QueuedDraft(
        row.id,
        row.version,
        row.status,
        rows.event_of(row.event),
        row.confidence,
        list(row.evidence),
        row.article_id,
        row.merge_target,
        row.event_id,
        row.reason,
        row.reviewer,
        duplicate_of=row.duplicate_of,
        match=_current_match(row),
        point=(row.lat, row.lon) if row.lat is not None and row.lon is not None else None,
    )


def _current_match(row: DraftRow) -> dict[str, Any] | None:
    """The stored match, its candidate dropped once it is no longer the proposal (the event was
    deleted: the database cleared ``merge_target``, and the draft is a plain draft again)."""
    if not row.match:
        return None
    found = dict(row.match)
    candidate = found.get("candidate")
    if candidate is not None:
        kind, target = candidate.get("kind"), candidate.get("id")
        standing = row.merge_target == target if kind == "event" else row.duplicate_of == target
        if not standing:
            found.pop("candidate")
    return found if found.get("candidate") or found.get("related") else None
