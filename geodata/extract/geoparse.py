"""Find place names in text and resolve them to coordinates, using the document as context.

Resolution ranks each name's gazetteer candidates by how well the name matches, the kind of
place (countries and continents first), population, and two document priors: the countries
the text is about (from its unambiguous names and adjectives of place) and nearness to the
other places it names. Recognition finds capitalised runs of words the gazetteer knows.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from geodata import names
from geodata.coords import haversine_km
from geodata.gazetteer import Entry, Gazetteer, Match

#: Capitalised words that name no place in running text (at a sentence start or as titles).
NOT_PLACES = frozenset("""
a an the this that these those it its he she they we i you his her their our my your
mr mrs ms dr prof president minister gen general sen senator rep governor mayor king queen
prince lord sir st saint
monday tuesday wednesday thursday friday saturday sunday january february march april may june
july august september october november december
but and or if when while after before during since as at on in of for to from by with without
said says say according however also more most many some all no not yes one two three
police army government ministry department news reuters associated press afp ap bbc cnn
north south east west northern southern eastern western central new
""".split())
_WORD = re.compile(r"[^\W\d_][\w'’.\-]*", re.UNICODE)
_JOINERS = frozenset({"of", "de", "del", "da", "do", "du", "la", "le", "al", "el", "and", "upon", "on",
                      "the", "-"})
MAX_WORDS = 5
_LOCAL = ("city", "site", "region")


@dataclass(frozen=True)
class Toponym:
    """A place name found in a text, and where it was resolved to (if anywhere)."""

    start: int
    end: int
    name: str
    entry: Entry | None

    @property
    def latlon(self) -> tuple[float, float] | None:
        return (self.entry.lat, self.entry.lon) if self.entry else None


@dataclass(frozen=True)
class _Choice:
    entry: Entry
    prior: float


class Geoparser:
    """Recognise and resolve toponyms with one gazetteer."""

    def __init__(self, gazetteer: Gazetteer, *, include_demonyms: bool = True, candidates: int = 12,
                 cache_size: int = 65_536) -> None:
        self.gazetteer = gazetteer
        self.include_demonyms = include_demonyms
        self.limit = candidates
        self._candidates = lru_cache(maxsize=cache_size)(self._uncached_candidates)
        self._known_key = lru_cache(maxsize=cache_size)(self._uncached_known)

    # --- resolution -----------------------------------------------------------------------

    def _uncached_candidates(self, name: str) -> tuple[_Choice, ...]:
        matches: list[Match] = self.gazetteer.candidates(name, limit=self.limit)
        key = names.exact_key(name)
        choices = []
        for m in matches:
            prior = m.score
            if m.entry.kind in ("country", "continent") and names.exact_key(m.entry.name) == key:
                prior += 3.0  # "Mexico" is the country, not Mexico City's other name
            choices.append(_Choice(m.entry, prior))
        choices.sort(key=lambda c: c.prior, reverse=True)
        demonym = self.gazetteer.demonym(name)
        if demonym is not None and not any(m.level == 3 for m in matches):
            choices.insert(0, _Choice(demonym, 40.0))
        return tuple(choices)

    def resolve(self, text: str, spans: list[tuple[int, int]]) -> list[Toponym]:
        """Resolve given spans of ``text`` (resolution with gold spans)."""
        options = [self._candidates(text[s:e]) for s, e in spans]
        chosen = self._disambiguate(options)
        return [Toponym(s, e, text[s:e], entry) for (s, e), entry in zip(spans, chosen, strict=True)]

    def _disambiguate(self, options: list[tuple[_Choice, ...]]) -> list[Entry | None]:
        best: list[Entry | None] = [o[0].entry if o else None for o in options]
        countries = self._country_weights(options)
        for _ in range(2):
            anchors = [(j, e) for j, e in enumerate(best) if e is not None and e.kind in _LOCAL]
            best = [
                max(choices, key=lambda c: self._score(c, countries, [a for j, a in anchors if j != i])).entry
                if choices else None
                for i, choices in enumerate(options)
            ]
        return best

    @staticmethod
    def _country_weights(options: list[tuple[_Choice, ...]]) -> dict[str, float]:
        """How much the text is about each country: its sure names count most."""
        weights: dict[str, float] = {}
        for choices in options:
            if not choices:
                continue
            top = choices[0]
            margin = top.prior - choices[1].prior if len(choices) > 1 else 10.0
            certainty = 1.0 if margin >= 3 or top.entry.kind == "country" else 0.4
            if top.entry.country:
                weights[top.entry.country] = weights.get(top.entry.country, 0.0) + certainty
        total = sum(weights.values()) or 1.0
        return {code: w / total for code, w in weights.items()}

    @staticmethod
    def _score(choice: _Choice, countries: dict[str, float], anchors: list[Entry]) -> float:
        entry = choice.entry
        score = choice.prior + 8.0 * countries.get(entry.country or "", 0.0)
        if entry.kind in _LOCAL and anchors:
            near = sum(1 for a in anchors if abs(a.lat - entry.lat) < 4.0
                       and haversine_km(entry.lat, entry.lon, a.lat, a.lon) < 400)
            score += 2.0 * math.log1p(near)
        return score

    # --- recognition ----------------------------------------------------------------------

    def find(self, text: str) -> list[tuple[int, int]]:
        """Spans of place names in ``text``: longest known capitalised runs of up to five words."""
        words = [(m.start(), m.end(), m.group().rstrip(".'’-")) for m in _WORD.finditer(text)]
        lowered = {w.casefold() for _, _, w in words if w[:1].islower()}
        spans: list[tuple[int, int]] = []
        i = 0
        while i < len(words):
            start, _, word = words[i]
            if not word[:1].isupper():
                i += 1
                continue
            found = None
            for j in range(min(len(words), i + MAX_WORDS) - 1, i - 1, -1):
                last = words[j][2]
                if not last[:1].isupper():
                    continue
                if any(not w[:1].isupper() and w.casefold() not in _JOINERS for _, _, w in words[i:j + 1]):
                    continue
                end = words[i][0] + len(text[words[i][0]:words[j][0]]) + len(last)
                name = text[start:end]
                if self._known(name, single=(i == j), lowered=lowered):
                    found = (start, end, j)
                    break
            if found:
                spans.append(found[:2])
                i = found[2] + 1
            else:
                i += 1
        return spans

    def _known(self, name: str, *, single: bool, lowered: set[str]) -> bool:
        key = names.exact_key(name)
        if single and key in lowered:  # "Police" when the text also says "police"
            return False
        return self._known_key(key)

    def _uncached_known(self, key: str) -> bool:
        if not key or key in NOT_PLACES:
            return False
        if self.include_demonyms and self.gazetteer.demonym(key) is not None:
            return True
        return any(e.kind != "city" or e.population >= 1000 for e in self.gazetteer.exact_matches(key))

    def parse(self, text: str) -> list[Toponym]:
        """Find and resolve the place names of ``text`` (end to end)."""
        return self.resolve(text, self.find(text))
