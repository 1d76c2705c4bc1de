"""Draft catalogue events from an article: sentence by sentence, with the evidence for each field.

A sentence becomes a draft of each event type whose cue words it holds (a Patriot battery
"delivered", a base "handed over", rockets that "killed", a "warning"...). Its date is the date
expression the sentence gives (a date next to "said" dates a statement, not the event it
reports), else the month before publication, marked unknown. Its place is the most specific
place the sentence names, ties going to the country the article is most about. Every field
keeps the words it was read from, their offsets in the text and a confidence.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from typing import TypeVar

from geodata.extract.article import Article, check_published
from geodata.extract.dates import DateMention, days_before, find_dates
from geodata.extract.geoparse import Geoparser, Toponym
from geodata.gazetteer import PRECISION_OF_KIND
from geodata.model import DateSpan, Event, Evidence, Place, Provenance, Source
from geodata.taxonomy import EVENT_TYPES

#: (type, cue, confidence). A cue is searched case-insensitively within one sentence.
_AIR_DEFENCE = r"\b(?:patriot|air[- ]defen[cs]es?|missile[- ]defen[cs]es?|c-ram|thaad|iron dome|s-[34]00)\b"
CUES: list[tuple[str, re.Pattern[str], float]] = [
    (
        "air_defence_deployment",
        re.compile(
            _AIR_DEFENCE
            + r".*?\b(?:deliver|deploy|ship|install|arriv|assembl|build|establish|station|sent|moved)|"
            r"\b(?:deliver|deploy|ship|install|build|establish|station)\w*\b.{0,40}?" + _AIR_DEFENCE,
            re.I,
        ),
        0.8,
    ),
    (
        "base_handover",
        re.compile(
            r"\b(?:hand(?:ed|ing|s)?[- ]?over|transferr?(?:ed|ing)?\b.{0,60}\bbase|withdr(?:aw|ew|awn|awing)|"
            r"pull(?:ed|ing)? out|left\b.{0,40}\bbases?|evacuat)",
            re.I,
        ),
        0.75,
    ),
    (
        "attack",
        re.compile(
            r"\b(?:attacks? on|attacked|rockets?|mortars?|shell(?:ed|ing)|struck|bomb(?:ed|ing)|"
            r"drone strikes?|air ?strikes?|ambush(?:ed)?|killed|wounded|injured)\b",
            re.I,
        ),
        0.7,
    ),
    (
        "warning",
        re.compile(
            r"\b(?:warn(?:ed|s|ing)?|threat(?:en(?:ed|s)?)?|will pay|heavy price|sneak attack|ultimatum)\b",
            re.I,
        ),
        0.75,
    ),
    (
        "troop_movement",
        re.compile(
            r"\b(?:troops?|forces|soldiers)\b.{0,60}\b(?:moved|redeploy(?:ed)?|relocat(?:ed|ing)|"
            r"reposition(?:ed)?|consolidat(?:ed|ing)|sent|deployed)\b",
            re.I,
        ),
        0.65,
    ),
    (
        "statement",
        re.compile(
            r"\b(?:said|says|told|stated|announced|confirmed|statement|spokes(?:man|woman|person))\b", re.I
        ),
        0.6,
    ),
]
#: A deployment verb in a sentence right after a deployment ("Another was shipped to Erbil").
_CONTINUED = re.compile(
    r"\b(?:another|also|second|the other|a further)\b.{0,60}"
    r"\b(?:deliver|deploy|ship|install|arriv|sent)\w*",
    re.I,
)
_NOT_AN_ATTACK = re.compile(r"\b(?:plan(?:ning|s|ned)?|threat|sneak|warn|would|could|if)\b", re.I)
_SPEECH = re.compile(r"\b(?:said|says|told|stated|announced|confirmed|warned|wrote|tweeted)\b", re.I)
_SENTENCE_END = re.compile(
    r"(?<!\b[A-Z])(?<!\bMr)(?<!\bMrs)(?<!\bDr)(?<!\bCapt)(?<!\bGen)(?<!\bSt)"
    r"[.!?][\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n\s*\n|\n(?=\S)"
)
_ACTOR = re.compile(
    r"\b(?:[A-Z][\w.’'&-]*(?:\s+(?:of|the|for|and)\s+|\s+)){1,5}[A-Z][\w.’'&-]*|\b[A-Z]{3,7}\b"
)
#: A longer "sentence" is a table, a list or text without full stops: not drafted.
MAX_SENTENCE_CHARS = 1200
_T = TypeVar("_T")
_SPECIFICITY = {"site": 5, "city": 4, "region": 3, "country": 2, "continent": 1}


@dataclass(frozen=True)
class Draft:
    """A drafted event and the sentence it came from."""

    event: Event
    sentence: str


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of ``text``."""
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        end = m.start() + 1 if text[m.start()] in ".!?" else m.start()
        if text[start:end].strip():
            spans.append(_trim(text, start, end))
        start = m.end()
    if text[start:].strip():
        spans.append(_trim(text, start, len(text)))
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _types(sentence: str, previous: set[str]) -> list[tuple[str, re.Match[str], float]]:
    found = []
    for key, cue, confidence in CUES:
        match = cue.search(sentence)
        if match is None:
            continue
        if key == "attack" and _NOT_AN_ATTACK.search(sentence[max(0, match.start() - 40) : match.end()]):
            continue
        found.append((key, match, confidence))
    keys = {k for k, _, _ in found}
    continued = _CONTINUED.search(sentence)
    if continued and "air_defence_deployment" in previous and "air_defence_deployment" not in keys:
        found.append(("air_defence_deployment", continued, 0.55))
    if "warning" in keys:  # a warning is the statement
        found = [f for f in found if f[0] != "statement"]
    return found


