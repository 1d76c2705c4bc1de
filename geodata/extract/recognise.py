"""Recognition: the spans of a text that name places, read as a reader skims for them.

Capitalised runs of up to five words that begin a known name are grown while they still do,
and the longest known name wins ("Ain Al Assad base", "Bank of England" but not "Iraq The").
Town names used as a person's name are dropped (see ``Recogniser._person_like``), and so are
names of diseases ("West Nile virus").
"""

from __future__ import annotations

import re
from functools import lru_cache

from geodata.gazetteer import Entry, Gazetteer, names

#: Capitalised words that name no place in running text (at a sentence start or as titles).
NOT_PLACES = frozenset(
    """
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
""".split()
)
_FACILITY_SUFFIX = re.compile(
    r"\s+(?:air\s+base|airbase|air\s+field|airfield|base|camp|airport|barracks|region|province|governorate)\b"
)
_ARTICLE_JOINED = re.compile(r"^(?:al|el|ad|an|ar|as|ash|at|az|ad-din)-[A-Z]")
_ACRONYM = re.compile(r"^(?:[A-Z]\.){2,}$")
_JOINERS = frozenset(
    {"of", "de", "del", "da", "do", "du", "la", "le", "al", "el", "and", "upon", "on", "the", "-"}
)
#: What may follow a word's first letter: letters, digits, dots and hyphens ("U.S.", "K-1"), and an
#: apostrophe inside a name ("Qa'im"), but not a possessive "'s".
_CONTINUES = r"(?:[\w.\-]|['’](?![sS]\b)[^\W\d_])"
_WORD = re.compile(r"[^\W\d_]" + _CONTINUES + "*", re.UNICODE)  # one word, as _tokens reads it
#: A stretch of lower-case words that begins with one that is no joiner ("of", "the") and holds no
#: "al-" name: one regex match for what would otherwise be a Python step per word, each only
#: ending a run. A joiner after a lower-case word joins nothing (no run can reach it), so the
#: stretch takes it too.
_NOT_AL = r"(?!(?:al|el|ad|an|ar|as|ash|at|az|ad-din)-[A-Z])"
_LOWER_STRETCH = (
    r"(?:(?!(?:"
    + "|".join(sorted(_JOINERS - {"-"}, key=len, reverse=True))
    + r")(?!"
    + _CONTINUES
    + r"))"
    + _NOT_AL
    + r"[a-z]"
    + _CONTINUES
    + r"*[\W\d_]*)(?:"
    + _NOT_AL
    + r"[a-z]"
    + _CONTINUES
    + r"*[\W\d_]*)*"
)
_TOKEN = re.compile(r"(?P<lower>" + _LOWER_STRETCH + r")|" + _WORD.pattern, re.UNICODE)
MAX_WORDS = 5
#: Smallest town recognised by a one-word name, and by a longer one, in running text.
#: (These matter with a gazetteer of small towns: ``load_gazetteer(min_population=1000)``.)
TOWN_NAME_MIN_POPULATION = 15_000
PHRASE_TOWN_MIN_POPULATION = 1_000
PERSON_NAME_BELOW = 100_000  # a name that speaks, or follows a given name, is a person's only below
_SPEECH = r"(?:said|says|told|tweeted|wrote|added|explained|stated|recalled)"
_SPEAKS_AFTER = re.compile(r"[ \t]+" + _SPEECH + r"\b")
_SPEAKS_BEFORE = re.compile(r"\b(?:said|says|according to)[ \t]+$")
_LOWER_WORD = re.compile(r"\b[a-z][a-z]+\b")
_CAPITAL_AFTER = re.compile(r" ([A-Z][a-z]+)")
_CAPITAL_BEFORE = re.compile(r"([A-Z][a-z]+) $")
_PLACE_BEFORE = re.compile(r"\b(?:in|of|from|at|near|to|around|outside)[ \t]+$", re.IGNORECASE)
#: A name right before one of these words names a disease, not a place: "West Nile virus",
#: "Marburg virus", "Rift Valley fever", "Lyme disease".
_DISEASE_AFTER = re.compile(
    r"[ \t-]+(?:virus|viruses|fever|disease|flu|influenza|encephalitis)\b", re.IGNORECASE
)


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
            start = match.start()
            # _word only for a word that ends in punctuation; most end in a letter.
            kept = (*_word(start, raw), True) if raw[-1] in ".-" else (start, start + len(raw), raw, True)
        elif raw in _JOINERS and (not tokens or tokens[-1] is not None):
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


