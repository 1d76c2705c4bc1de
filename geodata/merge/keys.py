"""What the merger compares of an event or a draft (its key); actor names are normalised by
``geodata.actors``.

A key holds only what matching needs: the type, the date window and its precision, the point the
place resolved to with its precision and country, and the actors as normalised token tuples.
Keys are built from an :class:`~geodata.model.Event` and a point, or from a store row's columns,
so that matching never parses a whole event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from geodata.actors import normalised_actors
from geodata.model import Event
from geodata.settings import DEFAULTS

Kind = Literal["event", "draft"]
Point = tuple[float, float]
#: How coarse each geo precision is: two places two steps apart (a country and a city) are a
#: general report and a particular event, not two reports of one event.
LEVEL = {"facility": 0, "city": 1, "region": 2, "country": 3}


@dataclass(frozen=True, slots=True)
class Key:
    """An event or a draft as the merger sees it."""

    kind: Kind
    #: The event's id, or the draft's id (``None`` for a draft not yet in the store).
    id: str | int | None
    type: str
    start: dt.date
    end: dt.date
    precision: str
    point: Point | None
    geo_precision: str
    country: str | None = None
    place: str = ""
    actors: tuple[tuple[str, ...], ...] = ()
    #: The article a draft was read from: drafts of one article are never merged together.
    article_id: int | None = None
    #: For a pending draft: the event it is already proposed to merge into, and the draft it
    #: was found to report again.
    merge_target: str | None = None
    duplicate_of: int | None = None
    #: What the key is already known to be one event with: ``event:ID`` (an event, or a draft
    #: proposed into it) or ``draft:ID`` (the first draft of a chain of ``duplicate_of``).
    group: str | None = None
    title: str = field(default="", compare=False)

    @property
    def days(self) -> int:
        """How many days the date window covers."""
        return (self.end - self.start).days + 1

    @property
    def level(self) -> int:
        return LEVEL.get(self.geo_precision, 0)

    @property
    def radius_km(self) -> float:
        return DEFAULTS.precision_radius_m.get(self.geo_precision, 1_000.0) / 1000

    @property
    def dated(self) -> bool:
        """False when the date is only a window the report was published in ("unknown")."""
        return self.precision != "unknown"


def key_of_event(
    event: Event,
    point: Point | None,
    *,
    kind: Kind = "draft",
    id: str | int | None = None,
    article_id: int | None = None,
    merge_target: str | None = None,
    duplicate_of: int | None = None,
) -> Key:
    """The key of ``event`` placed at ``point`` (where its place resolved)."""
    return Key(
        kind=kind,
        id=event.id if kind == "event" and id is None else id,
        type=event.type,
        start=event.date.start,
        end=event.date.end,
        precision=event.date.precision,
        point=point,
        geo_precision=event.place.geo_precision,
        country=event.place.country,
        place=event.place.query,
        actors=normalised_actors(event.actors),
        article_id=article_id,
        merge_target=merge_target,
        duplicate_of=duplicate_of,
        title=event.title,
    )


def keys_of_frame(frame: Any) -> list[Key]:
    """The keys of the events of a map frame (``geodata.frame``, ``Store.frame``): one pass over
    its columns, no event parsed."""
    columns = [
        frame[c].tolist()
        for c in (
            "id", "type", "date_start", "date_end", "date_precision", "lat", "lon", "geo_precision",
            "place_country", "place_canonical", "place_name", "actors", "title",
        )
    ]  # fmt: skip
    out = []
    for row in zip(*columns, strict=True):
        event_id, kind, start, end, precision, lat, lon, geo, country, canonical, name, actors, title = row
        if _missing(start) or _missing(end) or _missing(lat) or _missing(lon):
            continue
        out.append(
            Key(
                kind="event",
                id=str(event_id),
                type=str(kind),
                start=start.date(),
                end=end.date(),
                precision=str(precision),
                point=(float(lat), float(lon)),
                geo_precision=str(geo) if not _missing(geo) else "facility",
                country=None if _missing(country) else str(country),
                place=str(canonical if not _missing(canonical) else name),
                actors=normalised_actors(actors if isinstance(actors, (list, tuple)) else ()),
                title=str(title),
            )
        )
    return out


def _missing(value: Any) -> bool:
    return value is None or value != value  # NaN and NaT are not equal to themselves
