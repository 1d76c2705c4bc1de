"""Choosing among a place name's gazetteer readings: what is known of each reading, and the
two rankers that score them.

Each reading of a mention is described by the same features: how the name matches (the
gazetteer's score and the geoparser's preferences), the kind of place and its population,
what the text says of it (the countries it is about, the other places near it, the cues of
kind words, qualifiers and lists), and what the document as a whole says: the first-level
regions its places fall in, the regions it names, and its dateline ("SPRINGFIELD, Ill. —").

:class:`HandRanker` adds the features up with weights set by hand; :class:`LearnedRanker`
scores them with a LightGBM LambdaRank model trained on public corpora by
``python -m benchmarks ranker --train`` (the model file is ``geodata/data/ranker.txt``).
"""

from __future__ import annotations

import functools
import math
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from geodata.coords import haversine_km
from geodata.errors import GeodataError
from geodata.gazetteer import Entry
from geodata.settings import DEFAULTS

if TYPE_CHECKING:
    from lightgbm import Booster

_KINDS = ("site", "city", "region", "country", "continent")
_LOCAL = ("city", "site", "region")
#: What the ranker knows of a reading, in the order of a row of the feature matrix.
FEATURES = (
    "prior",  # the gazetteer's match score and the geoparser's preferences
    "raw",  # the gazetteer's match score alone
    "prior_gap",  # prior less the best prior of the mention's readings
    "rank",  # position among the readings, by prior
    "readings",  # how many readings the mention has
    *(f"kind_{kind}" for kind in _KINDS),
    "log_population",
    "population_gap",  # log population less the mention's most populous reading's
    "capital",
    "demonym",  # the reading of an adjective of place ("Iraqi")
    "exact_name",  # the reading's own name is the name written
    "named_kind",  # the name says what kind of place the reading is ("Red Sea", "Tigris River")
    "country_share",  # how much of the text is about the reading's country
    "near",  # log(1 + the text's other places within 400 km)
    "cue",  # kind words, qualifiers, a country named in the sentence
    "list_cue",  # likeness to the other items of its list
    "region_share",  # share of the text's other places in the reading's first-level region
    "region_named",  # the text names the first-level region the reading lies in
    "dateline_region",  # in the first-level region of the dateline's place
    "dateline_country",  # in the country of the dateline's place
    "log_km_dateline",  # log(1 + km) to the dateline's place, -1 without one
    "log_km_centre",  # log(1 + km) to the middle of the text's other places, -1 without any
    "places",  # log(1 + how many places the text names)
    "log_km_county",  # log(1 + km) to the nearest second-level region the text names, -1 if none
    "home_region",  # in the first-level region of the publisher's home (from its web address)
    "home_country",  # in the publisher's home country
    "log_km_home",  # log(1 + km) to the publisher's home, -1 without one
    "hand",  # the hand weights' score (see HandRanker)
    "hand_gap",  # that score less the best of the mention's readings
)
_COLUMN = {name: k for k, name in enumerate(FEATURES)}
_KIND = _COLUMN["kind_site"]
_POPULATION = _COLUMN["log_population"]
_COUNTRY = _COLUMN["country_share"]
_NEAR = _COLUMN["near"]
_CUE = _COLUMN["cue"]
_LIST = _COLUMN["list_cue"]
_HAND = _COLUMN["hand"]

#: A dateline: the first name at the start of a line, then an optional state or country
#: ("SPRINGFIELD, Ill.", "KYIV, Ukraine"), an optional agency in brackets, and a dash.
_DATELINE_TAIL = re.compile(
    r"(?:,[ \t]*[A-Z][\w.]*(?:[ \t][A-Z][\w.]*)?)?[ \t]*(?:\([^()\n]{1,40}\)[ \t]*)?[—–-]"
)
_DATELINE_REACH = 300


class Reading(Protocol):
    @property
    def entry(self) -> Entry: ...
    @property
    def prior(self) -> float: ...
    @property
    def raw(self) -> float: ...
    @property
    def demonym(self) -> bool: ...


def dateline_mention(text: str, spans: Sequence[tuple[int, int]]) -> int | None:
    """The index of the span that is the text's dateline place, if the text opens with one."""
    for k, (start, end) in enumerate(spans):
        if start > _DATELINE_REACH:
            return None
        line_start = start == 0 or text[start - 1] == "\n" or not text[:start].strip()
        if line_start and _DATELINE_TAIL.match(text, end):
            return k
    return None


#: Parts of a web address that say nothing of where its publisher is.
_NO_PLACE = frozenset({"www", "m", "mobile", "amp", "en", "news", "com", "org", "net", "co", "gov", "edu"})
_LETTERS = re.compile(r"[a-z]+")


def host_of(url: str | None) -> str:
    """The host of a web address, in lower case ("" for none)."""
    if not url or len(url) > 2_000:
        return ""
    return re.sub(r"^[a-z][a-z0-9+.-]*://", "", url.strip().lower()).split("/", 1)[0].split(":", 1)[0]


