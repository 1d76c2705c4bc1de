"""The gazetteer's name index: entries found by exact, loose and consonant-skeleton keys, and ranked."""

from __future__ import annotations

import gc
import itertools
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any

from geodata.gazetteer import names
from geodata.gazetteer.entry import Entry, Match


@dataclass
class Gazetteer:
    """Entries indexed by exact, loose and skeleton name keys.

    Build one from any iterable of :class:`Entry`; :func:`geodata.gazetteer.build.load_gazetteer`
    builds the shipped one.
    """

    entries: list[Entry]
    #: Adjectives of place ("Iraqi", "British") and the entry each one stands for.
    demonyms: dict[str, Entry] = field(default_factory=dict)
    #: Builds a gazetteer of small towns, asked only for a name nothing here matches exactly
    #: or loosely. It is built on first need: it costs seconds and most names never need it.
    fallback: Callable[[], Gazetteer] | None = field(default=None, repr=False)
    _fallback: Gazetteer | None = field(init=False, repr=False, default=None)
    _index: tuple[dict[str, list[int]], ...] = field(init=False, repr=False)
    _country_names: dict[str, str] = field(init=False, repr=False)
    _first_words: frozenset[str] | None = field(init=False, repr=False, default=None)
    _prefixes: frozenset[str] | None = field(init=False, repr=False, default=None)

    def __post_init__(self) -> None:
        gc_was_enabled = gc.isenabled()
        gc.disable()  # ~1M small lists: the cyclic collector would rescan them over and over
        try:
            self._build_index()
        finally:
            if gc_was_enabled:
                gc.enable()
        # Nearly a million long-lived objects: keep the collector from rescanning them on every
        # later collection (a large share of geoparsing time otherwise).
        gc.freeze()

    def _build_index(self) -> None:
        tables: tuple[dict[str, list[int]], ...] = ({}, {}, {})  # skeleton, loose, exact
        key_cache: dict[str, tuple[str, str, str]] = {}
        for idx, entry in enumerate(self.entries):
            for name in entry.all_names():
                name_keys = key_cache.get(name)
                if name_keys is None:
                    name_keys = key_cache[name] = names.keys(name)
                for table, key in zip(tables, reversed(name_keys), strict=True):
                    if not key:
                        continue
                    bucket = table.get(key)
                    if bucket is None:
                        table[key] = [idx]
                    elif bucket[-1] != idx:  # entries are visited in order: no repeats
                        bucket.append(idx)
        self._index = tables
        self._country_names = {}
        for entry in self.entries:
            if entry.kind == "country" and entry.country:
                for name in entry.all_names():
                    self._country_names[names.exact_key(name)] = entry.country

    def state(self) -> tuple[Any, ...]:
        return (self.entries, self.demonyms, self._index, self._country_names)

    @classmethod
    def from_state(
        cls, state: tuple[Any, ...], *, fallback: Callable[[], Gazetteer] | None = None
    ) -> Gazetteer:
        """A gazetteer from a saved :meth:`state`, without indexing again."""
        gazetteer = cls.__new__(cls)
        gazetteer.entries, gazetteer.demonyms, gazetteer._index, gazetteer._country_names = state
        gazetteer.fallback = fallback
        gazetteer._fallback = gazetteer._first_words = gazetteer._prefixes = None
        gc.freeze()
        return gazetteer

    def __len__(self) -> int:
        return len(self.entries)

    def country_code(self, name: str) -> str | None:
        """ISO code for a country name or code ("Iraq", "IQ", "USA"), else ``None``."""
        key = names.exact_key(name)
        if len(key) == 2 and key.upper() in {e.country for e in self.entries if e.kind == "country"}:
            return key.upper()
        return self._country_names.get(key)

    def candidates(
        self,
        query: str,
        *,
        country: str | None = None,
        region: str | None = None,
        kinds: Iterable[str] | None = None,
        limit: int = 10,
        fuzzy: bool = True,
    ) -> list[Match]:
        """Entries matching ``query`` at the strictest key level that has any, best first.

        ``country`` (ISO code) keeps only entries in that country; ``region`` favours entries
        whose first-level region matches; ``kinds`` keeps only those kinds; ``fuzzy=False``
        leaves out consonant-skeleton matches (near spellings).
        """
        wanted = set(kinds) if kinds else None
        keys = names.keys(query)
        for level, key in zip((3, 2), keys, strict=False):
            found = self._matching(self._index[level - 1], key, wanted, country)
            if found and all(
                _modest(e) or (level == 3 and e.kind == "city" and names.exact_key(e.name) != key)
                for e in found
            ):
                # Allendale, New Jersey, is as good a reading as Allendale, Michigan: when only
                # modest towns (or a modest region: Nelson, New Zealand) bear a name as their
                # own, the small towns that bear it (Nelson, British Columbia) are candidates too.
                # A big city's other name does not count: Glendale was once "Riverdale".
                small = self.small_towns()
                if small is not None:
                    found = found + small._matching(small._index[level - 1], key, wanted, country)
            if found:
                return self._ranked(found, level, query, region, limit)
        small = self.small_towns() if wanted is None or "city" in wanted else None
        if small is not None:
            matches = small.candidates(
                query, country=country, region=region, kinds=kinds, limit=limit, fuzzy=False
            )
            if matches:
                return matches
        if fuzzy:
            found = [
                e
                for e in self._matching(self._index[0], keys[2], wanted, country)
                if _close_spelling(query, e)
            ]
            if found:
                return self._ranked(found, 1, query, region, limit)
        return []

    def _matching(
        self, table: dict[str, list[int]], key: str, wanted: set[str] | None, country: str | None
    ) -> list[Entry]:
        found = [self.entries[i] for i in table.get(key, ())] if key else []
        return [
            e
            for e in found
            if (wanted is None or e.kind in wanted) and (country is None or e.country == country)
        ]

    @staticmethod
    def _ranked(found: list[Entry], level: int, query: str, region: str | None, limit: int) -> list[Match]:
        scored = [Match(e, level, _score(e, level, query, region)) for e in found]
        scored.sort(key=lambda m: m.score, reverse=True)
        return scored[:limit]

    def small_towns(self) -> Gazetteer | None:
        """The fallback gazetteer of small towns, built on first call (``None`` if there is none)."""
        if self._fallback is None and self.fallback is not None:
            self._fallback = self.fallback()
        return self._fallback

    def exact_matches(self, name: str) -> list[Entry]:
        """Entries one of whose names has the same exact key as ``name``."""
        return [self.entries[i] for i in self._index[2].get(names.exact_key(name), ())]

    def first_words(self) -> frozenset[str]:
        """The first word of every exact name key, and of every adjective of place.

        A plural-looking first word also gives its singular ("Anne's Town" starts "annes",
        but a tokeniser sees "Anne"). Built on first use.
        """
        if self._first_words is None:
            firsts = set()
            for key in itertools.chain(self._index[2], self.demonyms):
                first = key.split(" ", 1)[0]
                firsts.add(first)
                if first.endswith("s"):
                    firsts.add(first[:-1])
            self._first_words = frozenset(firsts)
        return self._first_words

    def name_prefixes(self) -> frozenset[str]:
        """Every leading run of words of every exact name key ("bank", "bank of" for "bank of
        england"), and every key itself. Built on first use."""
        if self._prefixes is None:
            prefixes = set()
            for key in itertools.chain(self._index[2], self.demonyms):
                prefixes.add(key)
                words = key.split(" ")
                for n in range(1, len(words)):
                    prefixes.add(" ".join(words[:n]))
            self._prefixes = frozenset(prefixes)
        return self._prefixes

    def demonym(self, word: str) -> Entry | None:
        """The place an adjective stands for ("Iraqi" -> Iraq), else ``None``."""
        return self.demonyms.get(names.exact_key(word))

    def lookup(self, query: str, **hints: Any) -> Entry | None:
        """The best entry for ``query`` (see :meth:`candidates`), or ``None``."""
        found = self.candidates(query, limit=1, **hints)
        return found[0].entry if found else None


