"""Who an event names, as the merger and the drafting compare them: a name's words without
accents, case, possessives and titles, a few aliases, and countries known by their names and
adjectives (REST Countries, shipped by ``countryinfo``)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz

#: Words that say who someone is, not who: dropped from the start of a name before names are
#: compared ("Secretary of State Antony Blinken" is "antony blinken"; "Islamic State" stays).
_TITLES = frozenset(
    "the a an mr mrs ms dr capt captain col colonel lt lieutenant gen general maj major brig brigadier "
    "adm admiral sgt sergeant staff president vice prime minister ministry secretary spokesman "
    "spokeswoman spokesperson defence defense foreign of state chief commander sir lord king prince "
    "sheikh ayatollah iran-backed backed pro said says".split()
)
#: News agencies quoted for a fact are not actors of the event.
_AGENCIES = frozenset({("afp",), ("reuters",), ("ap",), ("associated", "press"), ("ani",)})
_ALIASES = {
    ("u", "s"): ("united", "states"),
    ("us",): ("united", "states"),
    ("usa",): ("united", "states"),
    ("america",): ("united", "states"),
    ("uk",): ("united", "kingdom"),
    ("britain",): ("united", "kingdom"),
    ("great", "britain"): ("united", "kingdom"),
    ("isis",): ("islamic", "state"),
    ("isil",): ("islamic", "state"),
    ("daesh",): ("islamic", "state"),
}
_WORD = re.compile(r"[a-z0-9]+")
#: Where one name lists several actors ("US and British", "Capt Bill Urban, spokesman for CENTCOM").
_SEPARATORS = re.compile(r"\s*(?:,|;|&|\band\b)\s*")
#: Words that join a title to whom it is of ("spokesman for the coalition"): dropped with it.
_LINKS = frozenset({"for", "to", "at", "in", "with"})


@lru_cache(maxsize=1)
def _country_names() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Each country's names, longer spellings and adjective ("American", "Iraqi") as words, to
    its common name's words (REST Countries, shipped by ``countryinfo``). Codes of two letters
    are left out: as a whole name "IN" or "IT" is no country."""
    from geodata.gazetteer.sources.countries import _countryinfo

    out: dict[tuple[str, ...], tuple[str, ...]] = {}
    adjectives: dict[tuple[str, ...], tuple[str, ...]] = {}
    # The most populous first: where countries share an adjective ("American"), it is theirs.
    for record in sorted(_countryinfo().values(), key=lambda r: -float(r.get("population") or 0)):
        name = _words(str(record.get("name") or ""))
        if not name:
            continue
        for other in [record.get("name"), *(record.get("altSpellings") or [])]:
            words = _words(str(other or ""))
            if words and not (len(words) == 1 and len(words[0]) <= 2):
                out.setdefault(words, name)
        adjectives.setdefault(_words(str(record.get("demonym") or "")), name)
    adjectives.pop((), None)
    return {**adjectives, **out}


def _words(name: str) -> tuple[str, ...]:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return tuple(_WORD.findall(re.sub(r"['’]s\b|['’]", "", plain)))


@lru_cache(maxsize=1)
def _country_codes() -> dict[tuple[str, ...], str]:
    """Each country's common name's words to its ISO 3166 alpha-2 code."""
    from geodata.gazetteer.sources.countries import _countryinfo

    out: dict[tuple[str, ...], str] = {}
    for code, record in _countryinfo().items():
        out.setdefault(_words(str(record.get("name") or "")), code)
    out.pop((), None)
    return out


def is_country(words: Sequence[str]) -> bool:
    """Whether normalised words name a country and nothing more ("united states", "iraq")."""
    return tuple(words) in _country_codes()


def country_code(name: str) -> str | None:
    """The ISO code of the country a name is ("Britain", "French", "USA"), else ``None``."""
    return _country_codes().get(actor_tokens(name))


_VOWELS = re.compile(r"(?<!^)[aeiouy]")


@lru_cache(maxsize=65_536)
def actor_tokens(name: str) -> tuple[str, ...]:
    """A name's words without accents, case, possessives and titles ("Capt. Bill Urban's" ->
    ("bill", "urban")); a few common aliases ("US", "ISIS") and a country's other names and
    adjective ("American", "United States of America") made one name."""
    words = _words(name)
    while words and (words[0] in _TITLES or words[0] in _LINKS):
        words = words[1:]
    words = _ALIASES.get(words, words)
    words = _country_names().get(words, words)
    return () if words in _AGENCIES else words


def name_parts(name: str) -> list[str]:
    """The actors one name lists: "US and British" is two, "Capt Bill Urban, spokesman for
    the US Central Command" a person and his office."""
    if is_country(actor_tokens(name)):
        return [name]  # "Bosnia and Herzegovina" is one
    return [part for part in _SEPARATORS.split(name) if part]


def _skeleton(word: str) -> str:
    """The word's consonants after its first letter: transliterations of one Arabic or Cyrillic
    name (Hezbollah and Hizballah, Kataib and Kataeb) share it."""
    return _VOWELS.sub("", word)


