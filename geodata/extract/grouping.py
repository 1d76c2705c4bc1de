"""Group an article's mentions into events: one group per event, in text order.

A mention joins the latest group it is compatible with: same kind of event (a statement and a
warning are both speech), places that agree (the same place, one inside the other's country, or
near each other), dates that overlap, and for speech the same speaker ("Capt Urban" is "Capt
Bill Urban"; "he" is the last speaker). A reference back ("the attacks") joins even where its
own place is vague; a further one of a kind ("Another was shipped to Erbil") starts a group; an
event that is several ("a series of attacks", "four bases") groups only with such events. Only
the last ``RECENT`` groups of a kind are looked at, which keeps grouping linear in the text.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from geodata.extract.dates import DateMention
from geodata.extract.geoparse import Toponym
from geodata.extract.mentions import SPEECH_KINDS, Mention, places_agree
from geodata.extract.places import specificity
from geodata.extract.speech import same_speaker

RECENT = 8
_SPECIFICITY = {"site": 5, "city": 4, "region": 3, "country": 2, "continent": 1}
_HOW = {"own": 3, "sentence": 2, "announced": 2, "said": 1, "": 0}


@dataclass
class Group:
    """The mentions of one event."""

    family: str
    mentions: list[Mention] = field(default_factory=list)
    #: The country the article is most about: of equally specific places, the one it prefers.
    dominant: str | None = None

    @property
    def kind(self) -> str:
        if self.family == "speech":
            return "warning" if any(m.kind == "warning" for m in self.mentions) else "statement"
        return self.mentions[0].kind

    @property
    def aggregate(self) -> bool:
        return self._told.aggregate

    @property
    def background(self) -> bool:
        return self._told.background

    @property
    def _told(self) -> Mention:
        """The first mention that tells the event rather than refers back to it."""
        return next((m for m in self.mentions if not m.anaphoric), self.mentions[0])

    @property
    def place(self) -> Toponym | None:
        """The most specific place any mention gives; of equals, the most plainly given."""
        placed = [m for m in self.mentions if m.place is not None and m.place.entry is not None]
        pool = [m for m in placed if not m.anaphoric] or placed
        if pool is not placed:
            # A reference back ("the strikes fell on al-Qaim") may say more precisely where, in
            # the same country; not elsewhere ("the strikes began at 4 pm Washington time").
            country = max(pool, key=self._place_key).place.entry.country  # type: ignore[union-attr]
            pool += [m for m in placed if m.anaphoric and m.place.entry.country == country]  # type: ignore[union-attr]
        best = max(pool, key=self._place_key, default=None)
        return best.place if best is not None else None

    def _place_key(self, mention: Mention) -> tuple[int, bool, float]:
        entry = mention.place.entry  # type: ignore[union-attr]
        assert entry is not None
        return specificity(mention.place), entry.country == self.dominant, mention.place_score  # type: ignore[arg-type]

    @property
    def said_at(self) -> Toponym | None:
        return next((m.said_at for m in self.mentions if m.said_at is not None), None)

    @property
    def dated(self) -> Mention | None:
        """The mention whose date the event takes: a date that governs it, the finest, first."""
        dated = [m for m in self.mentions if m.date is not None]
        return max(dated, key=lambda m: (_HOW[m.date_how], -_width(m.date)), default=None)  # type: ignore[arg-type]

    @property
    def date(self) -> DateMention | None:
        best = self.dated
        return best.date if best is not None else None


def _width(date: DateMention) -> int:
    return (date.last - date.first).days


def group_mentions(mentions: list[Mention], *, dominant: str | None = None) -> list[Group]:
    """Groups of ``mentions`` (in text order), each one event, in the order they start."""
    groups: list[Group] = []
    recent: dict[str, list[Group]] = defaultdict(list)
    last_speech: Group | None = None
    for mention in mentions:
        family = "speech" if mention.kind in SPEECH_KINDS else mention.kind
        group = None if mention.continuation else _find(mention, recent[family], last_speech)
        if group is None:
            group = Group(family, dominant=dominant)
            groups.append(group)
            recent[family].append(group)
            del recent[family][:-RECENT]
        group.mentions.append(mention)
        if family == "speech":
            last_speech = group
    return groups


def _find(mention: Mention, candidates: list[Group], last_speech: Group | None) -> Group | None:
    """The latest group the mention joins; for a reference back ("the strikes"), the latest that
    was told with the same word, if any."""
    joins = [g for g in reversed(candidates) if _joins(mention, g, last_speech)]
    if mention.anaphoric:
        same = [g for g in joins if any(m.head == mention.head for m in g.mentions)]
        joins = same or joins
    return joins[0] if joins else None


def _joins(mention: Mention, group: Group, last_speech: Group | None) -> bool:
    best = group.dated
    if not _dates_agree(mention.window, best.window if best is not None else None):
        return False
    if group.family == "speech":
        if not mention.speaker_key:
            return group is last_speech
        return any(same_speaker(mention.speaker_key, m.speaker_key) for m in group.mentions)
    if not mention.anaphoric and (
        mention.aggregate != group.aggregate or mention.background != group.background
    ):
        return False  # several events are not one of them; history is not today's news
    return mention.anaphoric or places_agree(mention.place, group.place)


def _dates_agree(a: tuple[dt.date, dt.date] | None, b: tuple[dt.date, dt.date] | None) -> bool:
    return a is None or b is None or (a[0] <= b[1] and b[0] <= a[1])
