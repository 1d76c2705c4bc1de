"""Draft catalogue events from an article: one draft per event, with every sentence it rests on.

Sentences give mentions (``mentions``), mentions of one event are grouped (``grouping``), and
each group becomes a draft: its place the most specific any mention gives (the article's main
country when none does), its date the one that governs a mention ("delivered ... last week"),
else the month before publication marked ``unknown``, its salience and a confidence
(``salience``). Every field keeps the words it was read from and their offsets.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from geodata.extract.article import Article, check_published
from geodata.extract.dates import find_dates
from geodata.extract.event import Where, build_event, dateline_span
from geodata.extract.geoparse import Geoparser, Toponym
from geodata.extract.grouping import Group, group_mentions
from geodata.extract.language import foreign_dates, language_of
from geodata.extract.lexicon import CREDIT
from geodata.extract.mentions import Mention, sentence_mentions
from geodata.extract.places import specificity
from geodata.extract.salience import confidence, features, group_salience, mention_salience
from geodata.extract.sentences import MAX_SENTENCE_CHARS, paragraph_numbers, sentences
from geodata.model import Event
from geodata.settings import DEFAULTS

__all__ = ["MAX_SENTENCE_CHARS", "DraftedEvent", "draft_article", "sentences"]
_T = TypeVar("_T")
#: A lede is the first paragraph whose first sentence has at least this many words.
_LEDE_WORDS = 12


@dataclass(frozen=True)
class DraftedEvent:
    """A drafted event, how sure the drafting is of it (0 to 1), the sentences it rests on
    (``{"text", "start", "end"}`` each, offsets in the article text) and its salience."""

    event: Event
    confidence: float
    evidence: list[dict[str, Any]]
    salience: str
    #: The numbers ``confidence`` was computed from, named by ``geodata.extract.salience.FEATURES``.
    features: tuple[float, ...] = ()

    @property
    def preselected(self) -> bool:
        """Sure enough to be kept unless a reviewer says otherwise."""
        return self.confidence >= DEFAULTS.draft_confidence_threshold


def draft_article(article: Article, parser: Geoparser) -> list[DraftedEvent]:
    """Draft the events of an article (whose ``published`` date must be known, and in the years
    dates are read in), one per event, in the order the article first tells them."""
    if article.published is None:
        raise ValueError("the publication date is needed to resolve relative dates")
    published = check_published(article.published, name=article.title[:80])
    assert published is not None
    text = article.text
    spans = sentences(text)
    places, dates = parser.parse(text, url=article.url), find_dates(text, published)
    language = language_of(text)
    if language != "en":  # dates in words of other languages, where the own rules found none
        taken = [(d.start, d.end) for d in dates]
        dates = sorted(
            [*dates, *(d for d in foreign_dates(text, published, language) if not _overlaps(d, taken))],
            key=lambda d: d.start,
        )
    dateline = dateline_span(text)
    if dateline is not None:
        places = [t for t in places if not dateline[0] <= t.start < dateline[1]]
        dates = [d for d in dates if not dateline[0] <= d.start < dateline[1]]
    lead = _lead(text, spans)
    mentions, saliences = _mentions(text, spans, places, dates, published, lead)
    fallback = _main_country(places, mentions, parser)
    groups = group_mentions(
        mentions, dominant=fallback.entry.country if fallback and fallback.entry else None
    )
    spoken_of = _spoken_of(groups)
    used = _Ids()
    drafts = []
    for group in groups:
        salience = group_salience((saliences[id(m)] for m in group.mentions), group, published)
        if group.date is None and salience == "background":
            continue  # history the article gives no date for: nothing to put on a map
        where = Where(spoken_of[id(group)], "spoken of") if id(group) in spoken_of else None
        where = where or (Where(group.place, "read") if group.place else None)
        where = where or (Where(fallback, "country") if fallback else None)
        if where is None:
            continue
        values = features(group, salience, placed=where.how != "country")
        sure = confidence(values)
        event = build_event(article, text, group, where, published=published, sure=sure, ids=used.take)
        drafts.append(DraftedEvent(event, round(sure, 4), _evidence(text, spans, group), salience, values))
    return drafts


def _overlaps(date: Any, taken: list[tuple[int, int]]) -> bool:
    return any(start < date.end and date.start < end for start, end in taken)


def _mentions(
    text: str,
    spans: list[tuple[int, int]],
    places: list[Toponym],
    dates: list[Any],
    published: dt.date,
    lead: set[int],
) -> tuple[list[Mention], dict[int, str]]:
    place_starts, date_starts = [t.start for t in places], [d.start for d in dates]
    mentions: list[Mention] = []
    saliences: dict[int, str] = {}
    previous: frozenset[str] = frozenset()
    seen: set[str] = set()
    for index, (start, end) in enumerate(spans):
        if end - start > MAX_SENTENCE_CHARS:  # a table or a run-on: no sentence to quote
            previous = frozenset()
            continue
        sentence = text[start:end]
        here = [t for t in _within(places, place_starts, start, end) if t.end <= end]
        found = sentence_mentions(
            sentence,
            start,
            index,
            places=here,
            dates=[d for d in _within(dates, date_starts, start, end) if d.end <= end],
            previous=previous,
            seen=frozenset(seen),
        )
        for mention in found:
            salience = mention_salience(mention, sentence, published, lead=index in lead)
            mention = replace(mention, background=salience == "background")
            saliences[id(mention)] = salience
            mentions.append(mention)
        previous = frozenset(m.kind for m in found)
        seen |= previous
    return mentions, saliences


def _within(items: list[_T], starts: list[int], start: int, end: int) -> list[_T]:
    """The items (sorted by ``starts``) that start in ``[start, end)``."""
    return items[bisect_left(starts, start) : bisect_left(starts, end)]


def _lead(text: str, spans: list[tuple[int, int]]) -> set[int]:
    """The sentences of the headline and the lede: those before the first paragraph that opens
    with a full sentence, and that sentence; image captions are not."""
    paragraphs = paragraph_numbers(text, spans)
    captions = {paragraphs[i] for i, (s, e) in enumerate(spans) if CREDIT.search(text[s:e])}
    lead: set[int] = set()
    for i, (start, end) in enumerate(spans):
        if paragraphs[i] in captions:
            continue
        lead.add(i)
        first = i == 0 or paragraphs[i - 1] != paragraphs[i]
        if first and len(text[start:end].split()) >= _LEDE_WORDS:
            break
    return lead


def _main_country(places: list[Toponym], mentions: list[Mention], parser: Geoparser) -> Toponym | None:
    """The first mention of the country the article's events happen in most, weighing towns and
    sites above countries (else the country it names most, counting places inside it); the
    gazetteer's entry for it where the article names no more than places inside it."""
    # a named town or site says more than a country named in passing ("near the Syrian border")
    told: Counter[str | None] = Counter()
    for m in mentions:
        if m.place is not None and m.place.entry is not None:
            told[m.place.entry.country] += specificity(m.place)
    named = Counter(t.entry.country for t in places if t.entry is not None and t.entry.country)
    code = next((c for counts in (told, named) for c, _ in counts.most_common() if c), None)
    if code is None:
        return None
    found = _country(places, code)
    if found is None:
        entry = parser.gazetteer.lookup(code)
        if entry is not None and entry.kind == "country" and entry.country == code:
            found = Toponym(0, 0, entry.name, entry)  # named nowhere: no words to point at
    return found


