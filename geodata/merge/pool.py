"""The keys of the store's events and pending drafts that a new article's drafts may match: read
by kind of event, window and a box of degrees around each draft's place, through indexes that
hold every column tested (migration 0004), with statements built once and reused."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
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


Bounds = tuple[float, float, float, float]  # south, north, west, east


def bounds(point: Point, km: float) -> Bounds:
    """A box of degrees holding every point within ``km`` of ``point`` (the whole circle of
    longitude where it would cross the antimeridian)."""
    lat, lon = point
    rows = km / KM_PER_DEGREE
    columns = km / (KM_PER_DEGREE * math.cos(math.radians(min(89.0, abs(lat) + rows))))
    if abs(lon) + columns >= 180:
        return lat - rows, lat + rows, -180.0, 180.0
    return lat - rows, lat + rows, lon - columns, lon + columns


def _union(a: Bounds, b: Bounds) -> Bounds:
    return min(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), max(a[3], b[3])


@dataclass(frozen=True)
class Box:
    """Where and when a draft's candidates may be: kinds of event and days; places within reach
    of a candidate at most region-wide (``near``), and of one country-wide (``wide``); for a
    general report of a country, the events of that country."""

    types: tuple[str, ...]
    first: dt.date
    last: dt.date
    near: Bounds
    wide: Bounds
    country: str | None = None

    def params(self) -> dict[str, Any]:
        places = {f"near_{k}": v for k, v in zip(_SIDES, self.near, strict=True)}
        places.update(zip(_SIDES, self.wide, strict=True))
        return {
            "types": list(self.types),
            "since": self.first - dt.timedelta(days=MAX_WINDOW_DAYS),
            "first": self.first,
            "last": self.last,
            "country": self.country,
            **places,
        }


_SIDES = ("south", "north", "west", "east")


def box(key: Key) -> Box | None:
    """The window of a located draft (a day's slack either side) and the boxes within reach of
    its place: its radius, a candidate's (up to a region's, or a country's) and the least
    distance allowed."""
    if key.point is None:
        return None
    radii = DEFAULTS.precision_radius_m
    region = max(r for p, r in radii.items() if p != "country") / 1000
    slack = dt.timedelta(days=SLACK_DAYS)
    return Box(
        types=tuple(sorted(SPEECH)) if family(key.type) == "speech" else (key.type,),
        first=key.start - slack,
        last=key.end + slack,
        near=bounds(key.point, key.radius_km + region + MIN_ALLOWED_KM),
        wide=bounds(key.point, key.radius_km + max(radii.values()) / 1000 + MIN_ALLOWED_KM),
        country=key.country if country_wide(key) else None,
    )


#: Boxes of one article whose windows come this close are read with one query.
JOIN_DAYS = 7


def joined(boxes: Sequence[Box]) -> list[Box]:
    """The boxes, those of close windows and overlapping areas read together: one article's
    events are mostly of one story (one place, a few weeks), and each query scans the index
    over its window and the longest one indexed before it."""
    out: list[Box] = []
    for b in sorted(boxes, key=lambda b: (b.first, b.last)):
        last = out[-1] if out else None
        if last is not None and _near(last, b):
            out[-1] = Box(
                types=tuple(sorted(set(last.types) | set(b.types))),
                first=last.first,
                last=max(last.last, b.last),
                near=_union(last.near, b.near),
                wide=_union(last.wide, b.wide),
                country=last.country,
            )
        else:
            out.append(b)
    return out


def _near(a: Box, b: Box) -> bool:
    (south, north, west, east), (other_south, other_north, other_west, other_east) = a.wide, b.wide
    return (
        a.country == b.country
        and b.first <= a.last + dt.timedelta(days=JOIN_DAYS)
        and south <= other_north
        and other_south <= north
        and west <= other_east
        and other_west <= east
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
    boxes = joined([b for b in map(box, keys) if b is not None])
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
    groups = draft_groups(session, {i: (r.duplicate_of, r.merge_target) for i, r in drafts.items()})
    return [*events.values(), *(_draft_key(r, geocoder, groups[i]) for i, r in drafts.items())]


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


def _draft_key(row: Any, geocoder: Locates, group: str) -> Key:
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
        group=group,
        title=row.title,
    )


Links = dict[int, tuple[int | None, str | None]]


def draft_groups(session: Session, links: Links) -> dict[int, str]:
    """Each pending draft's group, from its (duplicate_of, merge_target): the event its chain of
    ``duplicate_of`` is proposed into, else the chain's first draft (the links of drafts not
    given are fetched)."""
    links = dict(links)
    missing = {parent for parent, _ in links.values() if parent is not None} - set(links)
    while missing:
        query = select(DraftRow.id, DraftRow.duplicate_of, DraftRow.merge_target).where(
            DraftRow.id.in_(sorted(missing))
        )
        found = {row.id: (row.duplicate_of, row.merge_target) for row in session.execute(query)}
        links.update(found)
        links.update({i: (None, None) for i in missing - set(found)})
        missing = {parent for parent, _ in found.values() if parent is not None} - set(links)
    return {i: _group(i, links) for i in links}


def _group(draft_id: int, links: Links) -> str:
    seen, current = set(), draft_id
    while True:
        parent, target = links.get(current, (None, None))
        if target is not None:
            return f"event:{target}"
        if parent is None or parent in seen:
            return f"draft:{current}"
        seen.add(current)
        current = parent
