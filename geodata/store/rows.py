"""Events and drafts as the store's rows, and back: the one place that knows both shapes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import sqlalchemy as sa
from geopy.location import Location

from geodata.admin import admin_areas
from geodata.model import Event
from geodata.records import event_record
from geodata.store.schema import ChangeRow, EventRow

if TYPE_CHECKING:
    from geodata.extract.article import Article
    from geodata.store.review import NewDraft

#: Record fields that live in their own table (references) or not at all in a row.
_NOT_COLUMNS = frozenset({"references"})
EVENT_COLUMNS: tuple[str, ...] = tuple(
    c.name
    for c in EventRow.__table__.columns
    if c.name not in ("data", "version", "updated_at", "updated_by")
)


@dataclass(frozen=True)
class Stored:
    """An event as the store holds it, with the version an edit must be made from."""

    event: Event
    version: int
    updated_at: dt.datetime
    updated_by: str


@dataclass(frozen=True)
class Change:
    """One entry of the change log."""

    id: int
    at: dt.datetime
    who: str
    action: str
    event_id: str | None
    draft_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    note: str | None


def event_data(event: Event) -> dict[str, Any]:
    """The event as a JSON-ready mapping that ``Event.model_validate`` reads back equal."""
    data = event.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    return {"id": event.id, "type": event.type, **data}


def event_of(data: dict[str, Any]) -> Event:
    """The event a row's ``data`` holds."""
    return Event.model_validate(data)


def event_values(
    event: Event,
    where: Location,
    said: Location | None,
    *,
    who: str,
    now: dt.datetime,
    areas: bool = True,
) -> dict[str, Any]:
    """The column values of an event located at ``where`` (``version`` aside). Without
    ``areas``, ``admin1``/``admin2`` are left for :func:`fill_admin_areas` (once for many)."""
    record = event_record(event, where, said)
    values = {name: record.get(name) for name in EVENT_COLUMNS}
    values.update(data=event_data(event), updated_at=now, updated_by=who)
    if areas:
        fill_admin_areas([values])
    return values


def fill_admin_areas(values: list[dict[str, Any]]) -> None:
    """Set ``admin1``/``admin2`` of each event's column values (:func:`admin_areas`, in one go)."""
    if not values:
        return
    admin1, admin2 = admin_areas(
        np.array([v["lat"] for v in values], dtype=float),
        np.array([v["lon"] for v in values], dtype=float),
        [v["place_region"] for v in values],
        [v["place_admin2"] for v in values],
        [v["geo_precision"] for v in values],
    )
    for value, first, second in zip(values, admin1, admin2, strict=True):
        value.update(admin1=first, admin2=second)


def refill_admin_areas(connection: sa.Connection, *, batch: int = 50_000) -> int:
    """Find ``admin1``/``admin2`` again for every stored event (:func:`admin_areas`, the place's
    hints first), ``batch`` events at a time in id order, so a large store is never read whole.
    Returns the number of events seen. Used by migrations when the way regions are found
    changes; it reads and writes only the columns named here."""
    events = sa.table(
        "events",
        *(sa.column(name, sa.Text) for name in ("id", "place_region", "place_admin2", "geo_precision")),
        *(sa.column(name, sa.Float) for name in ("lat", "lon")),
        *(sa.column(name, sa.Text) for name in ("admin1", "admin2")),
    )
    update = (
        sa.update(events)
        .where(events.c.id == sa.bindparam("key"))
        .values(admin1=sa.bindparam("a1"), admin2=sa.bindparam("a2"))
    )
    c = events.c
    query = sa.select(c.id, c.lat, c.lon, c.place_region, c.place_admin2, c.geo_precision).order_by(c.id)
    seen = 0
    after: str | None = None
    while True:
        page = query.limit(batch) if after is None else query.where(c.id > after).limit(batch)
        rows = connection.execute(page).all()
        if not rows:
            return seen
        first, second = admin_areas(
            np.array([r.lat for r in rows], dtype=float),
            np.array([r.lon for r in rows], dtype=float),
            [r.place_region for r in rows],
            [r.place_admin2 for r in rows],
            [r.geo_precision for r in rows],
        )
        found = zip(rows, first, second, strict=True)
        connection.execute(update, [{"key": r.id, "a1": a, "a2": b} for r, a, b in found])
        seen += len(rows)
        after = rows[-1].id


def reference_values(event: Event) -> list[dict[str, Any]]:
    """The rows of an event's further sources, in order."""
    return [
        {"event_id": event.id, "position": n, **ref.model_dump(mode="python")}
        for n, ref in enumerate(event.references)
    ]


def article_values(article: Article, *, sha256: str, now: dt.datetime) -> dict[str, Any]:
    """The column values of a stored article (``id`` aside)."""
    return {
        "sha256": sha256,
        "url": article.url,
        "title": article.title,
        "publisher": article.publisher,
        "published": article.published,
        "text": article.text,
        "ingested_at": now,
    }


def draft_values(draft: NewDraft, *, article_id: int | None, now: dt.datetime) -> dict[str, Any]:
    """The column values of a new pending draft (``id`` aside)."""
    event = draft.event
    return {
        "version": 1,
        "article_id": article_id,
        "status": "pending",
        "confidence": draft.confidence,
        "type": event.type,
        "title": event.title,
        "place_name": event.place.name,
        "date_start": event.date.start,
        "date_end": event.date.end,
        "event": event_data(event),
        "evidence": list(draft.evidence),
        "merge_target": draft.merge_target,
        "duplicate_of": draft.duplicate_of,
        "match": draft.match,
        "lat": draft.point[0] if draft.point else None,
        "lon": draft.point[1] if draft.point else None,
        "created_at": now,
    }


def stored(row: EventRow) -> Stored:
    return Stored(event_of(row.data), row.version, row.updated_at, row.updated_by)


def change(row: ChangeRow) -> Change:
    return Change(
        row.id, row.at, row.who, row.action, row.event_id, row.draft_id, row.before, row.after, row.note
    )


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