class Recogniser:
    """Find the place names of a text with one gazetteer (its names, adjectives of place)."""

    def __init__(
        self, gazetteer: Gazetteer, *, include_demonyms: bool = True, cache_size: int = 65_536
    ) -> None:
        self.gazetteer = gazetteer
        self.include_demonyms = include_demonyms
        self._known_key = lru_cache(maxsize=cache_size)(self._uncached_known)
        self._known_code = lru_cache(maxsize=cache_size)(self._uncached_known_code)
        self._may_start = lru_cache(maxsize=cache_size)(self._uncached_may_start)
        self._strong = lru_cache(maxsize=cache_size)(self._uncached_strong)
        self._may_name_a_person = lru_cache(maxsize=cache_size)(self._uncached_may_name_a_person)
        self._key = lru_cache(maxsize=cache_size)(names.exact_key)
        self._first_words = gazetteer.first_words()
        self._prefixes = gazetteer.name_prefixes()

    def find(self, text: str) -> list[tuple[int, int]]:
        """Spans of place names in ``text``: longest known capitalised runs of up to five words."""
        tokens = _tokens(text)
        lower = LowerWords(text)
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
            while (
                stop + 1 < len(tokens)
                and stop + 1 < i + MAX_WORDS
                and (following := tokens[stop + 1]) is not None
                and self._key(text[token[0] : following[1]]) in self._prefixes
            ):
                stop += 1
            found = None
            for j in range(stop, i - 1, -1):
                last = tokens[j]
                if last is None or not last[3]:
                    continue
                suffix = _FACILITY_SUFFIX.match(text, last[1])
                if suffix and self._known(text[token[0] : suffix.end()], single=False, lower=lower):
                    found = (j, suffix.end())  # "Ain Al Assad base", "Taji camp"
                    break
                if self._known(text[token[0] : last[1]], single=(i == j), lower=lower):
                    found = (j, last[1])
                    break
            if found is None:
                i += 1
                continue
            if not _DISEASE_AFTER.match(text, found[1]):
                spans.append((token[0], found[1]))
            i = found[0] + 1
        return self._person_like(text, spans)

    def _uncached_may_start(self, word: str) -> bool:
        """Whether some known name begins with this word (most capitalised words start none)."""
        key = names.exact_key(word)
        return key.split(" ", 1)[0] in self._first_words if key else False

    def knows(self, name: str, *, single: bool) -> bool:
        """Whether recognition would take ``name`` alone as a place name (a one-word one if
        ``single``): a country, region or site, a town big enough, an adjective of place."""
        return self._known(name, single=single, lower=None)

    def _known(self, name: str, *, single: bool, lower: LowerWords | None) -> bool:
        key = self._key(name)
        if single and name.isupper() and len(name.replace(".", "")) <= 4:
            known = self._known_code(key)  # "US", "UK", "DRC" yes; "UN", "FDA", "PM" no
        else:
            known = self._known_key(key)
        # Not "Police" when the text also says "police" (its lower-case words are read only
        # when a known name needs them).
        return known and not (single and lower is not None and key in lower)

    def _uncached_known_code(self, key: str) -> bool:
        return any(e.kind != "city" and not _only_by_code(e, key) for e in self.gazetteer.exact_matches(key))

    def _uncached_known(self, key: str) -> bool:
        if not key or key in NOT_PLACES:
            return False
        if self.include_demonyms and self.gazetteer.demonym(key) is not None:
            return True
        # A one-word name of a small town is more often a surname or a word ("Reading",
        # "Hope"); a longer one ("Crown Heights") seldom is.
        least = TOWN_NAME_MIN_POPULATION if " " not in key else PHRASE_TOWN_MIN_POPULATION
        # A town's other name of three letters or fewer ("Li", "Al", "Ben") is a person's or a
        # word in English text far more often; its own name ("Bo", "Ur") still counts.
        short = len(key) <= 3
        return any(
            (e.kind != "city" or e.population >= least)
            and not _only_by_code(e, key)
            and not (short and e.kind == "city" and names.exact_key(e.name) != key)
            for e in self.gazetteer.exact_matches(key)
        )

    def _person_like(self, text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Drop one-word town names used as a person's name, everywhere in the text.

        A mention beside another capitalised word is part of a longer name ("David Cameron",
        "Dresden Zoo"), not a place. Where the word before is a given name ("Chris Paul"), or
        the name speaks ("said Noma", "Miranda tweeted", but not "in Tyler said"), the name is
        a person's, and so are its bare mentions ("Paul scored 27 points"). Countries, regions
        and cities of a million keep their names: "Washington said" is still a place.
        """
        people: set[str] = set()
        for start, end in spans:
            name = text[start:end]
            if (
                " " not in name
                and name not in people
                and self._may_name_a_person(name)
                and (_given_name_before(text, start) or _speaks(text, start, end))
            ):
                people.add(name)
        kept = []
        for start, end in spans:
            name = text[start:end]
            if name in people or (
                " " not in name and _beside_capital(text, start, end) and not self._strong(name)
            ):
                continue
            kept.append((start, end))
        return kept

    def _uncached_strong(self, name: str) -> bool:
        """Whether a name is a country's, a continent's, a sea's or other natural feature's, a
        region's of 100,000 people or a city's of a million (a parish of 1,400 named Paul does
        not make "Paul Metcalfe" a place), or (when they are asked for) an adjective of place:
        "Russian" in "Russian President" is no surname."""
        if self.include_demonyms and self.gazetteer.demonym(name) is not None:
            return True
        return any(
            e.kind in ("country", "continent")
            or e.feature is not None
            or e.population >= 1_000_000
            or (e.kind == "region" and e.population >= PERSON_NAME_BELOW)
            for e in self.gazetteer.exact_matches(name)
        )

    def _uncached_may_name_a_person(self, name: str) -> bool:
        """Whether a name is only a small place's: no adjective of place, no country, sea or
        other natural feature, no place of 100,000 people ("Paul" is a parish of Cape Verde,
        but "Liverpool said" is the club, and "Hawaii's experience" the state's)."""
        return self.gazetteer.demonym(name) is None and not any(
            e.kind in ("country", "continent") or e.feature is not None or e.population >= PERSON_NAME_BELOW
            for e in self.gazetteer.exact_matches(name)
        )


def _only_by_code(entry: Entry, key: str) -> bool:
    """Whether ``key`` names the entry only as one of its ISO codes ("ba" for Bosnia)."""
    return (
        bool(entry.codes)
        and any(names.exact_key(c) == key for c in entry.codes)
        and not any(names.exact_key(n) == key for n in (entry.name, *entry.aliases))
    )


class LowerWords:
    """The lower-case words of a text (whole words of two ASCII letters or more, as
    ``_LOWER_WORD`` reads them), read once, when first asked.

    Searching the text for each known name in turn would read a long text once per name.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._words: frozenset[str] | None = None

    def __contains__(self, key: object) -> bool:
        if self._words is None:
            self._words = frozenset(_LOWER_WORD.findall(self._text))
            self._text = ""
        return key in self._words


def _beside_capital(text: str, start: int, end: int) -> bool:
    return bool(
        _CAPITAL_AFTER.match(text, end, end + 30) or _CAPITAL_BEFORE.search(text, max(0, start - 30), start)
    )


def _given_name_before(text: str, start: int) -> bool:
    """Whether a capitalised word that is no kind of place word comes right before."""
    before = _CAPITAL_BEFORE.search(text, max(0, start - 30), start)
    return (
        before is not None
        and (word := before.group(1).lower()) not in NOT_PLACES
        and word not in names.GENERIC_WORDS
    )


def _speaks(text: str, start: int, end: int) -> bool:
    """Whether the name is the speaker of a "said" ("said Noma", "Noma told"), not the place of
    one ("in Tyler said")."""
    if _SPEAKS_BEFORE.search(text, max(0, start - 20), start):
        return True
    return bool(_SPEAKS_AFTER.match(text, end)) and not _PLACE_BEFORE.search(text, max(0, start - 12), start)
