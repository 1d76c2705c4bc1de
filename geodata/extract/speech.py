"""Reported speech in a sentence: who said it, the reporting verb, and what was said.

Three shapes cover news prose: the speaker first ("The US military on Thursday said it was
building up ..."), the attribution last ("..., the coalition said." / "...,” said Capt Bill
Urban, spokesman for ..."), and "according to X". What was said (the content) is the rest of
the sentence on the other side of the verb, and any quotation. Offsets are within the sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from geodata.extract.lexicon import ANONYMOUS_HEAD, OTHER_LETTERS, PRONOUN, SPEECH, SPEECH_EN, SPOKESPERSON

#: Where a speaker's clause starts, looking left from the verb.
_CLAUSE_START = re.compile(
    r"[;:]|\s[-–—]\s|[”\"]\s*,?\s|,\s*[”\"]\s|\b(?:that|after|before|when|while|because|as|but)\s", re.I
)
#: Phrases before a speaker that are not the speaker: when and where it was said.
_ADVERBIAL_WORDS = (
    r"(?:on|in|at|late|early|earlier|later|also|then|overnight|speaking|announcing|asked|after|before|"
    r"during|shortly|last|this|yesterday|today|meanwhile|however)"
)
#: An adverbial that opens a speaker's clause, up to the speaker (a pronoun, "the ...", a Name).
_ADVERBIAL = re.compile(
    r"^\s*" + _ADVERBIAL_WORDS + r"\b[^,]*?(?=\s(?:he|she|they|it|we|the)\s|(?-i:\s[A-Z][\w'’.-]*\s+[A-Z]))",
    re.I,
)
_ONLY_ADVERBIAL = re.compile(r"^\s*" + _ADVERBIAL_WORDS + r"\b", re.I)
_TRAILING_DATE = re.compile(
    r"\s+(?:(?:late|early)\s+)?(?:on|in|at|last|this|overnight|yesterday|today)\b.*$|\s+(?:also|had|has|have)$",
    re.I,
)
_VERB_AFTER_SPEAKER = re.compile(
    r"\s(?:has|have|had|was|were|is|are|will|would|also|then|later|issued|released|gave|made|put)\b.*$", re.I
)
#: Reports of speech read in one sentence (more is a list of quotes, not a sentence).
MAX_FRAMES = 8
#: A longer "speaker" is a clause the reporting verb's subject was not found in.
_MAX_SPEAKER_WORDS = 16
#: Words of a speaker phrase that are titles or grammar, not who it is.
_NOT_NAME = frozenset(
    """the a an of for and to in on at by with its his her their our s 's president presidential prime
    minister secretary capt captain gen general brigadier colonel col major lt lieutenant sgt sergeant admiral
    mr mrs ms dr spokesman spokeswoman spokesperson adviser advisor senior deputy chief head foreign defence
    defense military official officials statement joint""".split()
)
_WORD = re.compile(r"[^\W\d_][\w-]*")  # a word of any script
_POSSESSOR = re.compile(r"([A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,4})['’]s\s+(?:\w+\s+)?$")
_ROLE = re.compile(r"\s*(?:a|an|the|its|his|her)\s+\w+", re.I)
_APPOSITION = re.compile(r"(?:a|an)\s", re.I)
_DETERMINER = re.compile(r"(?:the|a|an|its|his|her|their|our|he|she|they|it|we)\s", re.I)
#: "officials", "security sources", "local media": a speaker without a determiner.
_BARE_NOUNS = re.compile(r"(?:(?!\w+(?:ing|ed)\b)(?!(?:in|on|at|to|of|from|by|with)\b)[a-z][\w-]*\s*){1,4}")
_PASSIVE = re.compile(r"\b(?:been|be|being|was|were|is|are)\s+$", re.I)
_MEDIUM = re.compile(r"\bin\s+(?:a|an|its|his|her|their)\s+(?:[\w-]+\s+)?$", re.I)
_ISSUED = re.compile(r"\b(?:issued|released|put out|published|made)\s+(?:a|an)\s+(?:[\w-]+\s+)?$", re.I)
#: Nouns that report speech: they speak for a possessor ("Trump's warning") or not at all.
_NOUNS = frozenset({"statement", "warning", "threat"})
_QUOTE = re.compile(r"“[^”]{2,}”|\"[^\"]{2,}\"")


@dataclass(frozen=True)
class Speech:
    """One report of speech in a sentence (offsets within the sentence)."""

    verb: tuple[int, int]
    strong: bool
    speaker: str
    content: tuple[int, int]
    #: Where the speaker phrase and its adverbials are ("In London, ... Sunak said"): the speaker's side.
    speaker_side: tuple[int, int]
    #: The attribution comes last ("..., the coalition said.", "...,” said Capt Urban").
    inverted: bool = False
    #: A formal verb ("announced", "in a statement"), not a plain "said".
    formal: bool = False

    @property
    def anonymous(self) -> bool:
        """An unnamed source ("US officials", "a coalition official"), not a spokesperson."""
        if re.match(r"(?:no|nobody|none|neither)\b", self.speaker, re.I):
            return True  # "No group has claimed the attack": no one spoke
        return bool(ANONYMOUS_HEAD.match(self.speaker)) and not SPOKESPERSON.search(self.speaker)


def quotations(sentence: str) -> list[tuple[int, int]]:
    """Spans of quoted words in ``sentence``."""
    return [m.span() for m in _QUOTE.finditer(sentence)]


def speech_frames(sentence: str) -> list[Speech]:
    """The reports of speech of ``sentence``, one per reporting verb. A verb with no speaker of its
    own ("condemned ... and said", "In a statement on Saturday, X said") shares another's, and
    makes it a strong one if it is."""
    frames: list[Speech] = []
    quotes = quotations(sentence)
    floor = 0  # "condemned ... and said": the second verb's subject is the first's
    for m in (SPEECH if OTHER_LETTERS.search(sentence) else SPEECH_EN).finditer(sentence):
        if any(s < m.start() < e for s, e in quotes):
            continue  # words inside a quotation are what was said, not who said it
        frame = _frame(sentence, m, floor)
        floor = m.end()
        if frame is not None:
            frames.append(frame)
            if len(frames) == MAX_FRAMES:
                break
    named = [f for f in frames if speaker_key(f.speaker) or PRONOUN.match(f.speaker)]
    strong, formal = any(f.strong for f in frames), any(f.formal for f in frames)
    return [replace(f, strong=f.strong or strong, formal=f.formal or formal) for f in named]


def _frame(sentence: str, m: re.Match[str], floor: int) -> Speech | None:
    """The report of speech of the reporting word ``m``, or ``None`` when it reports none."""
    frame = _shape(sentence, m, floor)
    return frame and replace(frame, formal=m.group("formal") is not None)


def _shape(sentence: str, m: re.Match[str], floor: int) -> Speech | None:
    strong = m.group("judge") is not None
    word = m.group().lower()
    if word.startswith("according"):
        return _according(sentence, m)
    if _naming(sentence, m) or _PASSIVE.search(sentence[max(0, m.start() - 8) : m.start()]):
        return None  # "what officials called ..." names; "until they had been told": no one speaks
    issued = _ISSUED.search(sentence[max(floor, m.start() - 40) : m.start()])
    if word == "statement" and issued:  # "X issued a joint statement": X spoke
        verb = (m.start() - len(issued.group()), m.end())
        left_start = max(floor, _clause_start(sentence, verb[0]))
        speaker = _speaker(sentence[left_start : verb[0]])
        return Speech(verb, strong, speaker, (m.end(), len(sentence)), (left_start, m.end()))
    if word == "statement" and _MEDIUM.search(sentence[max(floor, m.start() - 30) : m.start()]):
        # "X said in a statement": no speaker of its own, it makes X's words formal
        return Speech(m.span(), strong, "", (m.end(), len(sentence)), (m.start(), m.end()))
    possessor = _POSSESSOR.search(sentence[: m.start()]) if word in _NOUNS else None
    if possessor:  # "Donald Trump's warning to Iran": a noun speaks for its possessor
        return Speech(m.span(), strong, possessor.group(1), (m.end(), len(sentence)), possessor.span(1))
    if word.endswith("ing"):  # "..., warning that ...": the main verb's speaker said it
        return Speech(m.span(), strong, "", (m.end(), len(sentence)), (m.start(), m.end()))
    if word in _NOUNS:
        return None
    if _ARABIC_VERB.match(word):
        return _verb_first(sentence, m, strong)
    return _inverted(sentence, m, floor, strong) or _speaker_first(sentence, m, floor, strong)


def _other_language(verb: str) -> bool:
    """A reporting verb of French, Russian, Ukrainian or Arabic (see ``lexicon_intl``)."""
    return not verb.isascii() or verb.split()[0].lower() in ("a", "ont")


_ARABIC_VERB = re.compile(r"[\u0600-\u06FF]")
#: Where an Arabic speaker phrase ends and what was said begins: "إن" / "أن" (that), a colon, a comma.
_ARABIC_THAT = re.compile(r"\s+(?:[إأا]ن(?:ه|ها|هم)?|ب?أن)\s|[:،,]")


def _verb_first(sentence: str, m: re.Match[str], strong: bool) -> Speech | None:
    """ "وقال بوريس جونسون إن ...": Arabic puts the verb first, then who, then what was said."""
    end = _ARABIC_THAT.search(sentence, m.end())
    if end is None or end.start() - m.end() > 120:
        return None
    speaker = _clean(sentence[m.end() : end.start()])
    if not speaker:
        return None
    return Speech(m.span(), strong, speaker, (end.end(), len(sentence)), (m.start(), end.start()))


def _naming(sentence: str, m: re.Match[str]) -> bool:
    """ "what it called a terrorist attack", "what officials called": a name given, not speech."""
    if m.group().lower() != "called":
        return False
    before = sentence[max(0, m.start() - 30) : m.start()]
    return not re.match(r"\s+(?:the|it|them|him|her|for|on)\b", sentence[m.end() :]) or bool(
        re.search(r"\bwhat\s+(?:\S+\s+){0,2}$", before)
    )


def _inverted(sentence: str, m: re.Match[str], floor: int, strong: bool) -> Speech | None:
    """ "...,” said Capt Bill Urban, spokesman for ..." and "..., the coalition said.": the
    attribution after what it reports."""
    after = sentence[m.end() :]
    comma = max(sentence.rfind(",", floor, m.start()), sentence.rfind("”", floor, m.start()))
    if comma >= 0 and not sentence[comma + 1 : m.start()].strip(' "”'):
        parts = re.split(r"[.;]", after, maxsplit=1)[0].split(",")
        # "said Capt Bill Urban, spokesman for the US Central Command"; not ", speaking in Geneva"
        role = (
            parts[1:2] if len(parts) > 1 and (SPOKESPERSON.search(parts[1]) or _ROLE.match(parts[1])) else []
        )
        speaker = _clean(",".join(parts[:1] + role))
        # "..., сообщила коалиция", "..., a indiqué la coalition": other languages put a common
        # noun there as English puts a name ("..., said Capt Bill Urban")
        named = speaker[:1].isupper() or _other_language(m.group()) if speaker else False
        if named and not PRONOUN.match(speaker.split()[0]):
            return Speech(m.span(), strong, speaker, (0, comma), (m.end(), len(sentence)), inverted=True)
    if not _short_tail(after):
        return None
    start = _attribution_start(sentence, floor, m.start())
    if start is None:
        return None
    tail = m.end() + len(re.split(r"[,;]", after, maxsplit=1)[0])
    return Speech(
        m.span(), strong, _speaker(sentence[start : m.start()]), (0, start), (start, tail), inverted=True
    )


def _speaker_first(sentence: str, m: re.Match[str], floor: int, strong: bool) -> Speech:
    """ "The US military on Thursday said it was ...": the speaker before the verb."""
    left_start = max(floor, _clause_start(sentence, m.start()))
    left = sentence[left_start : m.start()]
    speaker = "" if re.search(r"\b(?:and|but|or)\s*$", left) else _speaker(left)
    return Speech(m.span(), strong, speaker, (m.end(), len(sentence)), (left_start, m.end()))


def _attribution_start(sentence: str, floor: int, verb: int) -> int | None:
    """Where a closing attribution starts ("..., a US official said"): after the comma or closing
    quote before its speaker, skipping an apposition (", a spokesman for X,")."""
    end = verb
    for _ in range(3):
        at = max(
            sentence.rfind(",", floor, end), sentence.rfind("”", floor, end), sentence.rfind('"', floor, end)
        )
        if at < 0:
            return None
        words = sentence[at + 1 : verb].strip(' ,"”')
        if len(words.split()) > 20:
            return None
        if words and (words[0].isupper() or _DETERMINER.match(words) or _BARE_NOUNS.fullmatch(words)):
            return _before_apposition(sentence, floor, at) if _APPOSITION.match(words) else at + 1
        end = at
    return None


def _before_apposition(sentence: str, floor: int, at: int) -> int:
    """Where a speaker named before an apposition starts ("...," Colonel Ahmed Saleh, a spokesman
    for the army, said), else right after ``at``."""
    before = max(
        sentence.rfind(",", floor, at), sentence.rfind("”", floor, at), sentence.rfind('"', floor, at)
    )
    name = sentence[before + 1 : at].strip(' "”')
    return before + 1 if before >= 0 and name[:1].isupper() and len(name.split()) <= 6 else at + 1


def _according(sentence: str, m: re.Match[str]) -> Speech:
    rest = sentence[m.end() :]
    speaker = _clean(re.split(r"[,.;]", rest, maxsplit=1)[0])
    end = m.end() + len(re.split(r"[,.;]", rest, maxsplit=1)[0])
    if not sentence[: m.start()].strip():  # "According to X, ..." says what follows
        return Speech(m.span(), False, speaker, (end, len(sentence)), (m.start(), end))
    return Speech(m.span(), False, speaker, (0, m.start()), (m.start(), end), inverted=True)


def _clause_start(sentence: str, verb: int) -> int:
    start = 0
    for c in _CLAUSE_START.finditer(sentence, 0, verb):
        start = c.end()
    # "On Tuesday, Kataib Hezbollah, the most powerful of them, said": commas are not clause ends
    return start


def _short_tail(after: str) -> bool:
    """The words after a reporting verb are only when/where ("on Friday", "at the ceremony")."""
    tail = re.split(r"[,;]", after, maxsplit=1)[0]
    return len(tail.split()) <= 6 and not re.match(r"\s*(?:that|it|he|she|they|we|the|a|an)\b", tail, re.I)


def _speaker(left: str) -> str:
    """The speaker in the words before a reporting verb, without when, where and appositions:
    of the comma-separated parts, the last that starts with a name or a pronoun ("..., Zelensky"),
    else the first ("Kataib Hezbollah, the most powerful of them,")."""
    kept = []
    for part in left.split(","):
        if _ADVERBIAL.match(part):
            part = _ADVERBIAL.sub("", part)
        elif _ONLY_ADVERBIAL.match(part):
            continue  # "In London", "On Tuesday": when and where, no one
        if part.strip():
            kept.append(part.strip())
    if not kept:
        return ""
    named = [p for p in kept if p[0].isupper() or PRONOUN.match(p.split()[0])]
    head = named[-1] if named and not kept[0][0].isupper() else kept[0]
    affiliation = [p for p in kept if p is not head and SPOKESPERSON.search(p)]
    return _clean(", ".join([head, *affiliation]))


def _clean(phrase: str) -> str:
    phrase = _TRAILING_DATE.sub("", phrase.strip(" \t\"“”'’,"))
    phrase = _VERB_AFTER_SPEAKER.sub("", phrase)
    words = phrase.split()
    return "" if len(words) > _MAX_SPEAKER_WORDS else " ".join(words)[:120]


def frame_of(at: int, frames: Sequence[Speech], quotes: Sequence[tuple[int, int]]) -> Speech | None:
    """The report of speech whose content holds offset ``at``, if any."""
    for frame in frames:
        if frame.content[0] <= at < frame.content[1]:
            return frame
    for start, end in quotes:
        if start <= at < end and frames:
            return frames[0]
    return None


def speaker_key(speaker: str) -> frozenset[str]:
    """Who a speaker phrase names, as words to compare: no titles, no grammar. Empty for a pronoun
    or a bare role ("he", "the president"), which refers back to the last speaker."""
    if PRONOUN.match(speaker.strip()):
        return frozenset()
    words = {w.lower().removesuffix("'s") for w in _WORD.findall(speaker.replace("’", "'"))}
    return frozenset(w for w in words if w not in _NOT_NAME and len(w) > 1)


def same_speaker(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two speaker keys may name the same speaker: one names no more than the other."""
    return bool(a) and bool(b) and (a <= b or b <= a)
