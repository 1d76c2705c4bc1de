"""The keys of the store's events and pending drafts that a new article's drafts may match: read
by kind of event, window and a box of degrees around each draft's place, through indexes that
hold every column tested (migration 0004), with statements built once and reused."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import Select, and_, bindparam, or_, select
from sqlalchemy.orm import Session

from geodata.merge.boxes import Box, box, joined
from geodata.merge.keys import Key, Point, normalised_actors
from geodata.merge.score import matchable
from geodata.model import Place
from geodata.store.schema import DraftRow, EventRow

if TYPE_CHECKING:
    from geopy.location import Location


class Locates(Protocol):
    """Anything that places a :class:`Place` (the offline geocoder)."""

    def locate_place(self, place: Place) -> Location | None: ...


def locate(geocoder: Locates, place: Place) -> Point | None:
    found = geocoder.locate_place(place)
    return None if found is None else (found.latitude, found.longitude)


def _where(columns: Any) -> Any:
    """A box's test. The window is bounded on both sides of ``date_start``, so that the index
    serves it: indexed windows are at most :data:`MAX_WINDOW_DAYS` long."""
    return and_(
        columns.type.in_(bindparam("types", expanding=True)),
        columns.date_start >= bindparam("since"),
        columns.date_start <= bindparam("last"),
        columns.date_end >= bindparam("first"),
    )


def _inside(columns: Any, prefix: str = "") -> Any:
    return and_(
        columns.lat >= bindparam(f"{prefix}south"),
        columns.lat <= bindparam(f"{prefix}north"),
        columns.lon >= bindparam(f"{prefix}west"),
        columns.lon <= bindparam(f"{prefix}east"),
    )


def _events() -> Select[*tuple[Any, ...]]:
    e = EventRow
    return select(
        e.id, e.type, e.date_start, e.date_end, e.date_precision, e.lat, e.lon, e.geo_precision,
        e.place_country, e.place_canonical, e.place_name, e.actors, e.title,
    ).where(_where(e))  # fmt: skip


@cache
def _event_query() -> Select[*tuple[Any, ...]]:
    """Events within reach: near, or wide for those placed only at a country (the index tests
    the point; the precision is read from the few rows in the wide box)."""
    e = EventRow
    return _events().where(or_(_inside(e, "near_"), and_(_inside(e), e.geo_precision == "country")))


@cache
def _country_query() -> Select[*tuple[Any, ...]]:
    """The events of one country, for a general report of it (``place_country`` is tested on
    the rows the index finds by kind and window)."""
    return _events().where(EventRow.place_country == bindparam("country"))


@cache
def _draft_query() -> Select[*tuple[Any, ...]]:
    """Pending drafts within reach, without their event (read only for those compared)."""
    d = DraftRow
    return select(
        d.id, d.type, d.date_start, d.date_end, d.lat, d.lon, d.article_id, d.merge_target,
        d.duplicate_of, d.title,
    ).where(
        d.status == "pending",
        d.duplicate_of.is_(None),  # the first report of each group stands for it
        d.merge_target.is_(None),  # its event stands for it
        _where(d),
        or_(_inside(d), d.lat.is_(None)),  # a draft queued without a point is placed when read
        or_(d.article_id.is_(None), d.article_id != bindparam("article")),
    )  # fmt: skip


def store_keys(
    session: Session, keys: Sequence[Key], *, geocoder: Locates, article_id: int | None = None
) -> list[Key]:
    """The keys of the events and pending drafts (of other articles) that may match ``keys``."""
    boxes = joined([b for b in map(box, keys) if b is not None])
    events, drafts = read_boxes(session, boxes, geocoder=geocoder, article_id=article_id)
    return [*events, *drafts]


def read_boxes(
    session: Session, boxes: Sequence[Box], *, geocoder: Locates, article_id: int | None = None
) -> tuple[list[Key], list[Key]]:
    """The keys of the events, and of the pending drafts (not of ``article_id``, each with its
    group), within ``boxes``."""
    events: dict[str, Key] = {}
    drafts: dict[int, Any] = {}
    connection = session.connection()  # Core rows: the ORM adds nothing to plain columns
    article = -1 if article_id is None else article_id
    for found in boxes:
        params = found.params()
        query = _event_query() if found.country is None else _country_query()
        for row in connection.execute(query, params):
            if row.id not in events:
                events[row.id] = _event_key(row)
        for row in connection.execute(_draft_query(), {**params, "article": article}):
            drafts.setdefault(row.id, row)
    store = str(connection.engine.url)
    known = {i: _BODIES.get(_body_key(store, drafts[i])) for i in drafts}
    for i, event in _events_of(connection, [i for i, body in known.items() if body is None]).items():
        known[i] = _remember(_body_key(store, drafts[i]), _body(drafts[i], event, geocoder))
    found_drafts = [
        _draft_key(drafts[i], body, f"draft:{i}") for i, body in known.items() if body is not None
    ]
    return [k for k in events.values() if matchable(k)], [k for k in found_drafts if matchable(k)]


def _events_of(connection: Any, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """The event of each draft of ``ids`` (its JSON parsed), read in chunks."""
    out: dict[int, dict[str, Any]] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        query = select(DraftRow.id, DraftRow.event).where(DraftRow.id.in_(chunk))
        out.update({row.id: row.event for row in connection.execute(query)})
    return out


def _event_key(row: Any) -> Key:
    return Key(
        kind="event",
        id=row.id,
        type=row.type,
        start=row.date_start,
        end=row.date_end,
        precision=row.date_precision,
        point=(row.lat, row.lon),
        geo_precision=row.geo_precision or "facility",
        country=row.place_country,
        place=row.place_canonical or row.place_name or "",
        actors=normalised_actors(row.actors or ()),
        title=row.title,
    )


#: What a pending draft's key takes from its event: precision, point, geo precision, country,
#: place and actors. A pending draft's event is never rewritten (an edit is made on accepting
#: it), so this is read and parsed once per process, not for each article it may match.
Body = tuple[str, Point | None, str, str | None, str, tuple[tuple[str, ...], ...]]
_BODIES: dict[tuple[Any, ...], Body] = {}
#: Bodies remembered at most (about 400 bytes each).
MAX_BODIES = 200_000


def _body_key(store: str, row: Any) -> tuple[Any, ...]:
    """Which draft a body is of: the store and the id, and what would tell an id used again."""
    return store, row.id, row.type, row.title, row.date_start, row.date_end, row.lat, row.lon


def _remember(key: tuple[Any, ...], body: Body) -> Body:
    if len(_BODIES) >= MAX_BODIES:
        _BODIES.clear()
    _BODIES[key] = body
    return body


def _body(row: Any, event: dict[str, Any], geocoder: Locates) -> Body:
    place = event.get("place", {})
    point = (row.lat, row.lon) if row.lat is not None and row.lon is not None else None
    if point is None:
        point = locate(geocoder, Place.model_validate(place))
    return (
        event.get("date", {}).get("precision", "day"),
        point,
        place.get("geo_precision", "facility"),
        place.get("country"),
        place.get("canonical") or place.get("name", ""),
        normalised_actors(event.get("actors", ())),
    )


def _draft_key(row: Any, body: Body, group: str) -> Key:
    precision, point, geo_precision, country, place, actors = body
    return Key(
        kind="draft",
        id=row.id,
        type=row.type,
        start=row.date_start,
        end=row.date_end,
        precision=precision,
        point=point,
        geo_precision=geo_precision,
        country=country,
        place=place,
        actors=actors,
        article_id=row.article_id,
        merge_target=row.merge_target,
        duplicate_of=row.duplicate_of,
        group=group,
        title=row.title,
    )
