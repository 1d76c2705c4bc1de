"""Find place names in text and resolve them to coordinates, using the document as context.

Resolution ranks each name's gazetteer candidates by how well the name matches, the kind of
place (countries and continents first), population, and two document priors: the countries
the text is about (from its unambiguous names and adjectives of place) and nearness to the
other places it names; and what the words between names say (``cues``). Recognition
(``recognise``) finds capitalised runs of words the gazetteer knows. A text longer than a
window (``windows``) is read window by window.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from geodata.coords import haversine_km
from geodata.extract.cues import (
    Cues,
    add_sentence_countries,
    fixed_bonuses,
    list_groups,
    read_cues,
    with_list_bonuses,
)
from geodata.extract.language import ForeignNames, french_facilities, skeleton
from geodata.extract.ranking import (
    FEATURES,
    Context,
    Ranker,
    add_hand_scores,
    dateline_mention,
    dynamic_columns,
    home_names,
    host_of,
    load_ranker,
    static_rows,
)
from geodata.extract.recognise import MAX_WORDS, Recogniser
from geodata.extract.windows import WINDOW_CHARS, windows
from geodata.gazetteer import Entry, Gazetteer, Match, names
from geodata.settings import DEFAULTS

_LOCAL = ("city", "site", "region")
DEMONYM_YIELDS_TO_CITY = 100_000
MAX_ANCHORS = 60  # nearby places beyond these add little and cost a distance each
_NAME_WORD = re.compile(r"[^\W\d_][\w.'’\-]*")
#: Words for a kind of landform: inside a longer name ("Danube Delta", "Fraser Valley") they
#: say what part of the named place is meant, and are no place of their own (Delta, British
#: Columbia).
_LANDFORM_WORDS = frozenset(
    {
        "delta",
        "valley",
        "basin",
        "mountains",
        "mountain",
        "hills",
        "plateau",
        "plain",
        "plains",
        "desert",
        "coast",
        "lake",
        "bay",
        "peninsula",
        "island",
        "islands",
        "river",
        "creek",
        "gorge",
    }
)


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
class Rows:
    """A mention's readings and their feature rows (see :mod:`geodata.extract.ranking`), as
    one round of choosing saw them."""

    span: tuple[int, int]
    entries: tuple[Entry, ...]
    rows: np.ndarray
    round: int
    mention: int


@dataclass(frozen=True)
class _Choice:
    entry: Entry
    prior: float
    raw: float = 0.0  # the gazetteer's score, before the geoparser's preferences
    demonym: bool = False  # the place an adjective of place stands for


def _loose_fits(query: str, entry: Entry) -> bool:
    """A loose match may drop the query's generic words ("Orange County" is Orange), not add
    the entry's ("Atlantic" is not Atlantic City)."""
    key = names.loose_key(query)
    generic = set(names.words(query)) & names.GENERIC_WORDS
    if entry.kind == "site":  # "Heathrow" is Heathrow Airport: a facility goes by its bare name
        generic |= names.FACILITY_WORDS
    elif entry.kind == "region":  # "Anhui" is Anhui Sheng, "Nineveh" Nineveh Governorate
        generic |= names.REGION_WORDS
    return any(
        names.loose_key(n) == key and set(names.words(n)) & names.GENERIC_WORDS <= generic
        for n in entry.all_names()
    )


def _without_lesser_namesakes(matches: list[Match], key: str) -> list[Match]:
    """Drop towns that merely once bore the name of a bigger town that bears it now.

    GeoNames lists old and local names: a dozen small towns were once "Washington". Where a
    town of that very name is larger, they are not what the text means.
    """
    own = max(
        (
            m.entry.population
            for m in matches
            if m.entry.kind == "city" and names.exact_key(m.entry.name) == key
        ),
        default=-1,
    )
    return [
        m
        for m in matches
        if m.entry.kind != "city" or m.entry.population >= own or names.exact_key(m.entry.name) == key
    ]


