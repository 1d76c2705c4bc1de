"""Drafts scored against the dev set's gold events: matching, counts per report, merge pairs.

A draft matches a gold event of its report when it has the same type, its date interval overlaps
the gold interval (a draft dated ``unknown`` matches no date), and one of its points (its place,
or where a statement was said) lies within max(25 km, the draft's precision radius, the gold
point's spread) of one of the gold event's points (its place, other places, or where it was
said). A draft matches at most one gold event: the nearest, relative to the allowed distance,
then the one whose interval the draft's fits best, taking first the gold events no better draft
has matched. A gold event may be matched by several drafts.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Protocol

from benchmarks.goldset import SALIENCES, DevSet, GoldEvent, Mention
from geodata.coords import haversine_km
from geodata.model import DateSpan, Event, Place
from geodata.settings import DEFAULTS

#: Nearer than this, a draft's place is right whatever its precision.
MIN_RADIUS_KM = 25.0
#: The report whose drafts are checked against issue 13's targets, and the seven events it supports.
FOUNDING = "01-thenational-air-defences-iraq"
#: Each with whether the article dates it ("last week", "on Thursday"); only the undated ones
#: may be drafted with an ``unknown`` date.
FOUNDING_EVENTS = {
    "patriot-ain-al-asad-2020-03": True,
    "patriot-erbil-2020-03": False,
    "handover-mosul-2020-03-30": True,
    "coalition-leaves-four-bases-2020-03": True,
    "attacks-on-coalition-bases-2020-03": False,
    "trump-warns-iran-2020-04-01": True,
    "centcom-air-defence-statement-2020-04-02": True,
}
FOUNDING_MAX_DRAFTS = 10

Locate = Callable[[Place], "tuple[float, float] | None"]
#: Whether two drafts (from different reports) were linked as one event by the merging.
Linked = Callable[["HasEvent", "HasEvent"], bool]


class HasEvent(Protocol):
    """A draft: anything with an ``event`` (geodata's Draft, or the new drafting's)."""

    @property
    def event(self) -> Event: ...


def never_linked(a: HasEvent, b: HasEvent) -> bool:
    """The merging of today: every report's drafts stay apart."""
    return False


_WORDS = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Match:
    gold: GoldEvent
    mention: Mention
    #: Distance over the allowed distance (0 is on the point, 1 at the limit).
    ratio: float
    #: How much of the mention's passages the draft quotes (:func:`quoted`).
    quoted: float = 0.0


def draft_points(event: Event, locate: Locate) -> list[tuple[float, float, float]]:
    """(lat, lon, precision radius in km) of the draft's place and of where it was said."""
    points = []
    for place in (event.place, event.said_at):
        if place is None:
            continue
        found = locate(place)
        if found is not None:
            points.append((found[0], found[1], DEFAULTS.precision_radius_m[place.geo_precision] / 1000))
    return points


def _ratio(points: list[tuple[float, float, float]], gold: GoldEvent) -> float | None:
    best = None
    for lat, lon, radius in points:
        for target in gold.points():
            allowed = max(MIN_RADIUS_KM, radius, target.radius_km)
            ratio = haversine_km(lat, lon, target.lat, target.lon) / allowed
            if ratio <= 1 and (best is None or ratio < best):
                best = ratio
    return best


def candidates(
    event: Event,
    gold: Iterable[tuple[GoldEvent, Mention]],
    locate: Locate,
    *,
    unknown_dates_match: bool = False,
) -> list[Match]:
    """The gold events (of the draft's report) the draft could match, best first."""
    if event.date.precision == "unknown" and not unknown_dates_match:
        return []
    points = draft_points(event, locate)
    found = []
    for gold_event, mention in gold:
        if gold_event.type != event.type or not event.date.overlaps(gold_event.start, gold_event.end):
            continue
        ratio = _ratio(points, gold_event)
        if ratio is not None:
            found.append(Match(gold_event, mention, ratio, quoted(event, mention)))
    return sorted(found, key=lambda m: _rank(event, m))


