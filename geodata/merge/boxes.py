"""Where and when a draft's candidates may be: the kinds of event, the window and the boxes of
degrees around its place that the store is asked for (:mod:`geodata.merge.pool`), and the same
test on keys kept in memory (:mod:`geodata.merge.batch`)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from geodata.merge.keys import Key, Point
from geodata.merge.match import KM_PER_DEGREE, MAX_WINDOW_DAYS, SLACK_DAYS, country_wide, family
from geodata.merge.score import MIN_ALLOWED_KM, SPEECH
from geodata.settings import DEFAULTS

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


def _within(point: Point, b: Bounds) -> bool:
    return b[0] <= point[0] <= b[1] and b[2] <= point[1] <= b[3]


def _contains(a: Bounds, b: Bounds) -> bool:
    return a[0] <= b[0] and b[1] <= a[1] and a[2] <= b[2] and b[3] <= a[3]


def _grown(b: Bounds, degrees: float) -> Bounds:
    return b[0] - degrees, b[1] + degrees, max(-180.0, b[2] - degrees), min(180.0, b[3] + degrees)


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

    def holds(self, key: Key) -> bool:
        """Whether the store's queries for this box find ``key`` (a key kept in memory)."""
        if key.type not in self.types or key.point is None:
            return False
        since = self.first - dt.timedelta(days=MAX_WINDOW_DAYS)
        if not (since <= key.start <= self.last and key.end >= self.first):
            return False
        if key.kind == "draft":
            return _within(key.point, self.wide)
        if self.country is not None:
            return key.country == self.country
        return _within(key.point, self.near) or (
            key.geo_precision == "country" and _within(key.point, self.wide)
        )

    def covers(self, other: Box) -> bool:
        """Whether every key ``other`` holds, this box holds."""
        return (
            set(other.types) <= set(self.types)
            and self.first <= other.first
            and other.last <= self.last
            and _contains(self.near, other.near)
            and _contains(self.wide, other.wide)
            and self.country == other.country
        )

    def widened(self, days: int, degrees: float) -> Box:
        """This box ``days`` longer each side and ``degrees`` wider each way."""
        grow = dt.timedelta(days=days)
        return replace(
            self, first=self.first - grow, last=self.last + grow, near=_grown(self.near, degrees),
            wide=_grown(self.wide, degrees),
        )  # fmt: skip

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
