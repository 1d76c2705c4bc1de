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
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from geodata.extract.dates import DateMention, days_before
from geodata.extract.geoparse import Toponym
from geodata.extract.governance import Anchor, attach_dates, clause_ends, clause_of
from geodata.extract.lexicon import CONSEQUENCES
from geodata.extract.places import event_place, places_agree
from geodata.extract.speech import Speech, frame_of, quotations, speaker_key, speech_frames
from geodata.extract.triggers import NOUN_ANCHOR, Trigger, aggregate, happens, refers_back, triggers

SPEECH_KINDS = ("statement", "warning")
#: How many days before its telling a reported event with no date of its own may have happened.
REPORTED_DAYS = 6
_PROGRESSIVE = re.compile(r"\b(?:is|are|was|were|be|been|being)\s+(?:\w+\s+)?$", re.IGNORECASE)
_RELATIVE = re.compile(r",\s*(?:which|who|that)\b[^,]*$", re.IGNORECASE)


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
    #: How plainly the sentence makes ``place`` this event's place (see ``_place``).
    place_score: float = 0.0
    said_at: Toponym | None = None
    date: DateMention | None = None
    #: How the date was read: "own" (the date governs this mention), "sentence" (the date of
    #: another event of the sentence), "said" (a reported event: no later than its telling), "".
    date_how: str = ""
    reported: bool = False
    anaphoric: bool = False
    continuation: bool = False
    aggregate: bool = False
    speaker: str = ""
    speaker_key: frozenset[str] = field(default_factory=frozenset)

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
    raws = [r for r in triggers(sentence, previous, seen) if happens(sentence, r, frames, quotes, ends)]
    speech = [
        (f, _speech_kind(sentence, f)) for f in frames if _is_statement(sentence, f, raws, frames, quotes)
    ]
    referring = [refers_back(sentence, r) for r in raws]
    anchors = [Anchor(r.anchor[0], r.anchor[1], False, weak) for r, weak in zip(raws, referring, strict=True)]
    anchors += [Anchor(f.verb[0], f.verb[1], True) for f, _ in speech]
    local = [(d.start - offset, d.end - offset) for d in dates]
    attached = attach_dates(
        sentence, local, anchors, [f for f, _ in speech], list(range(len(raws), len(anchors)))
    )
    own: dict[int, DateMention] = {}
    for date, anchor in zip(dates, attached, strict=True):
        if anchor is not None and (anchor not in own or _finer(date, own[anchor])):
            own[anchor] = date
    told: list[Mention] = []
    for i, raw in enumerate(raws):
        frame = frame_of(raw.anchor[0], frames, quotes)
        if referring[i]:  # "the attacks, which ..." in a sentence about something else: its clause only
            clause = clause_of(ends, raw.anchor[0])
            near = [t for t in places if clause_of(ends, t.start - offset) == clause]
            place, score = event_place(sentence, offset, raw.anchor[0], near, frames, ends)
        else:
            place, score = event_place(sentence, offset, raw.anchor[0], places, frames, ends)
        mention = Mention(
            kind=raw.kind,
            sentence=index,
            span=(offset, offset + len(sentence)),
            cue=(offset + raw.cue[0], offset + raw.cue[1]),
            cue_text=sentence[raw.cue[0] : raw.cue[1]],
            strength=raw.strength,
            place=place,
            place_score=score,
            date=own.get(i),
            date_how="own" if i in own else "",
            reported=frame is not None,
            anaphoric=referring[i],
            continuation=raw.continuation,
            aggregate=aggregate(sentence, raw),
        )
        told = _merged(told, mention)
    spoken = {id(f): own[j] for j, (f, _) in enumerate(speech, len(raws)) if j in own}
    out = [_inherit(m, told, spoken, frames, quotes, offset) for m in told]
    for j, (frame, kind) in enumerate(speech, len(raws)):
        out.append(_statement(sentence, offset, index, frame, kind, own.get(j), places))
    return out


