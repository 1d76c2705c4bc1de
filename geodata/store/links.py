"""Pending drafts that report the same event: when one of them becomes an event (accepted) or
joins one (merged), the others are proposed to merge into that event, so that accepting them
all adds further sources instead of making the same event twice.

Drafts are linked by ``drafts.duplicate_of`` (set when a draft was queued, see
``geodata.merge.propose``); the links are followed both ways and through drafts already
reviewed, so drafts linked only through a rejected one stay together. A linked draft that
already has a merge target of its own keeps it: it was matched with that event directly.
"""

from __future__ import annotations

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from geodata.store import changelog
from geodata.store.schema import DraftRow

#: Drafts fetched per statement while following links.
_CHUNK = 500


def linked_drafts(session: Session, draft_id: int) -> set[int]:
    """The drafts linked to ``draft_id`` through ``duplicate_of`` either way (itself included)."""
    found, frontier = {draft_id}, {draft_id}
    while frontier:
        ids = sorted(frontier)
        step: set[int] = set()
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            query = select(DraftRow.id, DraftRow.duplicate_of).where(
                or_(DraftRow.id.in_(chunk), DraftRow.duplicate_of.in_(chunk))
            )
            for row_id, duplicate_of in session.execute(query):
                step.add(row_id)
                if duplicate_of is not None:
                    step.add(duplicate_of)
        frontier = step - found
        found |= frontier
    return found


def follow(session: Session, draft_id: int, event_id: str, *, who: str) -> list[int]:
    """Propose ``event_id`` as the merge target of the pending drafts linked to ``draft_id``
    (which has just become or joined that event); return their ids.

    Their versions go up: a reviewer who had one on screen is told it changed.
    """
    others = sorted(linked_drafts(session, draft_id) - {draft_id})
    changed: list[int] = []
    for start in range(0, len(others), _CHUNK):
        statement = (
            update(DraftRow)
            .where(
                DraftRow.id.in_(others[start : start + _CHUNK]),
                DraftRow.status == "pending",
                DraftRow.merge_target.is_(None),
            )
            .values(merge_target=event_id, version=DraftRow.version + 1)
            .returning(DraftRow.id)
            .execution_options(synchronize_session="fetch")
        )
        changed += sorted(session.scalars(statement))
    note = f"reports the same event as draft {draft_id}: proposed to merge into {event_id}"
    changelog.log(
        session,
        # No event_id: the event itself did not change (and an undo has nothing to put back).
        [{"who": who, "action": "link", "draft_id": i, "note": note} for i in changed],
    )
    return changed