def _country(places: list[Toponym], code: str | None) -> Toponym | None:
    """The first place of ``places`` that is the country ``code``."""
    kinds = (t for t in places if t.entry is not None and t.entry.kind == "country")
    return next((t for t in kinds if t.entry is not None and t.entry.country == code), None) if code else None


def _spoken_of(groups: list[Group]) -> dict[int, Toponym]:
    """Where each statement that names no place after "in", "at" ... is placed: where the first
    event it speaks of happened (Biden on the strikes in Yemen: there)."""
    told = {(m.sentence, m.cue): g for g in groups if g.family != "speech" for m in g.mentions}
    out: dict[int, Toponym] = {}
    for group in groups:
        if group.family != "speech" or any(m.located for m in group.mentions):
            continue  # a statement that says where ("... in Iraq") is placed there
        about = (told.get((m.sentence, cue)) for m in group.mentions for cue in m.about)
        where = next((g.place for g in about if g is not None and g.place is not None), None)
        if where is not None:
            out[id(group)] = where
    return out


def _evidence(text: str, spans: list[tuple[int, int]], group: Group) -> list[dict[str, Any]]:
    numbers = sorted({m.sentence for m in group.mentions})
    return [
        {"text": text[spans[n][0] : spans[n][1]], "start": spans[n][0], "end": spans[n][1]} for n in numbers
    ]


class _Ids:
    """The event ids given so far: a slug, then slug-2, slug-3 ... for the next events that have
    it. The count goes on per slug: trying every number from 2 again for each event made
    drafting quadratic in the events of one place, type and date (a long list of reports)."""

    def __init__(self) -> None:
        self._used: set[str] = set()
        self._next: dict[str, int] = {}

    def take(self, base: str) -> str:
        event_id, n = base, self._next.get(base, 2)
        if event_id in self._used:
            while (event_id := f"{base}-{n}") in self._used:
                n += 1
            self._next[base] = n + 1
        self._used.add(event_id)
        return event_id