def quoted(event: Event, mention: Mention) -> float:
    """How much of a gold mention's passages the draft quotes (0 to 1, in tenths): of two gold
    events a draft fits by type, date and place, it is the one whose sentences it was drafted
    from (two statements of one day and town by different speakers, two attacks of one day)."""
    wanted = set(_WORDS.findall(" ".join(mention.passages).lower()))
    got = set(_WORDS.findall(event.source.quote.lower()))
    return round(len(wanted & got) / len(wanted), 1) if wanted else 0.0


def _rank(event: Event, match: Match) -> tuple[float, float, float]:
    """Best first: the gold event whose mention the draft quotes most, then the nearest, then
    the one whose interval fits its date best."""
    return (-match.quoted, match.ratio, -_jaccard(event.date, match.gold))


def match_draft(
    event: Event,
    gold: Iterable[tuple[GoldEvent, Mention]],
    locate: Locate,
    *,
    unknown_dates_match: bool = False,
) -> Match | None:
    """The gold event (of the draft's report) a lone draft matches best, else ``None``."""
    found = candidates(event, gold, locate, unknown_dates_match=unknown_dates_match)
    return found[0] if found else None


def _jaccard(date: DateSpan, gold: GoldEvent) -> float:
    """Days shared over days covered by either interval: which of two gold events a date fits."""
    shared = (min(date.end, gold.end) - max(date.start, gold.start)).days + 1
    covered = (max(date.end, gold.end) - min(date.start, gold.start)).days + 1
    return max(shared, 0) / covered


@dataclass
class ReportScore:
    """How one report's drafts fare against its gold events."""

    name: str
    drafts: int = 0
    #: (index of the draft, what it matched) for the drafts that match a gold event.
    matches: list[tuple[int, Match]] = field(default_factory=list)
    #: The report's gold events by salience.
    gold: dict[str, set[str]] = field(default_factory=lambda: {s: set() for s in SALIENCES})

    @property
    def found(self) -> set[str]:
        return {m.gold.id for _, m in self.matches}

    def counts(self, saliences: Sequence[str] = ("main", "secondary")) -> tuple[int, int]:
        """(gold events of these saliences found, gold events of these saliences)."""
        wanted = set().union(*(self.gold[s] for s in saliences))
        return len(wanted & self.found), len(wanted)


def score_report(
    name: str,
    drafts: Sequence[HasEvent],
    devset: DevSet,
    locate: Locate,
    *,
    unknown_dates_match: bool = False,
) -> ReportScore:
    """Match each draft of a report against that report's gold events."""
    gold = devset.gold_for(name)
    score = ReportScore(name=name, drafts=len(drafts))
    for gold_event, mention in gold:
        score.gold[mention.salience].add(gold_event.id)
    options = [candidates(d.event, gold, locate, unknown_dates_match=unknown_dates_match) for d in drafts]
    # Best pairs first (the mention the draft quotes, then the nearest), each gold event to one
    # draft: two statements of the same day and place by different speakers are told apart by
    # the sentences they were drafted from, not by the order of the drafts.
    taken: dict[int, Match] = {}
    claimed: set[str] = set()
    pairs = [(*_rank(drafts[i].event, m), i, m) for i, found in enumerate(options) for m in found]
    for *_, index, match in sorted(pairs, key=lambda p: p[:4]):
        if index not in taken and match.gold.id not in claimed:
            taken[index] = match
            claimed.add(match.gold.id)
    for index, found in enumerate(options):  # the rest: further drafts of an event already matched
        if index not in taken and found:
            taken[index] = found[0]
    score.matches = sorted(taken.items(), key=lambda item: item[0])
    return score


@dataclass(frozen=True)
class Totals:
    reports: int
    drafts: int
    gold: int
    found: int
    matching_drafts: int
    matched_events: int

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def precision(self) -> float:
        return self.matching_drafts / self.drafts if self.drafts else 0.0

    @property
    def drafts_per_matched(self) -> float:
        return self.matching_drafts / self.matched_events if self.matched_events else 0.0


