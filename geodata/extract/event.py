"""Turn a group of mentions into a catalogue event, each field with the words it was read from."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from geodata.actors import actor_dictionary, country_code
from geodata.extract.article import Article
from geodata.extract.dates import days_before
from geodata.extract.geoparse import Toponym
from geodata.extract.grouping import Group
from geodata.extract.lexicon import DATELINE
from geodata.extract.mentions import REPORTED_DAYS, Mention
from geodata.extract.places import specificity
from geodata.extract.speech import same_speaker, speaker_key
from geodata.gazetteer import PRECISION_OF_KIND
from geodata.model import DateSpan, Event, Evidence, Place, Provenance, Source
from geodata.taxonomy import EVENT_TYPES

#: The longest quote kept: whole sentences, at least one.
MAX_QUOTE_CHARS = 1000
_ACTOR = re.compile(
    r"\b(?:[A-Z][\w.’'&-]*(?:\s+(?:of|the|for|and)\s+|\s+)){1,5}[A-Z][\w.’'&-]*|\b[A-Z]{3,7}\b"
)
#: A capitalised word: a country named by one word may be a party to the event.
_ONE_WORD = re.compile(r"\b[A-Z][a-z]{2,}\b")
#: An undated statement in a report was made at most this many days before publication.
SPOKEN_DAYS = 1
_INFERENCE = {
    "spoken": "Not dated in the article: said by the day it was published, or the day before.",
    "sentence": "Dated by the date the sentence gives another event it tells.",
    "said": "Reported by a speaker on that date and not dated: the week before.",
    "announced": "Dated by its announcement.",
    "": "No date for it in the article: the month before publication.",
}


@dataclass(frozen=True)
class Where:
    """The place an event is put at and how it was found: "read" from its sentences, "spoken of"
    (a statement, where the events it speaks of are) or the article's main "country"."""

    place: Toponym
    how: str


def build_event(
    article: Article,
    text: str,
    group: Group,
    where: Where,
    *,
    published: dt.date,
    sure: float,
    ids: Callable[[str], str],
) -> Event:
    """The event of ``group``, placed at ``where``."""
    place, head, dated = where.place, _head(group), group.dated
    date, date_evidence = _date(dated, published, spoken=group.family == "speech")
    entry = place.entry
    assert entry is not None
    # The speaker named most fully ("Capt Bill Urban, spokesman for ..." over "he")
    speaker = max(
        (m.speaker for m in group.mentions if m.speaker_key), key=lambda s: len(s.split()), default=""
    )
    label = EVENT_TYPES[group.kind].label
    return Event(
        id=ids(_slug(group.kind, entry.name, date.start.isoformat())),
        type=group.kind,
        title=f"{label}: {speaker}, on {entry.name}" if speaker else f"{label}: {entry.name}",
        summary=" ".join(text[head.span[0] : head.span[1]].split())[:600],
        date=date,
        place=_place(place),
        said_at=_place(group.said_at) if group.family == "speech" and group.said_at else None,
        actors=_actors(text, group, head, entry.country),
        confidence="medium" if sure >= 0.7 else "low",
        inference=_inference(dated, where.how, entry.name, spoken=group.family == "speech"),
        source=Source(
            publisher=article.publisher,
            title=article.title,
            url=article.url,
            published=published,
            quote=_quote(text, sorted({m.span for m in group.mentions})),
        ),
        provenance=_provenance(group, head, where, date_evidence),
    )


def _provenance(group: Group, head: Mention, where: Where, date: Evidence | None) -> Provenance:
    """The words each field was read from, and the span of the sentences that hold them."""
    place, dated = where.place, group.dated
    assert place.entry is not None
    fields = {
        "type": Evidence(
            text=head.cue_text[:200], start=head.cue[0], end=head.cue[1], confidence=head.strength
        )
    }
    if where.how == "read":  # else named elsewhere in the article: said in ``inference``
        confidence = 0.85 if place.entry.kind in ("site", "country") else 0.65
        fields["place"] = Evidence(text=place.name, start=place.start, end=place.end, confidence=confidence)
    if date is not None:
        fields["date"] = date
    covered = [m.span for m in group.mentions if m is head or m is dated]
    covered += [m.span for m in group.mentions if where.how == "read" and m.place is place]
    return Provenance(start=min(s for s, _ in covered), end=max(e for _, e in covered), fields=fields)


def _inference(dated: Mention | None, placed: str, name: str, *, spoken: bool) -> str | None:
    """What was inferred rather than read: the date when no date governs the event, the place
    when none of its sentences names one."""
    how = dated.date_how if dated else ("spoken" if spoken else "")
    notes = [] if how == "own" else [_INFERENCE[how]]
    if placed == "country":
        notes.append(f"No place in its sentences: placed in {name}, the country the article is most about.")
    elif placed == "spoken of":
        notes.append(f"Placed in {name}, where the events it speaks of happened.")
    return " ".join(notes) or None


