"""Where an event happened, as its sentence says: the place named near its words.

The most specific place named near the event's words wins, best one after "in", "at", "to",
"near"; a country named as an adjective ("US troops", "Iraqi government") or possessor ("Iraq's
sovereignty"), or a country or town that opens its clause and acts ("Washington blamed"), is who
did something, not where.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from geodata.coords import haversine_km
from geodata.extract.geoparse import Toponym
from geodata.extract.governance import clause_of
from geodata.extract.speech import Speech

NEAR_KM = 15.0
_VAGUE = ("country", "continent", "region")
SPECIFICITY = {"site": 5, "city": 4, "region": 3, "country": 2, "continent": 1}
_LOCATIVE = re.compile(
    r"\b(?:in|at|to|into|near|across|outside|inside|around|off|over|toward|towards|on)\s+"
    r"(?:the\s+)?(?-i:(?:(?!(?:that|which|who|and|or|said|says)\b)[a-z][\w-]*\s+){0,2})$",
    re.IGNORECASE,
)
_OPENING = re.compile(
    r"(?i)\b(?:the|and|but|so|then|that|which|who|when|after|before|while|because|as|although|though)\b|[\W_]"
)
#: Seas, gulfs and straits are as large as a country: no more specific than one.
_WATERS = frozenset({"sea", "gulf", "strait", "ocean", "bay", "channel"})
_FROM = re.compile(r"\b(?:from|out of)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
_NAME_AFTER = re.compile(r"^[ \t]+(?!(?:and|or|on|in|at)\b)[A-Z][a-z]")
_POSSESSIVE = re.compile(r"^['’]s\s")
_BEFORE_NOUN = re.compile(
    r"^\s+(?:(?:and|or)\s+[\w-]+\s+)?(?!(?:in|on|at|to|of|and|or|near|with|for|from|by|as|is|was|were|are|has|had|have|will|would|"
    r"which|that|who|where|when|after|before|said|says|north|south|east|west)\b)[a-z]"
)
#: After an adjective of place, nouns that keep it a place: "Iraqi bases", "Syrian border".
_PLACE_NOUN = re.compile(
    r"^(?:['’]s)?\s+(?:[\w-]+\s+)?(?:bases?|air ?bases?|airfields?|camps?|border|soil|territory|capital|"
    r"cities|city|towns?|villages?|provinces?|regions?|coast|waters|airspace|side|ports?|facilit(?:y|ies)|outposts?)\b"
)
_VERB_AFTER = re.compile(
    r"^\s+(?:and\s+\w+\s+)?(?:(?:is|was|were|are)\s+\w+ing\b|(?!is\b|was\b|were\b|are\b)[a-z]+)"
)


def event_place(
    sentence: str,
    offset: int,
    anchor: int,
    places: Sequence[Toponym],
    frames: Sequence[Speech],
    ends: list[int],
    *,
    moving: bool = False,
) -> tuple[Toponym | None, float]:
    """The place of an event word and how plainly it is its place: the most specific place named
    near it, best after "in", "at", "to" (and "from" for a move: ``moving``); not one in a
    speaker's name, and not one used as an adjective ("US troops", "Iraq's sovereignty")."""
    best, best_score = None, float("-inf")
    clause = clause_of(ends, anchor)
    for t in places:
        if t.entry is None:
            continue
        at = t.start - offset
        if any(
            f.speaker_side[0] <= at < f.speaker_side[1] and not f.content[0] <= at < f.content[1]
            for f in frames
        ):
            continue
        before = sentence[max(0, at - 30) : at]
        locative = bool(_LOCATIVE.search(before) or (moving and _FROM.search(before)))
        after = sentence[t.end - offset : t.end - offset + 12].removeprefix(".")  # "U.S." read as "U.S"
        if (_attributive(t, after) and not _PLACE_NOUN.match(after)) or (
            not locative and (_actor(sentence, ends, at, after, t.entry.kind) or _in_a_name(t, after))
        ):
            continue  # "US troops", "Iraq's sovereignty", "The United States answered": who, not where
        score = float(specificity(t)) + 2.0 * locative
        score += 1.0 * (clause_of(ends, at) == clause) - abs(at - anchor) / 400
        if score > best_score:
            best, best_score = t, score
    return best, (best_score if best is not None else 0.0)


def specificity(toponym: Toponym) -> int:
    """How small a place is, 5 (a site) to 1 (a continent); a sea counts as a country, a region
    of several countries as a continent."""
    entry = toponym.entry
    if entry is None:
        return 0
    if entry.feature in _WATERS:
        return 2
    if entry.kind == "region" and entry.country is None:
        return 1  # "the Middle East", "the Sahel": larger than a country
    return SPECIFICITY.get(entry.kind, 0)


def after_preposition(sentence: str, offset: int, toponym: Toponym) -> bool:
    """The place follows "in", "at", "to", "near" ...: where something is, not who."""
    at = toponym.start - offset
    return bool(_LOCATIVE.search(sentence[max(0, at - 30) : at]))


def _in_a_name(toponym: Toponym, after: str) -> bool:
    """A country that begins a longer name: "US Central Command", "Iraq Security Media Cell"."""
    return toponym.entry is not None and toponym.entry.kind == "country" and bool(_NAME_AFTER.match(after))


def _attributive(toponym: Toponym, after: str) -> bool:
    """A country named as an adjective ("US troops", "Iraqi government") or possessor ("Iraq's
    sovereignty"): who, not where."""
    entry = toponym.entry
    if entry is None or entry.kind != "country":
        return False
    if _POSSESSIVE.match(after):
        return True
    name = toponym.name
    adjective = name.isupper() or (name.lower() != entry.name.lower() and name not in entry.aliases)
    return adjective and bool(_BEFORE_NOUN.match(after))


def _actor(sentence: str, ends: list[int], at: int, after: str, kind: str) -> bool:
    """A country or town that opens its clause and does something ("Washington blamed")."""
    start = max([e for e in ends if e <= at] or [0])
    opening = not _OPENING.sub("", sentence[start:at])
    return kind != "site" and opening and bool(_VERB_AFTER.match(after))


def places_agree(a: Toponym | None, b: Toponym | None) -> bool:
    """Whether two places may be where one event happened: the same, one a country (or region)
    the other lies in, or within ``NEAR_KM``."""
    if a is None or b is None or a.entry is None or b.entry is None:
        return True
    if a.entry.id == b.entry.id:
        return True
    if (a.entry.kind in _VAGUE or b.entry.kind in _VAGUE) and a.entry.country == b.entry.country:
        return True
    return haversine_km(a.entry.lat, a.entry.lon, b.entry.lat, b.entry.lon) <= NEAR_KM