#: Below this population, a town's namesakes among the small towns are candidates beside it.
SMALL_TOWNS_RIVAL_BELOW = 100_000
_NATURAL = frozenset({"ocean", "sea", "gulf", "strait", "canal", "river"})
#: What being a country's capital adds to a town's score (as much as a hundredfold population):
#: Rome, Italy over Rome, New York, though the text is about the United States.
CAPITAL_BONUS = 1.0
_KIND_BONUS = {"country": 3.0, "continent": 3.0, "region": 0.5, "city": 1.0, "site": 0.0}


def _modest(entry: Entry) -> bool:
    """A town, or a region counted by its towns, of under 100,000 people."""
    if entry.kind == "region":
        return entry.feature is None and 0 < entry.population < SMALL_TOWNS_RIVAL_BELOW
    return entry.kind == "city" and entry.population < SMALL_TOWNS_RIVAL_BELOW


def _close_spelling(query: str, entry: Entry) -> bool:
    """A consonant-skeleton match counts only for a long enough name spelt nearly the same.

    "Irbil" and "Erbil" pass; "Russian" and "Ulsan", or "Europe" and "Aleppo", do not.
    """
    loose = names.loose_key(query)
    if len(loose.replace(" ", "")) < 4:
        return False
    matcher = SequenceMatcher(None, b=loose)
    for name in entry.all_names():
        other = _ascii_loose_key(name)
        if other and abs(len(other) - len(loose)) <= 3:
            matcher.set_seq1(other)
            # The cheap upper bounds first, as difflib.get_close_matches does.
            if matcher.real_quick_ratio() >= 0.8 and matcher.quick_ratio() >= 0.8 and matcher.ratio() >= 0.8:
                return True
    return False


@lru_cache(maxsize=262_144)
def _ascii_loose_key(name: str) -> str:
    """The loose key of a name spelt in ASCII, else "" (big cities have hundreds of names)."""
    key = names.loose_key(name)
    return key if key.isascii() else ""


def _score(entry: Entry, level: int, query: str, region: str | None) -> float:
    score = level * 10.0 + _KIND_BONUS[entry.kind]
    if entry.kind == "site":
        # A site wins when the query names a facility ("... base"), else a town of that name does.
        score += 6.0 if names.has_facility_word(query) else 2.0
    elif entry.kind == "region" and names.has_region_word(query):
        score += 6.0
    elif entry.feature in _NATURAL and level == 3:
        score += 3.0  # the Red Sea is the sea before it is Sudan's Red Sea state
    score += math.log10(entry.population + 1) / 2
    if entry.capital:
        score += CAPITAL_BONUS
    if region and entry.admin1 and names.loose_key(region) == names.loose_key(entry.admin1):
        score += 5.0
    return score
