"""Candidates for a draft among events and pending drafts: found by type, week and place (never
all pairs), scored by :func:`geodata.merge.score.compare`, and the one to propose chosen.

An index keeps each key under its kind of event (statements and warnings together), each week
its window touches and the grid cell of its point; a draft looks only in the weeks of its own
window and a day either side, and in the cells within reach of its place. Windows longer than
:data:`MAX_WINDOW_DAYS` (an event known only to the year) are not indexed: they are no evidence
of one event.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from geodata.merge.keys import Key, Kind, Point
from geodata.merge.score import (
    GENERAL_MIN_DAYS,
    MIN_ALLOWED_KM,
    SPEECH,
    Evidence,
    Relation,
    compare,
    matchable,
    window_share,
)
from geodata.settings import DEFAULTS

#: The longest window a key is indexed with (two months).
MAX_WINDOW_DAYS = 62
#: Days of slack around a draft's window (two reports may date a night attack a day apart).
SLACK_DAYS = 1
#: The side of a grid cell of the index, in degrees.
CELL_DEGREES = 1.0
#: Kilometres in a degree of latitude (and of longitude at the equator).
KM_PER_DEGREE = 111.2
_COLUMNS = round(360 / CELL_DEGREES)


@dataclass(frozen=True)
class Candidate:
    """An event or a pending draft that a draft may report again (``relation`` "same"), or an
    event a general report may cover ("related"), with the score and the evidence."""

    kind: Kind
    id: str | int
    relation: Relation
    score: float
    evidence: Evidence
    #: For a pending draft: the event it is already proposed to merge into, and the draft it
    #: was found to report again.
    merge_target: str | None = None
    duplicate_of: int | None = None
    #: What it is already known to be one event with (see :attr:`Key.group`).
    group: str | None = None
    title: str = ""
    #: What it was compared as (to tell whether two rival candidates are one event).
    key: Key | None = field(default=None, compare=False, repr=False)

    @property
    def stands_for(self) -> str:
        """What it is one event with: its group, else itself."""
        return self.group or f"{self.kind}:{self.id}"

    def as_json(self) -> dict[str, Any]:
        """The candidate as stored with the draft (``drafts.match``) and shown for review."""
        return {
            "kind": self.kind,
            "id": self.id,
            "relation": self.relation,
            "score": self.score,
            "title": self.title,
            "evidence": self.evidence.as_json(),
        }


def country_wide(key: Key) -> bool:
    """Whether a key is a general report of a whole country, whose events may lie farther from
    the country's point than any radius says."""
    return key.level == 3 and key.dated and key.days >= GENERAL_MIN_DAYS and key.country is not None


def family(kind_of_event: str) -> str:
    """Kinds of event compared with each other: statements and warnings together."""
    return "speech" if kind_of_event in SPEECH else kind_of_event


