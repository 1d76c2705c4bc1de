"""Candidate mentions of events, sentence by sentence.

A mention is one kind of event read from one sentence: its cue words, the place and the date
expression that belong to it, and how it is told: reported by a speaker, a reference back ("the
attacks"), a further one of a kind ("Another was shipped to Erbil"), several events at once ("a
series of attacks", "four bases"). Negated and hypothetical cues ("planning a sneak attack", "will
not tolerate attacks") make no mention. Each report of speech by a named speaker is a statement
mention (a warning when it threatens consequences), unless it only attributes a reported event
("..., US officials said").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from geodata.extract.dates import DateMention, days_before
from geodata.extract.geoparse import Toponym
from geodata.extract.governance import Anchor, attach_dates, clause_ends, clause_of
from geodata.extract.places import event_place, places_agree, specificity
from geodata.extract.speech import Speech, frame_of, quotations, speaker_key, speech_frames
from geodata.extract.statements import is_statement, speech_kind, statement_places
from geodata.extract.triggers import Trigger, aggregate, happens, refers_back, stem, triggers

SPEECH_KINDS = ("statement", "warning")
#: How many days before its telling a reported event with no date of its own may have happened.
REPORTED_DAYS = 6


@dataclass(frozen=True)
class Mention:
    """One kind of event read from one sentence (offsets are in the article text)."""

    kind: str
    sentence: int
    span: tuple[int, int]
    cue: tuple[int, int]
    cue_text: str
    strength: float
    place: Toponym | None = None
    #: How plainly the sentence makes ``place`` this event's place (see ``event_place``).
    place_score: float = 0.0
    #: For a statement: its place follows "in", "at", "to" ... ("in Iraq"), it is not just named.
    located: bool = False
    said_at: Toponym | None = None
    date: DateMention | None = None
    #: How the date was read: "own" (the date governs this mention), "sentence" (the date of
    #: another event of the sentence), "said" (a reported event: no later than its telling),
    #: "announced" (the day a move was announced), "".
    date_how: str = ""
    reported: bool = False
    anaphoric: bool = False
    continuation: bool = False
    aggregate: bool = False
    #: A move its maker says it will make ("said it would withdraw its contingent").
    announced: bool = False
    #: Told as history: another year, "since 2014", a date long before publication.
    background: bool = False
    speaker: str = ""
    speaker_key: frozenset[str] = field(default_factory=frozenset)
    #: For a statement: the cue offsets of the events it speaks of (in its sentence).
    about: tuple[tuple[int, int], ...] = ()
    #: The event word, as a reference back would repeat it ("strike" for "the strikes").
    head: str = ""

    @property
    def window(self) -> tuple[dt.date, dt.date] | None:
        """The days the event may have happened on, as far as this mention tells."""
        if self.date is None:
            return None
        if self.date_how == "said":
            return days_before(self.date.first, REPORTED_DAYS), self.date.last
        return self.date.first, self.date.last


def sentence_mentions(
    sentence: str,
    offset: int,
    index: int,
    *,
    places: Sequence[Toponym],
    dates: Sequence[DateMention],
    previous: frozenset[str],
    seen: frozenset[str],
) -> list[Mention]:
    """The mentions of the sentence ``sentence`` (at ``offset`` in the text, number ``index``),
    given its places and dates (article offsets), the kinds the sentence before mentioned and the
    kinds mentioned so far."""
    frames = speech_frames(sentence)
    quotes = quotations(sentence)
    ends = clause_ends(sentence)
    found = [
        (t, how)
        for t in triggers(sentence, previous, seen)
        if (how := happens(sentence, t, frames, quotes, ends))
    ]
    raws = [t for t, _ in found]
    referring = [refers_back(sentence, r) for r in raws]
    own = _own_dates(sentence, offset, dates, raws, referring, frames, ends)
    told: list[Mention] = []
    for i, (raw, how) in enumerate(found):
        mention = _mention(sentence, offset, index, raw, places, frames, quotes, ends, referring=referring[i])
        told = _merged(
            told,
            replace(
                mention, date=own.get(i), date_how="own" if i in own else "", announced=how == "announced"
            ),
        )
    spoken = {id(f): own[len(raws) + k] for k, f in enumerate(frames) if len(raws) + k in own}
    out = [_inherit(m, told, spoken, frames, quotes, offset) for m in told]
    # Several events a speaker sums up ("unprecedented Houthi attacks on shipping"), undated: no event
    out = [m for m in out if not (m.reported and m.aggregate and m.date_how != "own")]
    for k, frame in enumerate(frames):
        if is_statement(sentence, frame, raws, frames, quotes, [t for t, how in found if how == "announced"]):
            kind = speech_kind(sentence, frame)
            statement = _statement(sentence, offset, index, frame, kind, own.get(len(raws) + k), places, ends)
            about = tuple(m.cue for m in out if frame.content[0] <= m.cue[0] - offset < frame.content[1])
            out.append(replace(statement, about=about))
    return out


def _own_dates(
    sentence: str,
    offset: int,
    dates: Sequence[DateMention],
    raws: Sequence[Trigger],
    referring: Sequence[bool],
    frames: Sequence[Speech],
    ends: list[int],
) -> dict[int, DateMention]:
    """The date that governs each event word (by index: triggers, then reporting verbs)."""
    anchors = [Anchor(r.anchor[0], r.anchor[1], False, weak) for r, weak in zip(raws, referring, strict=True)]
    anchors += [Anchor(f.verb[0], f.verb[1], True) for f in frames]
    local = [(d.start - offset, d.end - offset) for d in dates]
    attached = attach_dates(sentence, local, anchors, frames, list(range(len(raws), len(anchors))), ends)
    own: dict[int, DateMention] = {}
    for date, anchor in zip(dates, attached, strict=True):
        if anchor is not None and (anchor not in own or _finer(date, own[anchor])):
            own[anchor] = date
    return own


def _mention(
    sentence: str,
    offset: int,
    index: int,
    raw: Trigger,
    places: Sequence[Toponym],
    frames: Sequence[Speech],
    quotes: Sequence[tuple[int, int]],
    ends: list[int],
    *,
    referring: bool,
) -> Mention:
    if referring:  # "the attacks, which ..." in a sentence about something else: its clause only
        clause = clause_of(ends, raw.anchor[0])
        places = [t for t in places if clause_of(ends, t.start - offset) == clause]
    moving = raw.kind in ("troop_movement", "base_handover")
    place, score = event_place(sentence, offset, raw.anchor[0], places, frames, ends, moving=moving)
    return Mention(
        kind=raw.kind,
        sentence=index,
        span=(offset, offset + len(sentence)),
        cue=(offset + raw.cue[0], offset + raw.cue[1]),
        cue_text=sentence[raw.cue[0] : raw.cue[1]],
        strength=raw.strength,
        place=place,
        place_score=score,
        reported=frame_of(raw.anchor[0], frames, quotes) is not None,
        anaphoric=referring,
        head=stem(sentence[raw.anchor[0] : raw.anchor[1]]),
        continuation=raw.continuation,
        aggregate=aggregate(sentence, raw),
    )


def _merged(told: list[Mention], mention: Mention) -> list[Mention]:
    """``told`` with ``mention`` added, or folded into an earlier mention of the same kind in the
    sentence that it cannot be told apart from ("the attacks, which killed or injured ...")."""
    for n, earlier in enumerate(told):
        described = (
            earlier.anaphoric and 0 <= mention.cue[0] - earlier.cue[1] <= 20
        )  # "the attack that killed"
        if earlier.kind != mention.kind or not (described or _alike(earlier.place, mention.place)):
            continue
        if earlier.aggregate != mention.aggregate and not described:
            continue  # "the strikes ... a response to Houthi attacks on shipping": two things
        if earlier.date is not None and mention.date is not None and earlier.date != mention.date:
            continue
        better = mention.place is not None and (
            earlier.place is None or described or specificity(mention.place) > specificity(earlier.place)
        )
        told[n] = replace(
            earlier,
            strength=max(earlier.strength, mention.strength),
            date=earlier.date or mention.date,
            date_how=earlier.date_how or mention.date_how,
            place=mention.place if better else earlier.place,
            place_score=mention.place_score if better else earlier.place_score,
            aggregate=earlier.aggregate or mention.aggregate,
        )
        return told
    return [*told, mention]


def _alike(a: Toponym | None, b: Toponym | None) -> bool:
    """Two places of one sentence that do not tell two events apart: only towns and sites do, not
    countries named in passing ("in north-eastern Jordan near the Syrian border")."""
    if a is None or b is None or min(specificity(a), specificity(b)) <= 2:
        return True
    return places_agree(a, b)


def _inherit(
    mention: Mention,
    told: list[Mention],
    spoken: dict[int, DateMention],
    frames: Sequence[Speech],
    quotes: Sequence[tuple[int, int]],
    offset: int,
) -> Mention:
    """A mention with no date of its own takes the date of the sentence's other event, or, when
    it is newly reported by a speaker, the date of the telling (as the latest it can be; an
    announced move is dated by its announcement)."""
    if mention.date is not None or mention.anaphoric:
        return mention
    frame = frame_of(mention.cue[0] - offset, frames, quotes) if mention.reported else None
    if frame is None:
        dated = next((m.date for m in told if m.date is not None and m.date_how == "own"), None)
        return replace(mention, date=dated, date_how="sentence") if dated else mention
    date = spoken.get(id(frame))
    how = "announced" if mention.announced else "said"
    return replace(mention, date=date, date_how=how) if date else mention


def _finer(a: DateMention, b: DateMention) -> bool:
    return (a.last - a.first, -a.confidence) < (b.last - b.first, -b.confidence)


def _statement(
    sentence: str,
    offset: int,
    index: int,
    frame: Speech,
    kind: str,
    date: DateMention | None,
    places: Sequence[Toponym],
    ends: list[int],
) -> Mention:
    place, score, located, said_at = statement_places(sentence, offset, frame, places, ends)
    return Mention(
        kind=kind,
        sentence=index,
        span=(offset, offset + len(sentence)),
        cue=(offset + frame.verb[0], offset + frame.verb[1]),
        cue_text=sentence[frame.verb[0] : frame.verb[1]],
        strength=0.8 if frame.strong else 0.65,
        place=place,
        place_score=score,
        located=located,
        said_at=said_at,
        date=date,
        date_how="own" if date else "",
        speaker=frame.speaker,
        speaker_key=speaker_key(frame.speaker),
    )