def _head(group: Group) -> Mention:
    """The mention that tells the event best: with a date of its own, the most specific place,
    not a reference back, the strongest cue, the first of equals."""
    return max(
        group.mentions,
        key=lambda m: (
            m.date_how == "own",
            specificity(m.place) if m.place else 0,
            not m.anaphoric,
            m.strength,
            -m.sentence,
        ),
    )


def _date(dated: Mention | None, published: dt.date, *, spoken: bool) -> tuple[DateSpan, Evidence | None]:
    if (dated is None or dated.date is None) and spoken:
        # What a report quotes with no date was said for that day's news: by publication
        return DateSpan(start=days_before(published, SPOKEN_DAYS), end=published, precision="day"), None
    if dated is None or dated.date is None:
        # Reported events precede their report; with no date given, allow the month before it.
        return DateSpan(start=days_before(published, 30), end=published, precision="unknown"), None
    d = dated.date
    evidence = Evidence(text=d.text, start=d.start, end=d.end, confidence=d.confidence)
    if dated.date_how == "said":
        start = days_before(d.first, REPORTED_DAYS)
        return DateSpan(start=start, end=d.last, precision="week"), evidence.model_copy(
            update={"confidence": round(d.confidence * 0.6, 3)}
        )
    if dated.date_how in ("sentence", "announced"):
        evidence = evidence.model_copy(update={"confidence": round(d.confidence * 0.8, 3)})
    return DateSpan(start=d.first, end=d.last, precision=d.precision), evidence  # type: ignore[arg-type]


def _place(toponym: Toponym) -> Place:
    entry = toponym.entry
    assert entry is not None
    return Place(
        name=toponym.name,
        canonical=entry.name,
        country=entry.country,
        geo_precision=PRECISION_OF_KIND[entry.kind],  # type: ignore[arg-type]
    )


def _quote(text: str, sentences: list[tuple[int, int]]) -> str:
    parts: list[str] = []
    for start, end in sentences:
        part = " ".join(text[start:end].split())
        if parts and sum(len(p) + 1 for p in parts) + len(part) > MAX_QUOTE_CHARS:
            break
        parts.append(part)
    return " ".join(parts)


def dateline_span(text: str) -> tuple[int, int] | None:
    """The span of a wire dateline ("BAGHDAD, March 12 (Levant Wire) -") opening the text: where
    and when the report was filed, not where and when its events happened, nor who took part."""
    start = len(text) - len(text.lstrip())
    m = DATELINE.match(text, start)
    return (m.start(), m.end()) if m else None


def _actors(text: str, group: Group, head: Mention, home: str | None) -> list[str]:
    """Who is named: the speakers (each once, as most fully named), then capitalised names of the
    head sentence that are no place nor in its dateline, and countries other than ``home`` (the
    country of the event's place) named there by one word."""
    speakers = sorted(
        {m.speaker: m.speaker_key for m in group.mentions if m.speaker_key}.items(), key=lambda s: -len(s[1])
    )
    out: list[str] = []
    for speaker, key in speakers:
        if not any(same_speaker(key, speaker_key(o)) for o in out):
            out.append(speaker)
    places = {m.place.name for m in group.mentions if m.place is not None}
    dateline = dateline_span(text)
    for m in _ACTOR.finditer(text, head.span[0], head.span[1]):
        if dateline is not None and m.start() < dateline[1]:
            continue
        name = re.sub(r"^(?:The|A|An|In|On|At|But|And)\s+", "", m.group())
        name = re.sub(r"['’]s$", "", name).strip(" .’'")
        if not any(name in p for p in places) and (
            (len(name) > 2 and " " in name) or (name.isupper() and len(name) >= 3)
        ):
            out.append(name)
    for m in _ONE_WORD.finditer(text, head.span[0], head.span[1]):
        if _foreign(m.group(), home) and (dateline is None or m.start() >= dateline[1]):
            out.append(m.group())
    # A sentence whose actors the capitals above miss ("coalition forces came under fire") is
    # given those the actor dictionary knows, by the dictionary's names. Only then: a known actor
    # added beside named ones would make unrelated reports share an actor (merging counts that).
    if not out:
        out = [known.name for known in actor_dictionary().found_in(text, head.span[0], head.span[1])]
    return list(dict.fromkeys(out))[:6]


def _foreign(name: str, home: str | None) -> bool:
    """A country named by one word ("Britain", "French"), other than the event place's own: a
    party to it ("Britain said it would bring home its troops from Iraq")."""
    code = country_code(name)
    return code is not None and code != home


def _slug(*parts: str) -> str:
    text = "-".join(p for p in parts if p)
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:90] or "event"
