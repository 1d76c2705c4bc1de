"""Whether two keys report the same event, a general report and an event it covers, or neither;
with a score in [0, 1] and the evidence a reviewer is shown.

The rules, in order (each failed one ends the comparison):

- **Kind of event.** The same type; or a statement and a warning (a warning is said). Those
  need the same speaker (a shared actor other than a bare country, or a country both name
  first: two officials of one government are two speakers), as two statements do: what two
  people said is two events, and a statement is never one event with an attack.
- **General and particular.** When one place is two or more precision steps coarser (a country
  and a city or base) and its dated window longer (at least :data:`GENERAL_MIN_DAYS` days), it
  is a general report ("withdrew from four bases in the past month") of which the other, of the
  same type, inside its window and its country (or radius), may be one instance: *related*,
  never merged.
- **Dates.** The windows overlap, or lie a day apart when both are at most three days long (a
  night attack is dated to either day). A window the report only implies (``unknown``: the weeks
  before publication) overlaps as well, but weighs little.
- **Places.** The points are within the sum of their precision radii (the footprints touch:
  facility 1 km, city 10, region 75, country 250, from ``Settings.precision_radius_m``; at least
  :data:`MIN_ALLOWED_KM`), or one is a country and the other lies in it; places in different
  countries are not one place unless both are finer than a region.
- **Country-level places** match only when the rest agrees strongly: both windows dated and
  overlapping, and either at most a week long with a shared actor, or the very same window, or
  two general reports over nearly one window (:data:`SAME_WINDOW`).

The score weighs how well each part agrees (:data:`WEIGHTS`); it ranks the candidates, and the
best is proposed when it reaches ``Settings.merge_threshold`` (:func:`geodata.merge.match.best`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

from geodata.actors import is_country, shared_actors
from geodata.coords import haversine_km
from geodata.merge.keys import LEVEL, Key
from geodata.model import describe_span

Relation = Literal["same", "related"]
#: How much each part counts in the score.
WEIGHTS = {"type": 0.2, "date": 0.35, "place": 0.3, "actors": 0.15}
#: Types that may be one event reported two ways, and how well they agree.
SPEECH = frozenset({"statement", "warning"})
COMPATIBLE_TYPE_SCORE = 0.75
#: Two gazetteers' points for one base or town can lie a few kilometres apart.
MIN_ALLOWED_KM = 5.0
#: How much a place of each precision says: a country is weak evidence of one event.
PLACE_WEIGHT = {"facility": 1.0, "city": 0.95, "region": 0.8, "country": 0.55}
#: A window the report only implies (date ``unknown``) is weak evidence.
UNKNOWN_DATE_SCORE = 0.2
#: A day apart (when allowed) counts this share of an overlap.
DAY_APART_SHARE = 0.6
#: Days a window of "strong" date evidence spans at most (country-level places need it).
STRONG_DAYS = 7
#: A window this long or more, at a region or country, is a general report.
GENERAL_MIN_DAYS = 4
#: Two general reports at a country are one when their windows share this much (Jaccard).
SAME_WINDOW = 0.6


@dataclass(frozen=True)
class Evidence:
    """What agreed and by how much: shown beside the draft on the Review page."""

    agreed: tuple[str, ...]
    types: tuple[str, str]
    dates: tuple[str, str]
    days_apart: int
    places: tuple[str, str]
    distance_km: float | None
    allowed_km: float | None
    shared_actors: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}


@dataclass(frozen=True)
class Verdict:
    """The outcome of comparing a draft with one event or draft."""

    relation: Relation
    score: float
    evidence: Evidence
    parts: dict[str, float] = field(default_factory=dict)


def _type_score(a: Key, b: Key) -> float | None:
    if a.type == b.type:
        return 1.0
    return COMPATIBLE_TYPE_SCORE if {a.type, b.type} <= SPEECH else None


def _days_apart(a: Key, b: Key) -> int:
    return max(0, (a.start - b.end).days, (b.start - a.end).days)


def _vagueness(key: Key) -> float:
    days = key.days
    return 0.0 if days == 1 else 0.05 if days <= 3 else 0.15 if days <= 8 else 0.35 if days <= 31 else 0.6


def _date_score(a: Key, b: Key, apart: int) -> float | None:
    if apart > 1 or (apart == 1 and max(a.days, b.days) > 3):
        return None
    if not (a.dated and b.dated):
        return UNKNOWN_DATE_SCORE
    share = 1.0 if apart == 0 else DAY_APART_SHARE
    return share * (1.0 - max(_vagueness(a), _vagueness(b)))


def _distance(a: Key, b: Key) -> tuple[float, float] | None:
    """(distance, allowed distance) in km, or ``None`` when either place was not located."""
    if a.point is None or b.point is None:
        return None
    allowed = max(MIN_ALLOWED_KM, a.radius_km + b.radius_km)
    return haversine_km(*a.point, *b.point), allowed


def _within_country(a: Key, b: Key) -> bool:
    """Whether one place is a country and the other lies in it: a country is wider than its
    radius says (Saada is 420 km from Yemen's point)."""
    return max(a.level, b.level) == 3 and bool(a.country) and a.country == b.country


def _other_countries(a: Key, b: Key) -> bool:
    return bool(a.country and b.country and a.country != b.country)


def general_over(wide: Key, narrow: Key) -> bool:
    """Whether ``wide`` is a general report that ``narrow`` may be one instance of."""
    return (
        wide.dated
        and wide.level >= 2
        and wide.level - narrow.level >= 2
        and wide.days >= GENERAL_MIN_DAYS
        and wide.days > narrow.days
    )


def matchable(key: Key) -> bool:
    """Whether ``key`` can relate to anything under the rules above: it is placed, and it is not
    a country-level place dated only by the window before publication (a country needs both
    windows dated to match, and a general report needs its own date and a coarser place than
    the other's). Keys that cannot are left out of the pools: on a busy story they were half of
    every draft's comparisons (``python -m benchmarks ingest``)."""
    return key.point is not None and (key.dated or key.level < LEVEL["country"])


def compare(draft: Key, other: Key) -> Verdict | None:
    """How ``draft`` relates to ``other`` (an event or another draft), or ``None``. The cheap
    tests come first: most pairs an index offers fail on the date or the distance."""
    type_score = _type_score(draft, other)
    apart = _days_apart(draft, other)
    if type_score is None or apart > 1:
        return None
    measured = _distance(draft, other)
    if measured is None:
        return None
    distance, allowed = measured
    if general_over(draft, other) or general_over(other, draft):
        return _related(draft, other, apart, distance, allowed)
    date_score = _date_score(draft, other, apart)
    coarse = max(draft.level, other.level)
    placed = distance <= allowed or _within_country(draft, other)
    if date_score is None or not placed or (coarse >= 2 and _other_countries(draft, other)):
        return None
    actors = tuple(shared_actors(draft.actors, other.actors))
    if (type_score < 1.0 or draft.type in SPEECH) and not _same_speaker(draft, other, actors):
        return None  # what two people said is two events
    if coarse == 3 and not _strong(draft, other, apart, actors):
        return None
    evidence = _evidence(draft, other, apart, distance, allowed, actors)
    return _same(draft, other, evidence, type_score, date_score, min(distance / allowed, 1.0))


def _same_speaker(a: Key, b: Key, shared: tuple[str, ...]) -> bool:
    """Whether two reports of speech name one speaker: a shared actor other than a bare country
    (two officials of one government are two speakers), or one country named first by both (a
    government's statement)."""
    if any(not is_country(name.split()) for name in shared):
        return True
    return bool(a.actors and b.actors) and a.actors[0] == b.actors[0] and is_country(a.actors[0])


def _evidence(
    a: Key, b: Key, apart: int, distance: float, allowed: float, actors: tuple[str, ...]
) -> Evidence:
    return Evidence(
        agreed=(),
        types=(a.type, b.type),
        dates=(_when(a), _when(b)),
        days_apart=apart,
        places=(a.place, b.place),
        distance_km=round(distance, 1),
        allowed_km=round(allowed, 1),
        shared_actors=actors,
    )


def _when(key: Key) -> str:
    return describe_span(key.start, key.end, key.precision)


def _strong(a: Key, b: Key, apart: int, actors: tuple[str, ...]) -> bool:
    """Agreement strong enough to merge at a country's precision: both dated and overlapping,
    and short windows with a shared actor, or the very same window, or two general reports
    over nearly one window."""
    if not (a.dated and b.dated) or apart > 0:
        return False
    if actors and max(a.days, b.days) <= STRONG_DAYS:
        return True
    if (a.start, a.end) == (b.start, b.end):
        return True
    return min(a.days, b.days) >= GENERAL_MIN_DAYS and window_share(a, b) >= SAME_WINDOW


def window_share(a: Key, b: Key) -> float:
    """Days both windows cover over days either covers."""
    shared = (min(a.end, b.end) - max(a.start, b.start)).days + 1
    covered = (max(a.end, b.end) - min(a.start, b.start)).days + 1
    return max(shared, 0) / covered


def _related(a: Key, b: Key, apart: int, distance: float, allowed: float) -> Verdict | None:
    wide = a if general_over(a, b) else b
    narrow = b if wide is a else a
    if wide.level == 3 and wide.country and narrow.country:
        inside = wide.country == narrow.country  # a country is wider than its radius says
    else:
        inside = distance <= wide.radius_km + MIN_ALLOWED_KM
    if apart > 0 or not inside or a.type != b.type:
        return None
    note = "a general report and an event it may cover: related, not merged"
    actors = tuple(shared_actors(a.actors, b.actors))
    evidence = _evidence(a, b, apart, distance, allowed, actors)
    return Verdict("related", 0.0, replace(evidence, agreed=("type", "date", "place"), notes=(note,)))


def _same(a: Key, b: Key, evidence: Evidence, type_score: float, date_score: float, ratio: float) -> Verdict:
    coarse = a if a.level >= b.level else b
    place_score = PLACE_WEIGHT.get(coarse.geo_precision, 1.0) * (1.0 - 0.5 * ratio)
    # One side naming nobody is no evidence either way.
    actor_score = (1.0 if evidence.shared_actors else 0.0) if a.actors and b.actors else 0.5
    parts = {"type": type_score, "date": date_score, "place": place_score, "actors": actor_score}
    score = sum(WEIGHTS[k] * v for k, v in parts.items())
    agreed = ("type", "date", "place") + (("actors",) if evidence.shared_actors else ())
    notes = []
    if not (a.dated and b.dated):
        notes.append("one date is only the window before publication: weak evidence")
    if coarse.level == 3:
        notes.append("a country-level place: proposed because the rest agrees strongly")
    found = replace(evidence, agreed=agreed, notes=tuple(notes))
    return Verdict("same", round(score, 3), found, parts)
