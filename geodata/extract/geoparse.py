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
from itertools import islice

from geodata import names
from geodata.coords import haversine_km
from geodata.extract.cues import Cues, fixed_bonuses, list_groups, read_cues, with_list_bonuses
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
university college school academy institute hospital clinic centre center bank court church
federal national union republic kingdom empire state states council committee party company
group association society agency office service services force forces navy air fire world
global home capital royal grand great valley officer care best drug health street road house
white black green red blue gold golden orange silver liberty victory independence freedom
city county district province region island islands lake river mount mountain park beach bay
port harbour harbor airport station square bridge tower hall
""".split())
_FACILITY_SUFFIX = re.compile(
    r"\s+(?:air\s+base|airbase|air\s+field|airfield|base|camp|airport|barracks|region|province|governorate)\b")
_ARTICLE_JOINED = re.compile(r"^(?:al|el|ad|an|ar|as|ash|at|az|ad-din)-[A-Z]")
_LOWER = re.compile(r"\b[a-z][a-z]+\b")
_ACRONYM = re.compile(r"^(?:[A-Z]\.){2,}$")
_JOINERS = frozenset({"of", "de", "del", "da", "do", "du", "la", "le", "al", "el", "and", "upon", "on",
                      "the", "-"})
#: What may follow a word's first letter: letters, digits, dots and hyphens ("U.S.", "K-1"), and an
#: apostrophe inside a name ("Qa'im"), but not a possessive "'s".
_CONTINUES = r"(?:[\w.\-]|['’](?![sS]\b)[^\W\d_])"
_WORD = re.compile(r"[^\W\d_]" + _CONTINUES + "*", re.UNICODE)  # one word, as _tokens reads it
#: A stretch of lower-case words, none a joiner ("of", "the") or an "al-" name: one regex match
#: for what would otherwise be a Python step per word, each only ending a run.
_LOWER_STRETCH = (
    r"(?:(?!(?:" + "|".join(sorted(_JOINERS - {"-"}, key=len, reverse=True)) + r")(?!" + _CONTINUES + r"))"
    r"(?!(?:al|el|ad|an|ar|as|ash|at|az|ad-din)-[A-Z])[a-z]" + _CONTINUES + r"*[\W\d_]*)+")
_TOKEN = re.compile(r"(?P<lower>" + _LOWER_STRETCH + r")|" + _WORD.pattern, re.UNICODE)
MAX_WORDS = 5
_LOCAL = ("city", "site", "region")
#: Smallest town recognised by a one-word name, and by a longer one, in running text.
#: (These matter with a gazetteer of small towns: ``Gazetteer.load(min_population=1000)``.)
TOWN_NAME_MIN_POPULATION = 15_000
PHRASE_TOWN_MIN_POPULATION = 1_000
DEMONYM_YIELDS_TO_CITY = 100_000
MAX_ANCHORS = 60  # nearby places beyond these add little and cost a distance each


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
    raw: float = 0.0  # the gazetteer's score, before the geoparser's preferences


def _loose_fits(query: str, entry: Entry) -> bool:
    """A loose match may drop the query's generic words ("Orange County" is Orange), not add
    the entry's ("Atlantic" is not Atlantic City)."""
    key = names.loose_key(query)
    generic = set(names.words(query)) & names.GENERIC_WORDS
    if entry.kind == "site":  # "Heathrow" is Heathrow Airport: a facility goes by its bare name
        generic |= names.FACILITY_WORDS
    elif entry.kind == "region":  # "Anhui" is Anhui Sheng, "Nineveh" Nineveh Governorate
        generic |= names.REGION_WORDS
    return any(names.loose_key(n) == key and set(names.words(n)) & names.GENERIC_WORDS <= generic
               for n in entry.all_names())


def _without_lesser_namesakes(matches: list[Match], key: str) -> list[Match]:
    """Drop towns that merely once bore the name of a bigger town that bears it now.

    GeoNames lists old and local names: a dozen small towns were once "Washington". Where a
    town of that very name is larger, they are not what the text means.
    """
    own = max((m.entry.population for m in matches
               if m.entry.kind == "city" and names.exact_key(m.entry.name) == key), default=-1)
    return [m for m in matches if m.entry.kind != "city" or m.entry.population >= own
            or names.exact_key(m.entry.name) == key]


Token = tuple[int, int, str, bool]  # start, end, word, capitalised


