"""Today's drafting as the review queue takes it: each drafted event with a confidence (its least
sure field) and the sentence it rests on, with offsets in the article's text."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from geodata.extract.article import Article
from geodata.extract.drafts import draft_events
from geodata.extract.geoparse import Geoparser
from geodata.model import Event
from geodata.store.review import NewDraft

#: Drafts at or above this confidence are pre-selected for keeping.
CONFIDENT = 0.7
#: A field the drafting did not read from the text (a date guessed from publication) counts so.
GUESSED = 0.5
#: The fields every draft should have read from its sentence.
READ_FIELDS = ("type", "place", "date")

#: Drafting as ingestion calls it: an article in, the drafts to queue out.
Draft = Callable[[Article], Sequence[NewDraft]]


def draft_confidence(event: Event) -> float:
    """How sure the drafting is: its least confident field (a field it did not read counts as
    guessed); 0.5 without provenance."""
    fields = event.provenance.fields if event.provenance else {}
    return min([fields[f].confidence if f in fields else GUESSED for f in READ_FIELDS])


def evidence(article: Article, event: Event) -> list[dict[str, Any]]:
    """The sentence an event was drafted from, with its offsets in the article's text."""
    if event.provenance is None:
        return [{"text": event.source.quote}]
    start, end = event.provenance.start, event.provenance.end
    return [{"text": article.text[start:end], "start": start, "end": end}]


def sentence_drafting(parser: Geoparser) -> Draft:
    """Drafting by :func:`~geodata.extract.drafts.draft_events` (one draft per cue and sentence),
    with no merge proposed."""

    def draft(article: Article) -> list[NewDraft]:
        return [
            NewDraft(d.event, draft_confidence(d.event), evidence(article, d.event))
            for d in draft_events(article, parser)
        ]

    return draft
