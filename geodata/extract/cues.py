"""What the words between and around place names say about them.

Four cues a reader uses without thinking, each read from the text, not from any one place:

- a qualifier: "Atlanta, Georgia", "London, Ontario": a name right after a comma that
  contains the name before it (so Georgia is the state, and London the Canadian city);
- a list: "Arizona, California, Oregon and Washington": names listed together are alike,
  places of one kind in one country;
- a kind word: "Washington state", "the state of Victoria", "Quebec city";
- a country named in the same sentence: "In Canada, ... in Alberta, Ontario and New Brunswick".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from geodata.gazetteer import Entry

_COMMA = re.compile(r"[ \t]*,[ \t]*")
_LISTED = re.compile(r"[ \t]*,?[ \t]+(?:and|or|&)[ \t]+|[ \t]*/[ \t]*")
_REGION_WORDS = r"(?:state|province|county|region|governorate|prefecture|oblast|territory)"
_REGION_AFTER = re.compile(r"[ \t]+" + _REGION_WORDS + r"\b")
_REGION_BEFORE = re.compile(r"\b" + _REGION_WORDS + r"\s+of\s+(?:the\s+)?$")
_TOWN_AFTER = re.compile(r"[ \t]+(?:city|town)\b")
_TOWN_BEFORE = re.compile(r"\b(?:city|town|village)\s+of\s+$")
_LOOK_BACK = 40
#: Where a sentence ends, in the text between two names: a question or exclamation mark, or a
#: full stop after a word of three letters or digits or more (not "U.S.", "Mr.", "St."), then
#: any closing quote or bracket and a space before a capital; or a line break.
_SENTENCE_END = re.compile(r"(?:(?<=[a-z0-9]{3})\.|[!?])[\"'’”)\]]*\s+(?=[A-Z\"'“‘(])|\n")

#: Score added to a reading its kind word points to, to both readings of a qualifier pair, and
#: (in full) to a reading of the same kind, and of the same country, as every other list item.
KIND_WORD = 4.0
QUALIFIER = 6.0
#: Share of those first two that other mentions of the same name, with no cue of their own, get.
SAME_NAME = 0.5
LIST_KIND = 2.0
LIST_COUNTRY = 2.0
#: Score added to a reading in a country the same sentence names ("In Canada, ... Alberta,
#: Ontario and New Brunswick"), as much as a list's agreement on the country.
SENTENCE_COUNTRY = LIST_COUNTRY


class Reading(Protocol):
    @property
    def entry(self) -> Entry: ...
    @property
    def prior(self) -> float: ...


@dataclass(frozen=True)
class Cues:
    """The cues of one text's spans, by span index (spans in text order)."""

    #: For each pair of neighbouring spans, how the text joins them: "comma", "list" or None.
    links: tuple[str | None, ...]
    #: The kind a span's own words point to ("region" or "city"), where they point to one.
    kinds: dict[int, str]
    #: The sentence of each span (a count of sentence ends before it).
    sentences: tuple[int, ...] = ()


def read_cues(text: str, spans: Sequence[tuple[int, int]]) -> Cues:
    """The joins, kind words and sentences of ``spans`` (sorted, not overlapping) in ``text``."""
    links: list[str | None] = []
    kinds: dict[int, str] = {}
    sentences: list[int] = []
    sentence = 0
    for i, (start, end) in enumerate(spans):
        kind = _kind_word(text, start, end)
        if kind:
            kinds[i] = kind
        sentences.append(sentence)
        if i + 1 < len(spans):
            gap = text[end : spans[i + 1][0]]
            links.append("comma" if _COMMA.fullmatch(gap) else "list" if _LISTED.fullmatch(gap) else None)
            if _SENTENCE_END.search(text, end, spans[i + 1][0] + 1):  # the next name's capital too
                sentence += 1
    return Cues(tuple(links), kinds, tuple(sentences))


def _kind_word(text: str, start: int, end: int) -> str | None:
    before = text[max(0, start - _LOOK_BACK) : start]
    if _REGION_AFTER.match(text, end) or _REGION_BEFORE.search(before):
        return "region"
    if _TOWN_AFTER.match(text, end) or _TOWN_BEFORE.search(before):
        return "city"
    return None


