"""The change log: every change is written here, and a writing transaction that logged one
raises the store's generation (the dashboard's cache key) as its last statement.

The generation is a counter in a one-row table, not the newest change's id: on PostgreSQL a
transaction that took its ids early can commit after one that took later ids, and a map that
read the largest id in between would never see it move. The counter is raised just before the
commit, so its row is locked only for the commit itself and the values follow commit order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from geodata.store import rows
from geodata.store.schema import ChangeRow, StateRow

#: Rows sent to the database per statement.
BATCH = 2_000
_LOGGED = "geodata_logged"


def log(session: Session, changes: Sequence[dict[str, Any]]) -> None:
    """Add entries to the change log (the values of :class:`ChangeRow` columns, ``at`` aside)."""
    now = rows.utc_now()
    for start in range(0, len(changes), BATCH):
        session.execute(insert(ChangeRow), [{"at": now, **c} for c in changes[start : start + BATCH]])
    if changes:
        session.info[_LOGGED] = True


def log_one(
    session: Session,
    *,
    who: str,
    action: str,
    event_id: str | None = None,
    draft_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str | None = None,
) -> None:
    """Add one entry to the change log."""
    log(
        session,
        [
            {
                "who": who,
                "action": action,
                "event_id": event_id,
                "draft_id": draft_id,
                "before": before,
                "after": after,
                "note": note,
            }
        ],
    )


def finish(session: Session) -> None:
    """Raise the generation if this transaction logged a change (call it last, before commit)."""
    if session.info.pop(_LOGGED, False):
        session.execute(update(StateRow).where(StateRow.id == 1).values(generation=StateRow.generation + 1))


def generation(session: Session) -> int:
    """The store's generation as this session sees it."""
    return int(session.scalar(select(StateRow.generation).where(StateRow.id == 1)) or 0)