class _Neighbours:
    """The local places a text names (each once, however often named), and how many of them
    lie within 400 km of a reading, counted once per reading however many mentions it has.

    The other items of a mention's list do not count: the list cue already says how alike they
    are, and a town that lies near the middle of many listed states ("Wyoming, Michigan" among
    Ohio, Indiana and Illinois) is no nearer the text for it.
    """

    def __init__(self, best: list[Entry | None], groups: Sequence[Sequence[int]] = ()) -> None:
        distinct = {e.id: e for e in best if e is not None and e.kind in _LOCAL}
        self.places = list(distinct.values())[:MAX_ANCHORS]
        self._near_ids: dict[str, frozenset[str]] = {}
        # Per list, the places only its items name; per mention, its list.
        self._group_of: dict[int, int] = {}
        self._listed: list[frozenset[str]] = []
        outside = Counter(e.id for e in best if e is not None)
        for number, group in enumerate(groups):
            inside = Counter(e.id for k in group if (e := best[k]) is not None)
            self._listed.append(frozenset(a.id for a in self.places if outside[a.id] == inside[a.id] > 0))
            self._group_of.update(dict.fromkeys(group, number))

    def _around(self, entry: Entry) -> frozenset[str]:
        """The places within 400 km of ``entry`` (computed once per reading)."""
        found = self._near_ids.get(entry.id)
        if found is None:
            lat, lon = entry.lat, entry.lon
            found = self._near_ids[entry.id] = frozenset(
                a.id
                for a in self.places
                if abs(a.lat - lat) < 4.0 and haversine_km(a.lat, a.lon, lat, lon) < 400
            )
        return found

    def near(self, entry: Entry, own: Entry | None, mention: int = -1) -> int:
        """Places near ``entry``, less the mention's own current reading (no self-support) and
        the places only the other items of its list name."""
        around = self._around(entry)
        group = self._group_of.get(mention)
        if group is not None and self._listed[group]:
            around = around - self._listed[group]
        return len(around) - (own is not None and own.id in around)