def fixed_bonuses(
    cues: Cues, names: Sequence[str], options: Sequence[Sequence[Reading]]
) -> tuple[list[dict[str, float]], set[int]]:
    """Per span, the score each reading (by entry id) gains from kind words and qualifiers, its
    own or (in part) another mention's of the same name; and the links that turned out to be
    qualifiers (so not list joins)."""
    bonuses: list[dict[str, float]] = [{} for _ in options]
    for i, kind in cues.kinds.items():
        for reading in options[i]:
            if reading.entry.kind == kind:
                bonuses[i][reading.entry.id] = KIND_WORD
    qualified = set()
    for i, link in enumerate(cues.links):
        if link != "comma":
            continue
        pairs = [
            (a.prior + b.prior, a.entry.id, b.entry.id)
            for a in options[i]
            for b in options[i + 1]
            if b.entry.contains(a.entry)
        ]
        if pairs:
            _, inner, outer = max(pairs)
            bonuses[i][inner] = bonuses[i].get(inner, 0.0) + QUALIFIER
            bonuses[i + 1][outer] = bonuses[i + 1].get(outer, 0.0) + QUALIFIER
            qualified.add(i)
    _share_by_name(names, bonuses)
    return bonuses, qualified


def add_sentence_countries(
    cues: Cues, options: Sequence[Sequence[Reading]], named: dict[int, str], bonuses: list[dict[str, float]]
) -> None:
    """A place is read in the country its sentence names: the country of the text as a whole
    (the United States, in a report that lists 16 states) is not that of every sentence.

    ``named`` maps the mentions that surely name a country to its code; every other reading in
    that country, in the same sentence, gains ``SENTENCE_COUNTRY`` (added to ``bonuses``).
    """
    by_sentence: dict[int, set[str]] = {}
    for i, country in named.items():
        by_sentence.setdefault(cues.sentences[i], set()).add(country)
    if not by_sentence:
        return
    for i, choices in enumerate(options):
        here = by_sentence.get(cues.sentences[i])
        if here:
            for reading in choices:
                if reading.entry.kind != "country" and reading.entry.country in here:
                    bonuses[i][reading.entry.id] = bonuses[i].get(reading.entry.id, 0.0) + SENTENCE_COUNTRY


def _share_by_name(names: Sequence[str], bonuses: list[dict[str, float]]) -> None:
    """A name keeps its sense through a text: "New York state ... New York has 28 cases"."""
    by_name: dict[str, dict[str, float]] = {}
    for name, bonus in zip(names, bonuses, strict=True):
        for entry_id, value in bonus.items():
            shared = by_name.setdefault(name, {})
            shared[entry_id] = max(shared.get(entry_id, 0.0), value)
    for i, name in enumerate(names):
        if not bonuses[i] and name in by_name:
            bonuses[i] = {entry_id: SAME_NAME * value for entry_id, value in by_name[name].items()}


def list_groups(cues: Cues, qualified: set[int]) -> list[list[int]]:
    """Runs of spans listed together, split where a comma turned out to be a qualifier."""
    groups: list[list[int]] = []
    current: list[int] = []
    for i, link in enumerate(cues.links):
        if link is not None and i not in qualified:
            current = current or [i]
            current.append(i + 1)
        elif current:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def _alike(entry: Entry, kinds: Counter[str], countries: Counter[str | None], siblings: int) -> float:
    """What a reading gains from being like the other items of its list: ``LIST_KIND`` times the
    share of them of its kind, plus ``LIST_COUNTRY`` times the share in its country."""
    if not siblings:
        return 0.0
    return (LIST_KIND * kinds[entry.kind] + LIST_COUNTRY * countries[entry.country]) / siblings


def with_list_bonuses(
    fixed: Sequence[dict[str, float]],
    groups: list[list[int]],
    best: Sequence[Entry | None],
    options: Sequence[Sequence[Reading]],
) -> list[dict[str, float]]:
    """``fixed`` plus what each reading gains from its list, given the current best readings.

    The kinds and countries of a list are counted once, and each item's own taken away: a
    list of hundreds of names (a table pasted as text) costs no more than its length.
    """
    extra = list(fixed)  # each list item's dict copied before it gains (an item is in one list)
    for group in groups:
        present = [e for k in group if (e := best[k]) is not None]
        kinds = Counter(e.kind for e in present)
        countries = Counter(e.country for e in present)
        for i in group:
            extra[i] = dict(fixed[i])
            own = best[i]
            if own is not None:
                kinds[own.kind] -= 1
                countries[own.country] -= 1
            for reading in options[i]:
                key = reading.entry.id
                extra[i][key] = extra[i].get(key, 0.0) + _alike(
                    reading.entry, kinds, countries, len(present) - (own is not None)
                )
            if own is not None:
                kinds[own.kind] += 1
                countries[own.country] += 1
    return extra
