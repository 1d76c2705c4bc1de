"""Place-name keys that survive spelling, case, diacritics and transliteration.

Three keys of decreasing strictness are made for every name:

``exact``
    case-folded, diacritics and apostrophes removed, punctuation as spaces.
``loose``
    ``exact`` without Arabic articles (al-, el-, ash- ...) and generic words (base, camp,
    governorate ...), so "Al Asad Airbase" and "Asad" meet.
``skeleton``
    ``loose`` without vowels, doubled letters collapsed and q spelt k, so "Erbil", "Irbil"
    and "Arbil" meet, as do "Assad" and "Asad".
"""

from __future__ import annotations

import re
import unicodedata

ARTICLES = frozenset({"al", "el", "ad", "ar", "as", "at", "az", "ash", "an", "ath", "adh", "ul", "the"})
#: Words that say what kind of place it is, not which one.
FACILITY_WORDS = frozenset(
    {
        "base",
        "airbase",
        "air",
        "airfield",
        "airport",
        "camp",
        "fort",
        "garrison",
        "compound",
        "barracks",
        "outpost",
        "complex",
        "palace",
        "embassy",
        "consulate",
        "headquarters",
        "hq",
        "station",
        "installation",
        "range",
        "facility",
        "international",
        "military",
        "naval",
        "port",
        "harbour",
        "harbor",
    }
)
REGION_WORDS = frozenset(
    {
        "governorate",
        "province",
        "region",
        "district",
        "state",
        "oblast",
        "muhafazat",
        "wilayat",
        "county",
        "prefecture",
        "department",
        "territory",
        "autonomous",
        "sheng",
        "zizhiqu",  # Chinese province, autonomous region, as GeoNames spells them
    }
)
GENERIC_WORDS = FACILITY_WORDS | REGION_WORDS | frozenset({"city", "town", "village", "of"})
_STOP_WORDS = ARTICLES | GENERIC_WORDS

# Apostrophes vanish ("Qa'im" = "Qaim"); punctuation separates words ("Al-Asad" = "Al Asad").
_FOLD_TABLE = {
    **dict.fromkeys(map(ord, "'’‘`´ʿʾʼʻ′\""), None),
    **dict.fromkeys(map(ord, "-‐‑–—_.,;:/()[]{}!?&+*|#@"), " "),
}
_SKELETON_TABLE = {**dict.fromkeys(map(ord, "aeiouy"), None), ord("q"): "k"}
_DOUBLES = re.compile(r"(.)\1+")


def exact_key(name: str) -> str:
    """Case-folded, accent-free, apostrophe-free words separated by single spaces."""
    if not name.isascii():
        decomposed = unicodedata.normalize("NFKD", name)
        name = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(name.casefold().translate(_FOLD_TABLE).split())


def words(name: str) -> list[str]:
    """The words of :func:`exact_key`."""
    key = exact_key(name)
    return key.split() if key else []


def loose_key(name: str) -> str:
    """``exact_key`` without articles and generic words (kept if nothing else is left)."""
    return _loose_from_words(words(name))


def _loose_from_words(tokens: list[str]) -> str:
    kept = [t for t in tokens if t not in ARTICLES and t not in GENERIC_WORDS]
    if not kept:
        kept = [t for t in tokens if t not in ARTICLES] or tokens
    return " ".join(kept)


def skeleton_key(name: str) -> str:
    """Consonant skeleton of ``loose_key``: vowels dropped, doubles collapsed, q as k."""
    return _skeleton_from_loose(loose_key(name))


def _skeleton_from_loose(loose: str) -> str:
    if not loose or not loose.isascii():
        return loose  # transliteration variants are a Latin-script matter
    parts = loose.replace("ph", "f").translate(_SKELETON_TABLE).split(" ")
    if "" in parts:  # a word made only of vowels ("Ai") keeps its letters rather than vanish
        parts = [part or word for part, word in zip(parts, loose.split(" "), strict=True)]
    skeleton = " ".join(parts)
    return _DOUBLES.sub(r"\1", skeleton) if _DOUBLES.search(skeleton) else skeleton


def keys(name: str) -> tuple[str, str, str]:
    """``(exact, loose, skeleton)`` keys of a name."""
    exact = exact_key(name)
    if not exact.isascii():
        return exact, exact, exact  # articles and vowels are handled for Latin script only
    tokens = exact.split(" ")
    loose = exact if _STOP_WORDS.isdisjoint(tokens) else _loose_from_words(tokens)
    return exact, loose, _skeleton_from_loose(loose)


def has_facility_word(name: str) -> bool:
    """True when the name says it is a facility ("... Air Base", "Camp ...")."""
    return any(t in FACILITY_WORDS for t in words(name))


def has_region_word(name: str) -> bool:
    """True when the name says it is a region ("... Governorate", "... Province")."""
    return any(t in REGION_WORDS for t in words(name))