def _merged(told: list[Mention], mention: Mention) -> list[Mention]:
    """``told`` with ``mention`` added, or folded into an earlier mention of the same kind in the
    sentence that it cannot be told apart from ("the attacks, which killed or injured ...")."""
    for n, earlier in enumerate(told):
        if earlier.kind != mention.kind or not places_agree(earlier.place, mention.place):
            continue
        if earlier.date is not None and mention.date is not None and earlier.date != mention.date:
            continue
        better = mention.place is not None and (
            earlier.place is None or mention.place_score > earlier.place_score
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


def _inherit(
    mention: Mention,
    told: list[Mention],
    spoken: dict[int, DateMention],
    frames: Sequence[Speech],
    quotes: Sequence[tuple[int, int]],
    offset: int,
) -> Mention:
    """A mention with no date of its own takes the date of the sentence's other event, or, when
    it is newly reported by a speaker, the date of the telling (as the latest it can be)."""
    if mention.date is not None or mention.anaphoric:
        return mention
    frame = frame_of(mention.cue[0] - offset, frames, quotes) if mention.reported else None
    if frame is None:
        dated = next((m.date for m in told if m.date is not None and m.date_how == "own"), None)
        return replace(mention, date=dated, date_how="sentence") if dated else mention
    date = spoken.get(id(frame))
    return replace(mention, date=date, date_how="said") if date else mention


def _finer(a: DateMention, b: DateMention) -> bool:
    return (a.last - a.first, -a.confidence) < (b.last - b.first, -b.confidence)


def _speech_kind(sentence: str, frame: Speech) -> str:
    content = sentence[frame.content[0] : frame.content[1]]
    return "warning" if CONSEQUENCES.search(content) else "statement"


def _is_statement(
    sentence: str,
    frame: Speech,
    raws: Sequence[Trigger],
    frames: Sequence[Speech],
    quotes: Sequence[tuple[int, int]],
) -> bool:
    """A report of speech is a statement unless it is an unnamed source's, or only attributes a
    newly told event ("..., the coalition said"); a strong verb ("announced", "condemned") is one."""
    if frame.anonymous:
        return False
    if frame.strong:
        return True
    if frame.inverted and not any(frame.content[0] <= s < frame.content[1] for s, _ in quotes):
        return False  # "..., the coalition said": where a told fact comes from
    for raw in raws:
        if frame_of(raw.anchor[0], frames, quotes) is not frame:
            continue
        before = sentence[: raw.anchor[0]]
        word = sentence[raw.anchor[0] : raw.anchor[1]]
        progressive = word.lower().endswith("ing") and _PROGRESSIVE.search(before)
        told = not (NOUN_ANCHOR.match(word) or progressive or _RELATIVE.search(before))
        if told:
            return False
    return True


def _statement(
    sentence: str,
    offset: int,
    index: int,
    frame: Speech,
    kind: str,
    date: DateMention | None,
    places: Sequence[Toponym],
) -> Mention:
    side = (offset + frame.speaker_side[0], offset + frame.speaker_side[1])
    content = (offset + frame.content[0], offset + frame.content[1])
    said_at = next((t for t in places if t.entry is not None and side[0] <= t.start < side[1]), None)
    about = [t for t in places if content[0] <= t.start < content[1]]
    place, score = event_place(sentence, offset, frame.content[0], about, [frame], clause_ends(sentence))
    return Mention(
        kind=kind,
        sentence=index,
        span=(offset, offset + len(sentence)),
        cue=(offset + frame.verb[0], offset + frame.verb[1]),
        cue_text=sentence[frame.verb[0] : frame.verb[1]],
        strength=0.8 if frame.strong else 0.65,
        place=place,
        place_score=score,
        said_at=said_at,
        date=date,
        date_how="own" if date else "",
        speaker=frame.speaker,
        speaker_key=speaker_key(frame.speaker),
    )