def _weeks(start: dt.date, end: dt.date) -> range:
    return range(start.toordinal() // 7, end.toordinal() // 7 + 1)


def _cell(point: Point) -> tuple[int, int]:
    return math.floor(point[0] / CELL_DEGREES), math.floor(point[1] / CELL_DEGREES)


def _cells_within(point: Point, km: float) -> Iterator[tuple[int, int]]:
    """The grid cells that may hold a point within ``km`` of ``point``."""
    lat, _ = point
    rows = math.ceil(km / KM_PER_DEGREE / CELL_DEGREES)
    nearest_pole = min(90.0, abs(lat) + rows * CELL_DEGREES)
    stretch = max(math.cos(math.radians(nearest_pole)), 1e-6)
    columns = min(math.ceil(km / (KM_PER_DEGREE * stretch) / CELL_DEGREES), _COLUMNS // 2)
    row, column = _cell(point)
    for i in range(row - rows, row + rows + 1):
        for j in range(column - columns, column + columns + 1):
            yield i, (j + _COLUMNS // 2) % _COLUMNS - _COLUMNS // 2  # across the antimeridian


class _Bucket:
    """The keys of one kind of event and week, by grid cell, and the largest radius among them."""

    __slots__ = ("cells", "reach_km")

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[Key]] = defaultdict(list)
        self.reach_km = 0.0


class KeyIndex:
    """Keys of events and pending drafts by kind of event, week and a grid cell of a degree."""

    def __init__(self, keys: Iterable[Key] = ()) -> None:
        self._buckets: dict[tuple[str, int], _Bucket] = defaultdict(_Bucket)
        self._size = 0
        for key in keys:
            self.add(key)

    def __len__(self) -> int:
        return self._size

    def add(self, key: Key) -> None:
        if key.days > MAX_WINDOW_DAYS or key.point is None or not matchable(key):
            return
        kind, cell = family(key.type), _cell(key.point)
        for week in _weeks(key.start, key.end):
            bucket = self._buckets[(kind, week)]
            bucket.cells[cell].append(key)
            bucket.reach_km = max(bucket.reach_km, key.radius_km)
        self._size += 1

    def near(self, draft: Key) -> Iterator[Key]:
        """The keys of the draft's kind of event whose window comes within a day of its own and
        whose place may be within reach of its own (their radii and the least allowed); for a
        general report of a country, anywhere (the country is told by its code)."""
        if draft.point is None:
            return
        slack = dt.timedelta(days=SLACK_DAYS)
        kind, seen = family(draft.type), set()
        anywhere = country_wide(draft)
        for week in _weeks(draft.start - slack, draft.end + slack):
            bucket = self._buckets.get((kind, week))
            if bucket is None:
                continue
            reach = draft.radius_km + bucket.reach_km + MIN_ALLOWED_KM
            cells = (
                bucket.cells.values()
                if anywhere
                else (bucket.cells.get(c, ()) for c in _cells_within(draft.point, reach))
            )
            for cell in cells:
                for key in cell:
                    if id(key) not in seen:
                        seen.add(id(key))
                        yield key


def candidates(draft: Key, pool: KeyIndex | Iterable[Key], *, same_article: bool = False) -> list[Candidate]:
    """The events and pending drafts in ``pool`` that ``draft`` may report again or cover, best
    first: every "same" candidate (whatever its score), then the "related" ones by date.

    Drafts of the draft's own article are left out (telling its events apart is the drafting's
    job), unless ``same_article``.
    """
    if not matchable(draft):
        return []
    keys = pool.near(draft) if isinstance(pool, KeyIndex) else pool
    found = []
    for key in keys:
        if key.kind == "draft" and not same_article and _one_article(draft, key):
            continue
        verdict = compare(draft, key)
        if verdict is None or key.id is None:
            continue
        found.append(
            Candidate(
                key.kind,
                key.id,
                verdict.relation,
                verdict.score,
                verdict.evidence,
                merge_target=key.merge_target,
                duplicate_of=key.duplicate_of,
                group=key.group or (f"event:{key.id}" if key.kind == "event" else None),
                title=key.title,
                key=key,
            )
        )
    # Of candidates scoring alike, the one whose window is nearest the draft's comes first: the
    # others are then weighed against it as rivals (two windows a few days apart each overlap a
    # third, though not each other).
    found.sort(
        key=lambda c: (
            c.relation != "same",
            -c.score,
            -(0.0 if c.key is None else window_share(draft, c.key)),
            str(c.id),
        )
    )
    return found


def _one_article(a: Key, b: Key) -> bool:
    return a.article_id is not None and a.article_id == b.article_id


def best(
    found: Sequence[Candidate], *, threshold: float | None = None, margin: float | None = None
) -> Candidate | None:
    """The candidate to propose: the best "same" one at or above the threshold, unless another
    event scores within ``margin`` of it (the draft could be either: the reviewer decides)."""
    threshold = DEFAULTS.merge_threshold if threshold is None else threshold
    margin = DEFAULTS.merge_margin if margin is None else margin
    same = [c for c in found if c.relation == "same" and c.score >= threshold]
    if not same:
        return None
    top = same[0]
    rivals = [c for c in same[1:] if top.score - c.score < margin and not _one_event(top, c)]
    return None if rivals else top


def _one_event(a: Candidate, b: Candidate) -> bool:
    """Whether two candidates are already known as one event: in one group, proposed into the
    same event, or one draft found to report the other again; or two pending drafts that are
    reports of one event themselves (no rivals: queued apart, they would have been linked)."""
    if a.stands_for == b.stands_for:
        return True
    if a.kind == b.kind == "draft" and a.key is not None and b.key is not None:
        verdict = compare(a.key, b.key)
        if verdict is not None and verdict.relation == "same" and verdict.score >= DEFAULTS.merge_threshold:
            return True
    targets = {a.id if a.kind == "event" else a.merge_target, b.id if b.kind == "event" else b.merge_target}
    if None not in targets and len(targets) == 1:
        return True
    drafts = a.kind == b.kind == "draft"
    return drafts and (a.duplicate_of == b.id or b.duplicate_of == a.id)