def totals(scores: Sequence[ReportScore], saliences: Sequence[str] = ("main", "secondary")) -> Totals:
    """Sums over the reports: recall is over the gold events of ``saliences``, precision over all."""
    found = gold = 0
    for score in scores:
        f, g = score.counts(saliences)
        found, gold = found + f, gold + g
    return Totals(
        reports=len(scores),
        drafts=sum(s.drafts for s in scores),
        gold=gold,
        found=found,
        matching_drafts=sum(len(s.matches) for s in scores),
        matched_events=sum(len(s.found) for s in scores),
    )


@dataclass(frozen=True)
class FoundingRow:
    event_id: str
    found: bool
    why: str


def founding_check(drafts: Sequence[HasEvent], devset: DevSet, locate: Locate) -> list[FoundingRow]:
    """Issue 13's check of the founding article: each of its seven events drafted with the right
    type, a place within 25 km of the real one (Iraq, the country, for the unplaced ones) and a
    date interval that contains the real interval; a date ``unknown`` counts only for the events
    the article gives no date for."""
    events = {e.id: e for e in devset.events}
    rows = []
    for event_id, article_dates_it in FOUNDING_EVENTS.items():
        gold = events[event_id]
        typed = [d.event for d in drafts if d.event.type == gold.type]
        placed = [e for e in typed if _within(e, gold, locate, MIN_RADIUS_KM)]
        dated = [
            e
            for e in placed
            if e.date.start <= gold.start
            and gold.end <= e.date.end
            and not (article_dates_it and e.date.precision == "unknown")
        ]
        why = (
            f"{len(dated)} draft(s)"
            if dated
            else "no draft of this type"
            if not typed
            else f"{len(typed)} of this type, none within {MIN_RADIUS_KM:.0f} km"
            if not placed
            else f"{len(placed)} placed, none dated {_span(gold.start, gold.end)} or wider"
            + (" ('unknown' does not count: the article dates it)" if article_dates_it else "")
        )
        rows.append(FoundingRow(event_id, bool(dated), why))
    return rows


def _within(event: Event, gold: GoldEvent, locate: Locate, km: float) -> bool:
    located = locate(event.place)
    return located is not None and haversine_km(*located, gold.place.lat, gold.place.lon) <= km


def _span(start: dt.date, end: dt.date) -> str:
    return start.isoformat() if start == end else f"{start.isoformat()}..{end.isoformat()}"


@dataclass(frozen=True)
class MergeScore:
    """Pairs of matched drafts from different reports: same gold event (should be linked) or not."""

    same: int
    same_linked: int
    different: int
    different_linked: int

    @property
    def recall(self) -> float:
        return self.same_linked / self.same if self.same else 0.0

    @property
    def precision(self) -> float:
        linked = self.same_linked + self.different_linked
        return self.same_linked / linked if linked else 0.0

    @property
    def wrong_share(self) -> float:
        """Wrong merges among all links made."""
        linked = self.same_linked + self.different_linked
        return self.different_linked / linked if linked else 0.0


def merge_score(matched: Sequence[tuple[str, HasEvent, str]], linked: Linked = never_linked) -> MergeScore:
    """Score ``linked`` over every pair of (report, draft, gold id) from two different reports.

    Drafts that match no gold event are left out: whether linking them is right is not known.
    """
    same = same_linked = different = different_linked = 0
    for (report_a, draft_a, gold_a), (report_b, draft_b, gold_b) in combinations(matched, 2):
        if report_a == report_b:
            continue
        link = linked(draft_a, draft_b)
        if gold_a == gold_b:
            same, same_linked = same + 1, same_linked + link
        else:
            different, different_linked = different + 1, different_linked + link
    return MergeScore(same, same_linked, different, different_linked)