def home_names(url: str | None) -> list[str]:
    """Names the publisher's home may go by, read from the host of its web address: the longest
    beginnings (5 letters or more) of each part of the host, longest first ("bangordailynews.com"
    gives "bangordailynews", "bangordailynew", ... "bangor", "bango"). A place named in the
    host is usually where the paper is: the Chicago Tribune, the Bangor Daily News."""
    found: list[str] = []
    for part in host_of(url).split(".")[:-1]:  # not the top-level domain
        for word in _LETTERS.findall(part):
            if word not in _NO_PLACE:
                found += [word[:end] for end in range(min(len(word), 30), 4, -1)]
    return sorted(found, key=len, reverse=True)


def region_key(entry: Entry) -> tuple[str, str] | None:
    """The first-level region a place lies in (or is), as (country, admin-1 code)."""
    if entry.country is None:
        return None
    if entry.kind == "region":
        return (entry.country, entry.code or entry.name)
    if entry.kind in ("city", "site") and entry.admin1:
        return (entry.country, entry.admin1)
    return None


def static_rows(readings: tuple[Reading, ...], key: str) -> np.ndarray:
    """Rows for ``readings`` of the name whose key is ``key``, with the columns that depend on
    the name alone filled in (the rest are filled per text by :func:`dynamic_columns`)."""
    from geodata.gazetteer import names

    rows = np.zeros((len(readings), len(FEATURES)))
    top = max(r.prior for r in readings)
    populations = [math.log10(1 + r.entry.population) for r in readings]
    most = max(populations)
    said = set(key.split())
    for k, reading in enumerate(readings):
        entry = reading.entry
        row = rows[k]
        row[0:5] = (reading.prior, reading.raw, reading.prior - top, k, len(readings))
        row[_KIND + _KINDS.index(entry.kind)] = 1.0
        row[_POPULATION : _POPULATION + 6] = (
            populations[k],
            populations[k] - most,
            entry.capital,
            reading.demonym,
            names.exact_key(entry.name) == key,
            bool(entry.feature and said.intersection(entry.feature.split())),
        )
    return rows


@dataclass
class Context:
    """What one reading of a text's mentions says about each reading: built once per round."""

    best: Sequence[Entry | None]
    dateline: int | None
    home: Entry | None = None

    def __post_init__(self) -> None:
        local = [e for e in self.best if e is not None and e.kind in _LOCAL]
        self.regions = Counter(key for e in local if (key := region_key(e)) is not None)
        self.total = len(local)
        self.named = Counter(
            key for e in self.best if e is not None and e.kind == "region" and (key := region_key(e))
        )
        self.places = math.log1p(len({e.id for e in self.best if e is not None}))
        self._lats = sorted(e.lat for e in local)
        self._lons = sorted(e.lon for e in local)
        self._local = {e.id for e in local}
        self._centres: dict[str | None, tuple[float, float] | None] = {}
        self.line = self.best[self.dateline] if self.dateline is not None else None
        self.counties = {e.id: e for e in self.best if e is not None and e.id.startswith("admin2:")}

    def centre(self, own: Entry | None) -> tuple[float, float] | None:
        """The middle (median) of the text's local places other than ``own``."""
        key = own.id if own is not None else None
        if key not in self._centres:
            if own is not None and key in self._local:
                lat, lon = _median_without(self._lats, own.lat), _median_without(self._lons, own.lon)
            else:
                lat, lon = _median_without(self._lats, None), _median_without(self._lons, None)
            self._centres[key] = (lat, lon) if lat is not None and lon is not None else None
        return self._centres[key]


def _median_without(values: list[float], drop: float | None) -> float | None:
    """The median of sorted ``values`` less one instance of ``drop`` (in constant time)."""
    count = len(values) - (drop is not None)
    if count <= 0:
        return None
    skip = bisect_left(values, drop) if drop is not None else count

    def at(k: int) -> float:
        return values[k + (k >= skip)]

    middle = count // 2
    return at(middle) if count % 2 else (at(middle - 1) + at(middle)) / 2


