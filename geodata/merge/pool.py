"""The keys of the store's events and pending drafts that a new article's drafts may match: read
by kind of event, window and a box of degrees around each draft's place, through indexes that
hold every column tested (migration 0004), with statements built once and reused."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import Select, and_, bindparam, or_, select
from sqlalchemy.orm import Session

from geodata.merge.keys import Key, Point, normalised_actors
from geodata.merge.match import KM_PER_DEGREE, MAX_WINDOW_DAYS, SLACK_DAYS, country_wide, family
from geodata.merge.score import MIN_ALLOWED_KM, SPEECH
from geodata.model import Place
from geodata.settings import DEFAULTS
from geodata.store.schema import DraftRow, EventRow

if TYPE_CHECKING:
    from geopy.location import Location


class Locates(Protocol):
    """Anything that places a :class:`Place` (the offline geocoder)."""

    def locate_place(self, place: Place) -> Location | None: ...


def locate(geocoder: Locates, place: Place) -> Point | None:
    found = geocoder.locate_place(place)
    return None if found is None else (found.latitude, found.longitude)


@dataclass(frozen=True)
class Box:
    """Where and when a draft's candidates may be: kinds of event, days, and a box of degrees
    (the whole circle of longitude where the box would cross the antimeridian); for a general
    report of a country, the events of that country."""

    types: tuple[str, ...]
    first: dt.date
    last: dt.date
    south: float
    north: float
    west: float
    east: float
    country: str | None = None

    def params(self) -> dict[str, Any]:
        return {
            "types": list(self.types),
            "since": self.first - dt.timedelta(days=MAX_WINDOW_DAYS),
            "first": self.first,
            "last": self.last,
            "south": self.south,
            "north": self.north,
            "west": self.west,
            "east": self.east,
            "country": self.country,
        }


def box(key: Key) -> Box | None:
    """The window of a located draft (a day's slack either side) and the box within reach of its
    place: its radius, the largest a candidate may have, and the least distance allowed."""
    if key.point is None:
        return None
    lat, lon = key.point
    reach = key.radius_km + max(DEFAULTS.precision_radius_m.values()) / 1000 + MIN_ALLOWED_KM
    rows = reach / KM_PER_DEGREE
    columns = reach / (KM_PER_DEGREE * math.cos(math.radians(min(89.0, abs(lat) + rows))))
    across = abs(lon) + columns >= 180
    slack = dt.timedelta(days=SLACK_DAYS)
    return Box(
        types=tuple(sorted(SPEECH)) if family(key.type) == "speech" else (key.type,),
        first=key.start - slack,
        last=key.end + slack,
        south=lat - rows,
        north=lat + rows,
        west=-180.0 if across else lon - columns,
        east=180.0 if across else lon + columns,
        country=key.country if country_wide(key) else None,
    )


def _where(columns: Any) -> Any:
    """A box's test. The window is bounded on both sides of ``date_start``, so that the index
    serves it: indexed windows are at most :data:`MAX_WINDOW_DAYS` long."""
    return and_(
        columns.type.in_(bindparam("types", expanding=True)),
        columns.date_start >= bindparam("since"),
        columns.date_start <= bindparam("last"),
        columns.date_end >= bindparam("first"),
    )


def _inside(columns: Any) -> Any:
    return and_(
        columns.lat >= bindparam("south"),
        columns.lat <= bindparam("north"),
        columns.lon >= bindparam("west"),
        columns.lon <= bindparam("east"),
    )


def _events() -> Select[*tuple[Any, ...]]:
    e = EventRow
    return select(
        e.id, e.type, e.date_start, e.date_end, e.date_precision, e.lat, e.lon, e.geo_precision,
        e.place_country, e.place_canonical, e.place_name, e.actors, e.title,
    ).where(_where(e))  # fmt: skip


@cache
def _event_query() -> Select[*tuple[Any, ...]]:
    return _events().where(_inside(EventRow))


@cache
def _country_query() -> Select[*tuple[Any, ...]]:
    """The events of one country, for a general report of it (``place_country`` is tested on
    the rows the index finds by kind and window)."""
    return _events().where(EventRow.place_country == bindparam("country"))


@cache
def _draft_query() -> Select[*tuple[Any, ...]]:
    d = DraftRow
    return select(
        d.id, d.type, d.date_start, d.date_end, d.lat, d.lon, d.article_id, d.merge_target,
        d.duplicate_of, d.event, d.title,
    ).where(
        d.status == "pending",
        _where(d),
        or_(_inside(d), d.lat.is_(None)),  # a draft queued without a point is placed when read
        or_(d.article_id.is_(None), d.article_id != bindparam("article")),
    )  # fmt: skip


def store_keys(
    session: Session, keys: Sequence[Key], *, geocoder: Locates, article_id: int | None = None
) -> list[Key]:
    """The keys of the events and pending drafts (of other articles) that may match ``keys``."""
    boxes = list(dict.fromkeys(b for b in map(box, keys) if b is not None))
    events: dict[str, Key] = {}
    drafts: dict[int, Key] = {}
    for found in boxes:
        params = found.params()
        for row in session.execute(_event_query(), params):
            if row.id not in events:
                events[row.id] = _event_key(row)
        for row in session.execute(
            _draft_query(), {**params, "article": -1 if article_id is None else article_id}
        ):
            if row.id not in drafts:
                drafts[row.id] = _draft_key(row, geocoder)
    return [*events.values(), *with_groups(session, list(drafts.values()))]


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


def _draft_key(row: Any, geocoder: Locates) -> Key:
    event: dict[str, Any] = row.event
    place = event.get("place", {})
    point = (row.lat, row.lon) if row.lat is not None and row.lon is not None else None
    if point is None:
        point = locate(geocoder, Place.model_validate(place))
    return Key(
        kind="draft",
        id=row.id,
        type=row.type,
        start=row.date_start,
        end=row.date_end,
        precision=event.get("date", {}).get("precision", "day"),
        point=point,
        geo_precision=place.get("geo_precision", "facility"),
        country=place.get("country"),
        place=place.get("canonical") or place.get("name", ""),
        actors=normalised_actors(event.get("actors", ())),
        article_id=row.article_id,
        merge_target=row.merge_target,
        duplicate_of=row.duplicate_of,
        title=row.title,
    )


def with_groups(session: Session, keys: Sequence[Key]) -> list[Key]:
    """Pending drafts' keys with their group: the event their chain of ``duplicate_of`` is
    proposed into, else the chain's first draft (fetching the links of drafts not loaded)."""
    links = {int(k.id): (k.duplicate_of, k.merge_target) for k in keys if k.id is not None}
    missing = {k.duplicate_of for k in keys if k.duplicate_of is not None} - set(links)
    while missing:
        query = select(DraftRow.id, DraftRow.duplicate_of, DraftRow.merge_target).where(
            DraftRow.id.in_(sorted(missing))
        )
        found = {row.id: (row.duplicate_of, row.merge_target) for row in session.execute(query)}
        links.update(found)
        links.update({i: (None, None) for i in missing - set(found)})
        missing = {parent for parent, _ in found.values() if parent is not None} - set(links)
    return [replace(k, group=_group(int(k.id), links)) if k.id is not None else k for k in keys]


def _group(draft_id: int, links: dict[int, tuple[int | None, str | None]]) -> str:
    seen, current = set(), draft_id
    while True:
        parent, target = links.get(current, (None, None))
        if target is not None:
            return f"event:{target}"
        if parent is None or parent in seen:
            return f"draft:{current}"
        seen.add(current)
        current = parent
