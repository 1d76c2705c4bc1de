"""The cue words of a sentence: one per event word, with what makes it no event.

Each cue of the lexicon found in a sentence is a trigger anchored on its event word (a verb or
noun); two kinds read from one word keep the more specific. A reference noun ("the build-up",
"the withdrawal") counts once its kind has been told; a sentence that opens "Another ..." tells a
further event of the kind the sentence before told. Negated and hypothetical triggers ("planning
a sneak attack", "will not tolerate attacks") are no events, but a move announced by its maker
("said it would withdraw its contingent") is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from geodata.extract.lexicon import (
    AGGREGATE_AFTER,
    AGGREGATE_BEFORE,
    ANNOUNCED,
    CONTINUATION,
    CONTINUED_VERB,
    CUES,
    CUES_EN,
    DEFINITE,
    HYPOTHETICAL,
    KIND_RANK,
    NEGATED,
    NOUNS,
    OTHER_LETTERS,
    REFERENCE,
)
from geodata.extract.speech import Speech, frame_of

#: No sentence tells more events than this; a longer run of cue words is a list, and reading
#: every one would make a sentence's work grow with the square of its cues.
MAX_TRIGGERS = 12
_QUOTES = '"“”'
_DETERMINER_BEFORE = re.compile(r"\b(?:the|its|their|a|an|this|that)\s+$", re.I)
#: After a noun that names an event, a modal makes it one that has not happened ("air strikes
#: against Islamic State will go on").
_MODAL_AFTER = re.compile(r"^[^,;.]{0,50}?\b(?:will|would|could|might|may|to be)\b", re.I)


@dataclass(frozen=True)
class Trigger:
    """A cue found in a sentence: its kind, its words and its event word (offsets in the sentence)."""

    kind: str
    cue: tuple[int, int]
    anchor: tuple[int, int]
    strength: float
    continuation: bool = False


_IRREGULAR = {
    "struck": "strike",
    "hit": "hit",
    "sent": "send",
    "left": "leave",
    "built": "build",
    "brought": "bring",
}


def stem(word: str) -> str:
    """An event word without its endings, as a reference back repeats it: "struck", "strikes" and
    "strike" are "strike"; "attacked" and "attacks" are "attack"."""
    word = word.lower().split()[-1] if word.strip() else ""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    for ending in ("ings", "ing", "ed", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            base = word[: -len(ending)]
            return base + "e" if ending in ("es",) and base.endswith("k") else base
    return word


def is_noun(sentence: str, raw: Trigger) -> bool:
    """The event word is a noun: "attacks", "the build-up", "the repositioning of"."""
    word = sentence[raw.anchor[0] : raw.anchor[1]].lower().split()
    if word and word[-1] in NOUNS:
        return True
    return (
        bool(word) and word[-1].endswith("ing") and bool(_DETERMINER_BEFORE.search(sentence[: raw.anchor[0]]))
    )


def refers_back(sentence: str, raw: Trigger) -> bool:
    """A definite noun for an event: "the attacks", "that strike", "the build-up"."""
    return is_noun(sentence, raw) and bool(
        DEFINITE.search(sentence[max(0, raw.anchor[0] - 40) : raw.anchor[0]])
    )


def triggers(sentence: str, previous: frozenset[str], seen: frozenset[str]) -> list[Trigger]:
    """Every cue of the sentence, one per anchor word (the most specific kind wins)."""
    continuing = bool(CONTINUATION.match(sentence))
    found: list[Trigger] = []
    for cue in CUES if OTHER_LETTERS.search(sentence) else CUES_EN:
        if cue.needs is not None and not cue.needs.search(sentence):
            continue
        for n, m in enumerate(cue.pattern.finditer(sentence)):
            found.append(Trigger(cue.kind, m.span(), _anchor(m), cue.strength, continuing))
            if n + 1 == MAX_TRIGGERS:
                break
    for kind, pattern in REFERENCE.items():
        if kind in seen:  # "the build-up" once a deployment has been told
            found += [
                Trigger(kind, m.span(), _anchor(m), 0.55, continuing) for m in pattern.finditer(sentence)
            ]
    if continuing and not found:
        verb = CONTINUED_VERB.search(sentence)
        kinds = [k for k in previous if k in KIND_RANK]
        if verb and kinds:
            kind = max(kinds, key=KIND_RANK.__getitem__)
            found.append(Trigger(kind, (0, verb.end()), verb.span("v"), 0.55, True))
    found.sort(key=lambda r: (r.anchor[0], -KIND_RANK[r.kind]))
    kept: list[Trigger] = []
    for raw in found:
        if any(raw.anchor[0] < k.anchor[1] and k.anchor[0] < raw.anchor[1] for k in kept):
            continue
        kept.append(raw)
        if len(kept) == MAX_TRIGGERS:
            break
    return kept


def _anchor(m: re.Match[str]) -> tuple[int, int]:
    for name, value in m.groupdict().items():
        if value is not None and name.startswith("v"):
            return m.span(name)
    return m.span()


def happens(
    sentence: str, raw: Trigger, frames: Sequence[Speech], quotes: Sequence[tuple[int, int]], ends: list[int]
) -> str | None:
    """``None`` for a negated or hypothetical cue, "announced" for a move announced by its maker
    ("said it would withdraw its contingent"), else "told"."""
    # the clause the cue is in, but through quotation marks ('were preparing a "sneak attack"')
    clause_start = max(
        [e for e in ends if e <= min(raw.cue[0], raw.anchor[0]) and sentence[e] not in _QUOTES] or [0]
    )
    words = sentence[clause_start : raw.anchor[0]].split()[-7:]
    window = " ".join(words)
    if NEGATED.search(window):
        return None
    hypothetical = HYPOTHETICAL.findall(window)
    if is_noun(sentence, raw) and _MODAL_AFTER.match(sentence[raw.anchor[1] :]):
        hypothetical.append("will")
    if not hypothetical:
        return "told"
    announced = raw.kind in ("troop_movement", "base_handover") and frame_of(raw.anchor[0], frames, quotes)
    return "announced" if announced and all(ANNOUNCED.fullmatch(w) for w in hypothetical) else None


def aggregate(sentence: str, raw: Trigger) -> bool:
    """Several events told as one: "a series of attacks", "four bases", "hit twice", or a plural
    event noun with no determiner ("recent attacks on bases")."""
    start = min(raw.cue[0], raw.anchor[0])
    before = sentence[max(0, start - 40) : start]
    if AGGREGATE_BEFORE.search(before) or AGGREGATE_AFTER.match(sentence[raw.anchor[1] : raw.anchor[1] + 30]):
        return True
    word = sentence[raw.anchor[0] : raw.anchor[1]]
    plural = word.endswith("s") and not word.endswith("ss") and is_noun(sentence, raw)
    return plural and not DEFINITE.search(before) and not _DETERMINER_BEFORE.search(before)