class Geoparser:
    """Recognise and resolve toponyms with one gazetteer."""

    def __init__(
        self,
        gazetteer: Gazetteer,
        *,
        include_demonyms: bool = True,
        candidates: int = 12,
        cache_size: int = 65_536,
        window: int = WINDOW_CHARS,
        ranker: Ranker | None = None,
    ) -> None:
        self.gazetteer = gazetteer
        self.ranker = ranker if ranker is not None else load_ranker()
        self.window = window
        self.include_demonyms = include_demonyms
        self.limit = candidates
        self._candidates = lru_cache(maxsize=cache_size)(self._uncached_candidates)
        self._key = lru_cache(maxsize=cache_size)(names.exact_key)
        self._rows = lru_cache(maxsize=cache_size)(self._static_rows)
        self._host_homes = lru_cache(maxsize=4_096)(self._uncached_host_homes)
        self._foreign = ForeignNames(self._knows, self._site_skeletons)
        #: The name the gazetteer knows for a span written in another script's inflected form.
        self._forms: dict[str, str] = {}
        self.recogniser = Recogniser(gazetteer, include_demonyms=include_demonyms, cache_size=cache_size)

    # --- resolution -----------------------------------------------------------------------

    def _uncached_candidates(self, name: str) -> tuple[_Choice, ...]:
        return self._own_candidates(name) or self._embedded(name)

    def _own_candidates(self, name: str) -> tuple[_Choice, ...]:
        # A consonant skeleton fixes a misspelt query typed by a person; in edited text a name
        # it only nearly spells is another place ("Samos" is not Samsun): no fuzzy matches.
        matches: list[Match] = self.gazetteer.candidates(name, limit=self.limit, fuzzy=False)
        key = names.exact_key(name)
        if matches and matches[0].level == 2:
            matches = [m for m in matches if _loose_fits(name, m.entry)]
        elif matches:
            matches = _without_lesser_namesakes(matches, key)
        if len(key.replace(" ", "")) <= 3 and not name.isupper():
            # A country code counts in capitals only: "Md." is Maryland, not Moldova (MD).
            matches = [m for m in matches if m.entry.kind != "country"]
        choices = []
        said = set(key.split())
        for m in matches:
            prior = m.score
            if m.entry.kind in ("country", "continent") and names.exact_key(m.entry.name) == key:
                prior += 3.0  # "Mexico" is the country, not Mexico City's other name
            if m.entry.feature and said.intersection(m.entry.feature.split()):
                prior += 3.0  # "Red Sea" is the sea, not Sudan's Red Sea state named after it
            choices.append(_Choice(m.entry, prior, m.score))
        choices.sort(key=lambda c: c.prior, reverse=True)
        demonym = self.gazetteer.demonym(name)
        # "English" is England before it is English, Indiana: an adjective of place gives way
        # only to a place of real weight that bears the very name.
        if demonym is not None and not any(
            m.level == 3 and (m.entry.kind != "city" or m.entry.population >= DEMONYM_YIELDS_TO_CITY)
            for m in matches
        ):
            choices.insert(0, _Choice(demonym, 40.0, 40.0, demonym=True))
        return tuple(choices)

    def _static_rows(self, name: str) -> np.ndarray:
        choices = self._candidates(name)
        return static_rows(choices, self._key(name)) if choices else np.zeros((0, len(FEATURES)))

    def _embedded(self, name: str) -> tuple[_Choice, ...]:
        """For a name the gazetteer lacks, the places named inside it: "Bank of Japan" is in
        Japan, "Liverpool FC" in Liverpool, "Colorado State University" in Colorado.

        The longest known runs of words count ("Kendale Lakes" in "Kendale Lakes Elementary
        School", not "Lakes"), each as recognition would take it alone.
        """
        words = [(m.start(), m.end()) for m in _NAME_WORD.finditer(name)]
        covered: list[tuple[int, int]] = []
        choices: list[_Choice] = []
        for size in range(min(len(words) - 1, MAX_WORDS), 0, -1):
            for first in range(len(words) - size + 1):
                start, end = words[first][0], words[first + size - 1][1]
                if any(a <= start and end <= b for a, b in covered):
                    continue
                part = name[start:end]
                if size == 1 and part.lower() in _LANDFORM_WORDS:
                    continue
                if self.recogniser.knows(part, single=size == 1) and (found := self._own_candidates(part)):
                    covered.append((start, end))
                    choices.extend(found)
        choices.sort(key=lambda c: c.prior, reverse=True)
        return tuple(choices)

    def resolve(
        self,
        text: str,
        spans: list[tuple[int, int]],
        *,
        url: str | None = None,
        record: list[Rows] | None = None,
    ) -> list[Toponym]:
        """Resolve given spans of ``text`` (resolution with gold spans), window by window.

        With ``record``, each mention's readings and their feature rows, in each round of
        choosing, are added to it (the training data of the learned ranker).
        """
        homes = self._homes(url)
        order = sorted(range(len(spans)), key=lambda k: spans[k])
        ordered = [spans[k] for k in order]
        found: list[Toponym] = []
        cuts = windows(text, self.window, keep=ordered)
        firsts = [bisect_left(ordered, (start, -1)) for start, _ in cuts[1:]] + [len(ordered)]
        done = 0
        for (start, end), upto in zip(cuts, firsts, strict=True):
            inside = [(s - start, e - start) for s, e in ordered[done:upto]]
            seen: list[Rows] | None = [] if record is not None else None
            found.extend(_moved(self._resolve_window(text[start:end], inside, homes, seen), start))
            if record is not None and seen is not None:
                record.extend(
                    Rows(ordered[done + r.mention], r.entries, r.rows, r.round, r.mention) for r in seen
                )
            done = upto
        back = list(found)
        for position, k in enumerate(order):
            back[k] = found[position]
        return back

    def _resolve_window(
        self,
        text: str,
        ordered: list[tuple[int, int]],
        homes: tuple[_Choice, ...] = (),
        record: list[Rows] | None = None,
    ) -> list[Toponym]:
        written = [self._forms.get(text[s:e], text[s:e]) for s, e in ordered]
        options = [self._candidates(w) for w in written]
        keys = [self._key(w) for w in written]
        dateline = dateline_mention(text, ordered)  # each window as if alone: a paragraph may open one
        chosen = self._disambiguate(
            options, read_cues(text, ordered), keys, written, dateline=dateline, homes=homes, record=record
        )
        return [Toponym(s, e, text[s:e], entry) for (s, e), entry in zip(ordered, chosen, strict=True)]

    def _disambiguate(
        self,
        options: list[tuple[_Choice, ...]],
        cues: Cues,
        keys: list[str],
        written: list[str],
        *,
        dateline: int | None,
        homes: tuple[_Choice, ...],
        record: list[Rows] | None,
    ) -> list[Entry | None]:
        best: list[Entry | None] = [o[0].entry if o else None for o in options]
        countries, named = self._country_weights(options)
        fixed, qualified = fixed_bonuses(cues, keys, options)
        add_sentence_countries(cues, options, named, fixed)
        groups = list_groups(cues, qualified)
        # The publisher's home: of the places its web address may name, the likeliest in the
        # countries the text is about.
        home = (
            max(homes, key=lambda c: c.prior + 8.0 * countries.get(c.entry.country or "", 0.0)).entry
            if homes
            else None
        )
        # Only mentions with a choice to make are scored (all of them when recording).
        open_ = [i for i, o in enumerate(options) if len(o) > 1 or (record is not None and o)]
        for round_ in range(2):
            anchors = _Neighbours(best, groups)
            extra = with_list_bonuses(fixed, groups, best, options)
            context = Context(best, dateline, home)
            blocks = []
            for mention in open_:
                choices, own = options[mention], best[mention]
                rows = self._rows(written[mention]).copy()
                near = [
                    anchors.near(c.entry, own, mention) if c.entry.kind in _LOCAL and anchors.places else 0
                    for c in choices
                ]
                dynamic_columns(
                    rows,
                    choices,
                    mention,
                    context,
                    countries=countries,
                    near=near,
                    cue=fixed[mention],
                    listed=extra[mention],
                )
                blocks.append(rows)
            chosen = list(best)
            if blocks:
                matrix = np.concatenate(blocks)
                sizes = [len(rows) for rows in blocks]
                add_hand_scores(matrix, sizes)
                scores = self.ranker.scores(matrix)
                at = 0
                for mention, size in zip(open_, sizes, strict=True):
                    pick = int(np.argmax(scores[at : at + size]))
                    chosen[mention] = options[mention][pick].entry
                    if record is not None:
                        entries = tuple(c.entry for c in options[mention])
                        record.append(Rows((0, 0), entries, matrix[at : at + size].copy(), round_, mention))
                    at += size
            if chosen == best:  # a second round from the same readings would choose the same
                break
            best = chosen
        return best

    @staticmethod
    def _country_weights(options: list[tuple[_Choice, ...]]) -> tuple[dict[str, float], dict[int, str]]:
        """How much the text is about each country (its sure names count most), and which
        mentions surely name a country."""
        weights: dict[str, float] = {}
        named: dict[int, str] = {}
        for i, choices in enumerate(options):
            if not choices:
                continue
            top = choices[0]
            # Sure when no other reading comes close on the gazetteer's own terms: "Georgia"
            # (the country or the state) is not.
            margin = top.raw - max(c.raw for c in choices[1:]) if len(choices) > 1 else 10.0
            certainty = 1.0 if margin >= 3 else 0.4
            if top.entry.country:
                weights[top.entry.country] = weights.get(top.entry.country, 0.0) + certainty
                if top.entry.kind == "country" and certainty == 1.0:
                    named[i] = top.entry.country
        total = sum(weights.values()) or 1.0
        return {code: w / total for code, w in weights.items()}, named

    @functools.cached_property
    def _sites(self) -> dict[str, list[str]]:
        """The curated sites' names (bases, airfields), by the skeleton of their first word."""
        out: dict[str, list[str]] = {}
        for entry in self.recogniser.gazetteer.entries:
            if entry.id.startswith("site:"):
                word = entry.name.split()[0]
                if len(skeleton(word)) >= 2:
                    out.setdefault(skeleton(word), []).append(entry.name)
        return out

    def _site_skeletons(self) -> dict[str, list[str]]:
        return self._sites

    def _knows(self, name: str, single: bool) -> bool:
        return self.recogniser.knows(name, single=single)

    def find(self, text: str) -> list[tuple[int, int]]:
        """Spans of place names in ``text`` (see :class:`Recogniser`), of names in Arabic or
        Cyrillic script (see :class:`~geodata.extract.language.ForeignNames`) and of facilities
        named the French way round ("camp de Taji")."""
        spans = self.recogniser.find(text)
        extra = french_facilities(text, self._knows) if _FRENCH_FACILITY_WORD.search(text) else []
        if _NON_LATIN.search(text):
            extra += self._foreign.find(text) + self._foreign.facilities(text)
        if not extra:
            return spans
        if len(self._forms) > 100_000:
            self._forms.clear()
        return self._merged(text, sorted(spans), sorted(extra))

    def _merged(
        self, text: str, spans: list[tuple[int, int]], extra: list[tuple[int, int, str]]
    ) -> list[tuple[int, int]]:
        """``spans`` with each extra span that overlaps none of them, or holds those it overlaps
        ("Taji" in "camp de Taji"); both lists sorted, one pass with bisection."""
        starts = [start for start, _ in spans]
        kept = [True] * len(spans)
        added: list[tuple[int, int]] = []
        for start, end, base in extra:
            if added and added[-1][1] > start:
                continue  # overlaps an extra span taken already
            first = bisect_left(starts, start)
            if first and spans[first - 1][1] > start:
                first -= 1  # a span that begins before this one and reaches into it
            last = first
            while last < len(spans) and spans[last][0] < end:
                last += 1
            if all(start <= spans[m][0] and spans[m][1] <= end for m in range(first, last) if kept[m]):
                kept[first:last] = [False] * (last - first)
                added.append((start, end))
                self._forms[text[start:end]] = base
        return sorted([span for span, keep in zip(spans, kept, strict=True) if keep] + added)

    def parse(self, text: str, *, url: str | None = None) -> list[Toponym]:
        """Find and resolve the place names of ``text`` (end to end), window by window;
        ``url``, the text's web address, may say where its publisher is."""
        found: list[Toponym] = []
        homes = self._homes(url)
        for start, end in windows(text, self.window):
            part = text[start:end]
            found.extend(_moved(self._resolve_window(part, self.find(part), homes), start))
        return found

    def _homes(self, url: str | None) -> tuple[_Choice, ...]:
        """The towns and first-level regions the host of ``url`` may be named after: those
        whose own name is the longest beginning of a part of the host that names any (looked up
        once per host; towns of the main gazetteer only, not the small ones: "bango" is no home)."""
        host = host_of(url)
        return self._host_homes(host) if host else ()

    def _uncached_host_homes(self, host: str) -> tuple[_Choice, ...]:
        least = DEFAULTS.min_city_population
        for name in home_names(f"http://{host}"):
            matches = self.gazetteer.candidates(name, kinds=("city", "region"), limit=self.limit, fuzzy=False)
            found = tuple(
                _Choice(m.entry, m.score, m.score)
                for m in matches
                if m.level == 3
                and (m.entry.kind == "region" or m.entry.population >= least)
                and names.exact_key(m.entry.name).replace(" ", "") == name
            )
            if found:
                return found
        return ()


_FRENCH_FACILITY_WORD = re.compile(r"\b(?:camp|base|aéroport|aérodrome)\s+(?:de|d['’]|du)\b", re.IGNORECASE)
_NON_LATIN = re.compile(r"[\u0400-\u04FF\u0600-\u06FF]")


def _moved(toponyms: list[Toponym], offset: int) -> list[Toponym]:
    """Toponyms of a window, with offsets in the whole text."""
    if not offset:
        return toponyms
    return [Toponym(t.start + offset, t.end + offset, t.name, t.entry) for t in toponyms]
