"""Which reports of speech are statements, of which kind, and where they are placed.

A named speaker's words are a statement (a warning when they threaten, or name consequences),
unless they only attribute an event newly told ("..., the coalition said.", "US officials said
rockets hit the base"): a done event in a speaker's words is the event, the saying its source.
A statement is placed where it says ("... in Iraq"), not at whom it is addressed ("warned
Tehran"); where it was said is a place in the speaker's words ("In London, ...").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from geodata.extract.geoparse import Toponym
from geodata.extract.lexicon import CONSEQUENCES
from geodata.extract.places import after_preposition, event_place
from geodata.extract.speech import Speech, frame_of
from geodata.extract.triggers import Trigger, is_noun

_PROGRESSIVE = re.compile(r"\b(?:is|are|was|were|be|been|being)\s+(?:\w+\s+)?$", re.IGNORECASE)
_RELATIVE = re.compile(r",\s*(?:which|who|that)\b[^,]*$", re.IGNORECASE)
_ARTICLE = re.compile(r"\s*(?:the\s+)?")


def speech_kind(sentence: str, frame: Speech) -> str:
    """A warning when it threatens ("threatened to attack") or names consequences ("will pay a
    heavy price"); a statement otherwise ("warned that it would be dangerous")."""
    content = sentence[frame.content[0] : frame.content[1]]
    verb = sentence[frame.verb[0] : frame.verb[1]]
    return "warning" if CONSEQUENCES.search(content) or CONSEQUENCES.fullmatch(verb) else "statement"


def is_statement(
    sentence: str,
    frame: Speech,
    raws: Sequence[Trigger],
    frames: Sequence[Speech],
    quotes: Sequence[tuple[int, int]],
    announced: Sequence[Trigger] = (),
) -> bool:
    """A report of speech is a statement unless it is an unnamed source's, or only attributes a
    newly told event ("..., the coalition said"); a strong verb ("announced", "condemned") is one."""
    if frame.anonymous:
        return False
    if frame.strong:
        return True
    content = sentence[frame.content[0] : frame.content[1]].rstrip(" ,")
    # a quotation, or the end of one begun in the sentence before ('... today. It will," X said')
    quoted = any(frame.content[0] <= s < frame.content[1] for s, _ in quotes) or content.endswith(('"', "”"))
    if frame.inverted and not frame.formal and not quoted:
        return False  # "..., the coalition said": where a told fact comes from
    for raw in raws:
        if frame_of(raw.anchor[0], frames, quotes) is not frame:
            continue
        before = sentence[: raw.anchor[0]]
        verb = sentence[raw.anchor[0] : raw.anchor[1]].split()[0].lower()
        progressive = verb.endswith("ing") and _PROGRESSIVE.search(before)
        # a done event newly told (not a move announced, one going on, or one referred to)
        told = not (is_noun(sentence, raw) or progressive or _RELATIVE.search(before) or raw in announced)
        if told:
            return False
    return True


def statement_places(
    sentence: str, offset: int, frame: Speech, places: Sequence[Toponym], ends: list[int]
) -> tuple[Toponym | None, float, bool, Toponym | None]:
    """(the place a statement speaks of, how plainly, whether it follows "in", "at" ..., where it
    was said) from the places of its sentence (article offsets)."""
    side = (offset + frame.speaker_side[0], offset + frame.speaker_side[1])
    content = (offset + frame.content[0], offset + frame.content[1])
    said_at = next((t for t in places if t.entry is not None and side[0] <= t.start < side[1]), None)
    # Not the one spoken to ("warned Tehran that ..."): what is spoken of
    match = _ARTICLE.match(sentence, frame.verb[1])
    addressee = offset + (match.end() if match else frame.verb[1])
    about = [t for t in places if content[0] <= t.start < content[1] and t.start != addressee]
    place, score = event_place(sentence, offset, frame.content[0], about, [frame], ends)
    located = place is not None and after_preposition(sentence, offset, place)
    return place, score, located, said_at