def _speech_date(sentence: str, mention: DateMention, offset: int) -> bool:
    """True when a date sits next to a reporting verb ("said on Thursday", "on Thursday said")."""
    start, end = mention.start - offset, mention.end - offset
    window = sentence[max(0, start - 25) : min(len(sentence), end + 25)]
    return bool(_SPEECH.search(window))


def _date_for(
    kind: str, sentence: str, offset: int, mentions: list[DateMention], published: dt.date
) -> tuple[DateSpan, Evidence | None]:
    speech = kind in ("statement", "warning")
    usable = [m for m in mentions if _speech_date(sentence, m, offset) == speech] or (
        [m for m in mentions if not _speech_date(sentence, m, offset)] if not speech else []
    )
    if usable:
        m = usable[0]
        return (
            DateSpan(start=m.first, end=m.last, precision=m.precision),  # type: ignore[arg-type]
            Evidence(text=m.text, start=m.start, end=m.end, confidence=m.confidence),
        )
    # Reported events precede their report; with no date given, allow the month before it.
    return DateSpan(start=days_before(published, 30), end=published, precision="unknown"), None


def _place_for(found: list[Toponym], dominant: str | None) -> Toponym | None:
    located = [t for t in found if t.entry is not None]
    if not located:
        return None
    return max(
        located,
        key=lambda t: (
            _SPECIFICITY.get(t.entry.kind, 0),  # type: ignore[union-attr]
            t.entry.country == dominant,  # type: ignore[union-attr]
            -t.start,
        ),
    )


def _actors(sentence: str, offset: int, places: list[Toponym]) -> list[str]:
    taken = [(t.start - offset, t.end - offset) for t in places]
    out: list[str] = []
    for m in _ACTOR.finditer(sentence):
        if any(m.start() < e and s < m.end() for s, e in taken):
            continue
        name = re.sub(r"^(?:The|A|An|In|On|At|But|And)\s+", "", m.group())
        name = re.sub(r"['’]s$", "", name).strip(" .’'")
        if (len(name) > 2 and " " in name) or (name.isupper() and len(name) >= 3):
            out.append(name)
    return list(dict.fromkeys(out))[:6]


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


def _slug(*parts: str) -> str:
    text = "-".join(p for p in parts if p)
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:90] or "event"


def draft_events(article: Article, parser: Geoparser) -> list[Draft]:
    """Draft events from an article (whose ``published`` date must be known, and in the years
    dates are read in)."""
    if article.published is None:
        raise ValueError("the publication date is needed to resolve relative dates")
    text, published = article.text, check_published(article.published, name=article.title[:80])
    assert published is not None
    places = parser.parse(text)  # in text order, as are the date mentions
    countries = Counter(t.entry.country for t in places if t.entry is not None and t.entry.country)
    dominant = countries.most_common(1)[0][0] if countries else None
    mentions = find_dates(text, published)
    place_starts = [t.start for t in places]
    mention_starts = [m.start for m in mentions]
    drafts: list[Draft] = []
    used = _Ids()
    previous: set[str] = set()
    for start, end in sentences(text):
        if end - start > MAX_SENTENCE_CHARS:  # a table or a run-on: no sentence to quote
            previous = set()
            continue
        sentence = text[start:end]
        kinds = _types(sentence, previous)
        previous = {k for k, _, _ in kinds}
        if not kinds:
            continue
        here = [t for t in _within(places, place_starts, start, end) if t.end <= end]
        place = _place_for(here, dominant)
        if place is None:
            continue
        dates = [m for m in _within(mentions, mention_starts, start, end) if m.end <= end]
        for key, cue, confidence in kinds:
            event = _draft(article, sentence, (start, end), key, cue, confidence, place, dates, here, used)
            drafts.append(Draft(event, sentence))
    return drafts


def _within(items: list[_T], starts: list[int], start: int, end: int) -> list[_T]:
    """The items (sorted by ``starts``) that start in ``[start, end)``."""
    return items[bisect_left(starts, start) : bisect_left(starts, end)]


def _draft(
    article: Article,
    sentence: str,
    span: tuple[int, int],
    key: str,
    cue: re.Match[str],
    confidence: float,
    place: Toponym,
    mentions: list[DateMention],
    here: list[Toponym],
    used: _Ids,
) -> Event:
    start, end = span
    published = article.published
    assert published is not None
    date, date_evidence = _date_for(key, sentence, start, mentions, published)
    entry = place.entry
    assert entry is not None
    place_confidence = 0.85 if entry.kind in ("site", "country") else 0.65
    fields = {
        "type": Evidence(
            text=cue.group()[:200], start=start + cue.start(), end=start + cue.end(), confidence=confidence
        ),
        "place": Evidence(text=place.name, start=place.start, end=place.end, confidence=place_confidence),
    }
    if date_evidence is not None:
        fields["date"] = date_evidence
    event_id = used.take(_slug(key, entry.name, date.start.isoformat()))
    sure = min(f.confidence for f in fields.values()) >= 0.7 and date_evidence is not None
    return Event(
        id=event_id,
        type=key,
        title=f"{EVENT_TYPES[key].label}: {entry.name}",
        summary=" ".join(sentence.split())[:600],
        date=date,
        place=Place(
            name=place.name,
            canonical=entry.name,
            country=entry.country,
            geo_precision=PRECISION_OF_KIND[entry.kind],  # type: ignore[arg-type]
        ),
        actors=_actors(sentence, start, here),
        confidence="medium" if sure else "low",
        inference=None if date_evidence else "No date in the sentence: the month before publication.",
        source=Source(
            publisher=article.publisher,
            title=article.title,
            url=article.url,
            published=published,
            quote=" ".join(sentence.split()),
        ),
        provenance=Provenance(start=start, end=end, fields=fields),
    )