def dynamic_columns(
    rows: np.ndarray,
    readings: Sequence[Reading],
    mention: int,
    context: Context,
    *,
    countries: dict[str, float],
    near: Sequence[int],
    cue: dict[str, float],
    listed: dict[str, float],
) -> None:
    """Fill in ``rows``' columns that depend on the text, for mention number ``mention``."""
    own = context.best[mention]
    own_key = region_key(own) if own is not None and own.kind in _LOCAL else None
    total = context.total - (own_key is not None or (own is not None and own.kind in _LOCAL))
    own_named = region_key(own) if own is not None and own.kind == "region" else None
    centre = context.centre(own)
    line = context.line if context.dateline != mention else None
    line_key = region_key(line) if line is not None else None
    named, regions, places = context.named, context.regions, context.places
    home = context.home
    home_key = region_key(home) if home is not None else None
    values = []
    for k, reading in enumerate(readings):
        entry = reading.entry
        key = region_key(entry)
        fixed = cue.get(entry.id, 0.0)
        dateline, local = _beside(entry, key, line, line_key), _beside(entry, key, home, home_key)
        values.append(
            (
                countries.get(entry.country or "", 0.0),
                math.log1p(near[k]),
                fixed,
                listed.get(entry.id, 0.0) - fixed,
                (regions[key] - (key == own_key)) / total if key is not None and total > 0 else 0.0,
                float(key is not None and named[key] - (key == own_named) > 0),
                *dateline,
                math.log1p(haversine_km(entry.lat, entry.lon, *centre)) if centre is not None else -1.0,
                places,
                _km_to_county(entry, context, own),
                *local,
            )
        )
    rows[:, _COUNTRY:_HAND] = values


def _km_to_county(entry: Entry, context: Context, own: Entry | None) -> float:
    """log(1 + km) from ``entry`` to the nearest second-level region (county) the text names,
    other than the mention's own reading; -1 when it names none."""
    counties = [c for key, c in context.counties.items() if own is None or key != own.id]
    if not counties:
        return -1.0
    return math.log1p(min(haversine_km(entry.lat, entry.lon, c.lat, c.lon) for c in counties))


def _beside(
    entry: Entry, key: tuple[str, str] | None, anchor: Entry | None, anchor_key: tuple[str, str] | None
) -> tuple[float, float, float]:
    """Whether ``entry`` lies in the first-level region and the country of ``anchor`` (the
    dateline's place, the publisher's home), and log(1 + km) to it; (0, 0, -1) without one."""
    if anchor is None:
        return (0.0, 0.0, -1.0)
    return (
        float(key is not None and key == anchor_key),
        float(entry.country is not None and entry.country == anchor.country),
        math.log1p(haversine_km(entry.lat, entry.lon, anchor.lat, anchor.lon)),
    )


def add_hand_scores(rows: np.ndarray, sizes: Sequence[int]) -> None:
    """Fill in the hand weights' score and its gap to the best of each mention's readings, for
    ``rows`` holding the readings of mentions of ``sizes`` readings each, one after another."""
    hand = HandRanker.score_rows(rows)
    rows[:, _HAND] = hand
    starts = np.cumsum([0, *sizes[:-1]])
    rows[:, _HAND + 1] = hand - np.repeat(np.maximum.reduceat(hand, starts), sizes)


#: The learned model corrects the hand weights' score, times this: it starts from what the
#: hand weights say, so where the training corpora teach nothing (a lone "Red Sea") they decide.
BASE = 1.0


class Ranker(Protocol):
    """Scores a mention's readings from their feature rows: the highest is chosen."""

    def scores(self, rows: np.ndarray) -> np.ndarray: ...


class HandRanker:
    """The weights set by hand: the prior, 8 times the text's share of the reading's country,
    2 times log(1 + nearby places) for a local place, and the cues."""

    def scores(self, rows: np.ndarray) -> np.ndarray:
        return rows[:, _HAND]

    @staticmethod
    def score_rows(rows: np.ndarray) -> np.ndarray:
        """The hand weights' score of each row (filled in as the feature "hand")."""
        local = rows[:, _KIND : _KIND + 3].sum(axis=1)  # a site, a city or a region
        return (
            rows[:, 0]
            + 8.0 * rows[:, _COUNTRY]
            + 2.0 * local * rows[:, _NEAR]
            + rows[:, _CUE]
            + rows[:, _LIST]
        )


class LearnedRanker:
    """A LightGBM model's scores (higher is likelier right)."""

    def __init__(self, booster: Booster) -> None:
        names = booster.feature_name()
        if list(names) != list(FEATURES):
            raise GeodataError(
                f"the ranker model's features {names!r} are not this version's {list(FEATURES)!r}; "
                "rebuild it with 'python -m benchmarks ranker --train'"
            )
        self.booster = booster

    def scores(self, rows: np.ndarray) -> np.ndarray:
        return BASE * rows[:, _HAND] + np.asarray(self.booster.predict(rows, num_threads=1))


@functools.lru_cache(maxsize=4)
def load_ranker(path: Path = DEFAULTS.ranker_file) -> LearnedRanker:
    """The learned ranker saved at ``path`` (read once per process)."""
    import lightgbm

    try:
        text = path.read_text(encoding="utf-8")
        return LearnedRanker(lightgbm.Booster(model_str=text))
    except (OSError, UnicodeDecodeError, lightgbm.basic.LightGBMError) as err:
        raise GeodataError(
            f"{path}: cannot read the place ranker's model ({err}); "
            "rebuild it with 'python -m benchmarks ranker --train'"
        ) from err


HAND = HandRanker()