def _tokens(text: str) -> list[Token | None]:
    """The words of ``text`` that can be in a place name, ``None`` where a lower-case word ends a run.

    Capitalised words (or an Arabic article joined to one: "al-Asad") and joiners ("of")
    are kept. Equal to classifying every ``_WORD`` match, only faster (tested so).
    """
    tokens: list[Token | None] = []
    append = tokens.append
    for match in _TOKEN.finditer(text):
        raw = match.group()
        if match.lastgroup == "lower":
            kept = None
        elif raw[0].isupper() or (raw[0] in "ae" and _ARTICLE_JOINED.match(raw)):
            kept = (*_word(match.start(), raw), True)
        elif raw in _JOINERS:
            kept = (match.start(), match.end(), raw, False)
        else:
            kept = None
        if kept is not None or not tokens or tokens[-1] is not None:
            append(kept)
    return tokens


def _word(start: int, raw: str) -> tuple[int, int, str]:
    """A word without trailing punctuation, except the final dot of an acronym ("U.S.")."""
    word = raw if _ACRONYM.match(raw) else raw.rstrip(".-")
    return start, start + len(word), word


class Geoparser:
    """Recognise and resolve toponyms with one gazetteer."""

    def __init__(self, gazetteer: Gazetteer, *, include_demonyms: bool = True, candidates: int = 12,
                 cache_size: int = 65_536) -> None:
        self.gazetteer = gazetteer
        self.include_demonyms = include_demonyms
        self.limit = candidates
        self._candidates = lru_cache(maxsize=cache_size)(self._uncached_candidates)
        self._known_key = lru_cache(maxsize=cache_size)(self._uncached_known)
        self._may_start = lru_cache(maxsize=cache_size)(self._uncached_may_start)
        self._key = lru_cache(maxsize=cache_size)(names.exact_key)
        self._first_words = gazetteer.first_words()
        self._prefixes = gazetteer.name_prefixes()

    # --- resolution -----------------------------------------------------------------------

    def _uncached_candidates(self, name: str) -> tuple[_Choice, ...]:
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
        for m in matches:
            prior = m.score
            if m.entry.kind in ("country", "continent") and names.exact_key(m.entry.name) == key:
                prior += 3.0  # "Mexico" is the country, not Mexico City's other name
            choices.append(_Choice(m.entry, prior, m.score))
        choices.sort(key=lambda c: c.prior, reverse=True)
        demonym = self.gazetteer.demonym(name)
        # "English" is England before it is English, Indiana: an adjective of place gives way
        # only to a place of real weight that bears the very name.
        if demonym is not None and not any(m.level == 3 and (m.entry.kind != "city" or m.entry.population
                                                              >= DEMONYM_YIELDS_TO_CITY)
                                           for m in matches):
            choices.insert(0, _Choice(demonym, 40.0, 40.0))
        return tuple(choices)

    def resolve(self, text: str, spans: list[tuple[int, int]]) -> list[Toponym]:
        """Resolve given spans of ``text`` (resolution with gold spans)."""
        order = sorted(range(len(spans)), key=lambda k: spans[k])
        ordered = [spans[k] for k in order]
        options = [self._candidates(text[s:e]) for s, e in ordered]
        keys = [self._key(text[s:e]) for s, e in ordered]
        chosen = self._disambiguate(options, read_cues(text, ordered), keys)
        found = [Toponym(s, e, text[s:e], entry) for (s, e), entry in zip(ordered, chosen, strict=True)]
        back = list(found)
        for position, k in enumerate(order):
            back[k] = found[position]
        return back

    def _disambiguate(self, options: list[tuple[_Choice, ...]], cues: Cues, keys: list[str]
                      ) -> list[Entry | None]:
        best: list[Entry | None] = [o[0].entry if o else None for o in options]
        countries = self._country_weights(options)
        fixed, qualified = fixed_bonuses(cues, keys, options)
        groups = list_groups(cues, qualified)
        for _ in range(2):
            # Each distinct local place counts once, however often it is named.
            anchors = {e.id: e for e in best if e is not None and e.kind in _LOCAL}
            extra = with_list_bonuses(fixed, groups, best, options)
            best = [
                max(choices, key=lambda c: (self._score(c, countries, anchors, own)
                                            + bonus.get(c.entry.id, 0.0))).entry if choices else None
                for choices, own, bonus in zip(options, best, extra, strict=True)
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
            # Sure when no other reading comes close on the gazetteer's own terms: "Georgia"
            # (the country or the state) is not.
            margin = top.raw - max(c.raw for c in choices[1:]) if len(choices) > 1 else 10.0
            certainty = 1.0 if margin >= 3 else 0.4
            if top.entry.country:
                weights[top.entry.country] = weights.get(top.entry.country, 0.0) + certainty
        total = sum(weights.values()) or 1.0
        return {code: w / total for code, w in weights.items()}

    @staticmethod
    def _score(choice: _Choice, countries: dict[str, float], anchors: dict[str, Entry],
               own: Entry | None) -> float:
        entry = choice.entry
        score = choice.prior + 8.0 * countries.get(entry.country or "", 0.0)
        if entry.kind in _LOCAL and anchors:
            skip = own.id if own is not None else None
            near = sum(1 for key, a in islice(anchors.items(), MAX_ANCHORS)
                       if key != skip and abs(a.lat - entry.lat) < 4.0
                       and haversine_km(entry.lat, entry.lon, a.lat, a.lon) < 400)
            score += 2.0 * math.log1p(near)
        return score

    # --- recognition ----------------------------------------------------------------------

    def find(self, text: str) -> list[tuple[int, int]]:
        """Spans of place names in ``text``: longest known capitalised runs of up to five words."""
        tokens = _tokens(text)
        lowered = set(_LOWER.findall(text))
        spans: list[tuple[int, int]] = []
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if token is None or not token[3] or not self._may_start(token[2]):
                i += 1
                continue
            # Grow the run only while it still begins some known name ("Bank of" may yet be
            # "Bank of England"; "Iraq The" begins none).
            stop = i
            while (stop + 1 < len(tokens) and stop + 1 < i + MAX_WORDS
                   and (following := tokens[stop + 1]) is not None
                   and self._key(text[token[0]:following[1]]) in self._prefixes):
                stop += 1
            found = None
            for j in range(stop, i - 1, -1):
                last = tokens[j]
                if last is None or not last[3]:
                    continue
                suffix = _FACILITY_SUFFIX.match(text, last[1])
                if suffix and self._known(text[token[0]:suffix.end()], single=False, lowered=lowered):
                    found = (j, suffix.end())  # "Ain Al Assad base", "Taji camp"
                    break
                if self._known(text[token[0]:last[1]], single=(i == j), lowered=lowered):
                    found = (j, last[1])
                    break
            if found is None:
                i += 1
                continue
            spans.append((token[0], found[1]))
            i = found[0] + 1
        return self._person_like(text, spans)

    def _uncached_may_start(self, word: str) -> bool:
        """Whether some known name begins with this word (most capitalised words start none)."""
        key = names.exact_key(word)
        return key.split(" ", 1)[0] in self._first_words if key else False

    def _known(self, name: str, *, single: bool, lowered: set[str]) -> bool:
        key = self._key(name)
        if single and key in lowered:  # "Police" when the text also says "police"
            return False
        if single and name.isupper() and len(name.replace(".", "")) <= 4:
            return self._known_code(key)  # "US", "UK", "DRC" yes; "UN", "FDA", "PM" no
        return self._known_key(key)

    def _known_code(self, key: str) -> bool:
        return any(e.kind != "city" for e in self.gazetteer.exact_matches(key))

    def _uncached_known(self, key: str) -> bool:
        if not key or key in NOT_PLACES:
            return False
        if self.include_demonyms and self.gazetteer.demonym(key) is not None:
            return True
        # A one-word name of a small town is more often a surname or a word ("Reading",
        # "Hope"); a longer one ("Crown Heights") seldom is.
        least = TOWN_NAME_MIN_POPULATION if " " not in key else PHRASE_TOWN_MIN_POPULATION
        return any(e.kind != "city" or e.population >= least for e in self.gazetteer.exact_matches(key))

    def _person_like(self, text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Drop one-word town names that sit inside a run of capitalised words ("David Cameron")."""
        kept = []
        for start, end in spans:
            name = text[start:end]
            if " " not in name and self._beside_capital(text, start, end):
                entries = self.gazetteer.exact_matches(name)
                if not any(e.kind in ("country", "continent", "region") or e.population >= 1_000_000
                           for e in entries):
                    continue
            kept.append((start, end))
        return kept

    @staticmethod
    def _beside_capital(text: str, start: int, end: int) -> bool:
        after = re.match(r" ([A-Z][a-z]+)", text[end:end + 30])
        before = re.search(r"([A-Z][a-z]+) $", text[max(0, start - 30):start])
        return bool(after or before)

    def parse(self, text: str) -> list[Toponym]:
        """Find and resolve the place names of ``text`` (end to end)."""
        return self.resolve(text, self.find(text))