def same_word(a: str, b: str) -> bool:
    """Two words of names that are one word spelt two ways (Zelensky, Zelenskyy)."""
    if a == b:
        return True
    if min(len(a), len(b)) < 5:
        return False
    skeleton = _skeleton(a)
    return fuzz.ratio(a, b) >= 85 or (len(skeleton) >= 4 and skeleton == _skeleton(b))


@lru_cache(maxsize=65_536)  # the same few names meet again and again across one story's reports
def same_actor(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two normalised names name one actor: the shorter one's words all in the longer
    one, its last word (a surname, a group's head noun) among them ("Urban" and "Bill Urban";
    "Kataib Hezbollah" and "Iran-backed Kataib Hezbollah"; not "Iran" and the latter)."""
    if not a or not b:
        return False
    short, long = sorted((a, b), key=len)
    return same_word(short[-1], long[-1]) and all(any(same_word(w, v) for v in long) for w in short)


def shared_actors(a: Iterable[tuple[str, ...]], b: Iterable[tuple[str, ...]]) -> list[str]:
    """The actors of ``a`` that ``b`` names too, as words joined by spaces."""
    others = list(b)
    return [" ".join(x) for x in a if any(same_actor(x, y) for y in others)]


def normalised_actors(names: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    """The tokens of each actor the names list, the empty ones (titles only, agencies) left out,
    in order, once."""
    tokens = (actor_tokens(part) for name in names for part in name_parts(name))
    return tuple(dict.fromkeys(t for t in tokens if t))


# --- the actor dictionary (geodata/data/actors.yaml) -------------------------------------------


@dataclass(frozen=True)
class KnownActor:
    """An actor of the dictionary: the one name it is listed by, its ACLED type and source."""

    name: str
    type: str
    source: str


class ActorDictionary:
    """The names actors go by, each to one :class:`KnownActor`; names compare without case,
    accents, apostrophes and a leading "the"."""

    def __init__(self, entries: Iterable[tuple[KnownActor, Sequence[str]]]) -> None:
        self._by_key: dict[str, KnownActor] = {}
        exact: list[str] = []  # short capitals ("IS", "KH"): only as written, never the word "is"
        loose: list[str] = []
        for actor, aliases in entries:
            for alias in (actor.name, *aliases):
                self._by_key.setdefault(_key(alias), actor)
                (exact if alias.isupper() and len(alias) <= 4 else loose).append(alias)
        alternatives = sorted(
            [*(_spaced(a) for a in exact), *(f"(?i:{_spaced(a)})" for a in loose)], key=len, reverse=True
        )
        self._pattern = re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])")

    def get(self, name: str) -> KnownActor | None:
        """The actor ``name`` is one of the names of, if any."""
        return self._by_key.get(_key(name))

    def canonical(self, name: str) -> str:
        """The dictionary's name for ``name``, else ``name`` as it is."""
        known = self.get(name)
        return known.name if known is not None else name

    def found_in(self, text: str, start: int = 0, end: int | None = None) -> list[KnownActor]:
        """The known actors ``text[start:end]`` names, in order of first mention, each once."""
        found = (
            self.get(m.group())
            for m in self._pattern.finditer(text, start, len(text) if end is None else end)
        )
        return list(dict.fromkeys(a for a in found if a is not None))


def _key(name: str) -> str:
    words = _words(name)
    return " ".join(words[1:] if words[:1] == ("the",) else words)


def _spaced(alias: str) -> str:
    return r"\s+".join(re.escape(part) for part in alias.split())


def load_actor_dictionary(path: Path) -> ActorDictionary:
    """Read the dictionary file; raise :class:`GeodataError` naming the entry that is wrong."""
    import yaml

    from geodata.errors import GeodataError
    from geodata.model import ACTOR_TYPES

    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise GeodataError(f"cannot read the actor dictionary {str(path)!r}: {err}") from err
    entries = []
    for number, item in enumerate(raw if isinstance(raw, list) else [raw], start=1):
        ok = isinstance(item, dict) and all(isinstance(item.get(k), str) for k in ("name", "type", "source"))
        aliases = item.get("aliases", []) if isinstance(item, dict) else None
        if not ok or not isinstance(aliases, list) or not all(isinstance(a, str) and a for a in aliases):
            raise GeodataError(
                f"{path}: entry {number} needs a name, a type, a source and a list of aliases, not {item!r}"
            )
        if item["type"] not in ACTOR_TYPES:
            raise GeodataError(
                f"{path}: entry {number} ({item['name']!r}): unknown type {item['type']!r}; "
                f"use one of: {', '.join(ACTOR_TYPES)}"
            )
        entries.append((KnownActor(item["name"], item["type"], item["source"]), aliases))
    return ActorDictionary(entries)


@lru_cache(maxsize=1)
def actor_dictionary() -> ActorDictionary:
    """The bundled dictionary, read once per process."""
    from geodata.settings import DEFAULTS

    return load_actor_dictionary(DEFAULTS.actors_file)


@lru_cache(maxsize=65_536)
def canonical_actor(name: str) -> str:
    """The bundled dictionary's name for ``name`` ("coalition forces" is "US-led coalition
    (CJTF-OIR)"), else ``name``."""
    return actor_dictionary().canonical(name)
