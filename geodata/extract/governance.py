"""Which event word a date expression belongs to: the nearest one in its clause.

"X said on Thursday that the attacks ..." dates the saying, not the attacks; "was delivered to
Ain Al Assad base last week" dates the delivery; "On Tuesday, Kataib Hezbollah ... said" dates
what Kataib Hezbollah did, the saying. A date next to a reporting verb (between the speaker and
the verb, or right after the verb) is the statement's; any other date goes to the nearest event
word of its clause, else of its sentence, else to the statement. Offsets are within the sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from geodata.extract.lexicon import SPEECH_MEDIUM
from geodata.extract.speech import Speech

#: Where a clause ends: punctuation that separates clauses, quotation marks, and the words that
#: open a subordinate or relative clause.
_BOUNDARY = re.compile(
    r"[;:“”\"]|\s[-–—]\s|,\s*(?:and|but|while|as|which|who|where)\b|"
    r"\b(?:when|after|before|while|because|until|although|though|whereas|that|which|who)\b",
    re.IGNORECASE,
)
#: What may stand between a reporting verb and its date: "said in a statement on Thursday".
_SPEECH_FILLER = re.compile(
    r"\s*(?:(?:in an? (?:\w+\s+){0,2}(?:statement|post|interview|briefing|message)|on (?:twitter|x|facebook|"
    r"telegram|television|state television|state tv)|late|early|overnight|also|again|later|publicly|,)\s*)*",
    re.IGNORECASE,
)


#: The one spoken of or to, between a reporting verb and its date: "accused Russia on Friday".
_OBJECT = re.compile(r"\s+(?:[\w'’-]+\s+){1,6}")


@dataclass(frozen=True)
class Anchor:
    """An event word: where it is, and whether it reports speech (frame) or an event (mention)."""

    start: int
    end: int
    speech: bool
    #: A reference back ("that attack"): dated only when no other event word of the clause is.
    weak: bool = False


def clause_ends(sentence: str) -> list[int]:
    """Offsets at which a new clause of ``sentence`` starts, in order."""
    return [m.start() for m in _BOUNDARY.finditer(sentence)]


def clause_of(ends: list[int], offset: int) -> int:
    """The number of the clause ``offset`` lies in."""
    return bisect_right(ends, offset)


def attach_dates(
    sentence: str,
    dates: Sequence[tuple[int, int]],
    anchors: Sequence[Anchor],
    frames: Sequence[Speech],
    frame_anchor: Sequence[int],
    ends: list[int] | None = None,
) -> list[int | None]:
    """For each date span, the index in ``anchors`` of the word it dates, or ``None``.

    ``frame_anchor[i]`` is the anchor of ``frames[i]``'s reporting verb; ``ends`` the sentence's
    :func:`clause_ends`, if known.
    """
    ends = clause_ends(sentence) if ends is None else ends
    events = [i for i, a in enumerate(anchors) if not a.speech]
    out: list[int | None] = []
    for start, end in dates:
        spoken = _speech_date(sentence, start, end, frames, [anchors[i] for i in events])
        if spoken is not None:
            out.append(frame_anchor[spoken])
            continue
        clause = clause_of(ends, start)
        same = [i for i in events if clause_of(ends, anchors[i].start) == clause]
        pools = (
            [i for i in same if not anchors[i].weak],
            same,
            [i for i in events if not anchors[i].weak],
            events,
        )
        pool = next((p for p in pools if p), list(frame_anchor))
        out.append(min(pool, key=lambda i: _distance(anchors[i], start, end)) if pool else None)
    return out


def _speech_date(
    sentence: str, start: int, end: int, frames: Sequence[Speech], events: Sequence[Anchor]
) -> int | None:
    """The frame whose saying the date at ``[start, end)`` tells the time of, if any."""
    if frames and SPEECH_MEDIUM.search(sentence[max(0, start - 60) : start]):
        return min(
            range(len(frames)), key=lambda n: abs(frames[n].verb[0] - start)
        )  # "in a statement on Friday"
    for n, frame in enumerate(frames):
        side_start, side_end = frame.speaker_side
        verb_start, verb_end = frame.verb
        between = any(end <= a.start < verb_start for a in events)
        if side_start <= start and end <= min(side_end, verb_start) and not between:
            return n  # "On Tuesday, Kataib Hezbollah ... said"; "The US military on Thursday said"
        if start >= verb_end and _SPEECH_FILLER.fullmatch(sentence[verb_end:start]):
            return n  # "said on Wednesday", "said in a statement on Thursday night"
        told = any(verb_end <= a.start < start and not a.weak for a in events)
        if start >= verb_end and not told and _OBJECT.fullmatch(sentence[verb_end:start]):
            return n  # "accused Russia on Friday", "condemned the strikes on Friday"
    return None


def _distance(anchor: Anchor, start: int, end: int) -> int:
    if end <= anchor.start:
        return anchor.start - end
    if start >= anchor.end:
        return start - anchor.end
    return 0
