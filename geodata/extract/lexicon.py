"""The words drafting reads events by: cues per kind of event, reported speech, and the words
that make a mention hypothetical, negated, plural, a reference back or background.

Each pattern is searched case-insensitively within one sentence. A cue's named group ``v`` is
its anchor, the verb or noun that a date expression attaches to; without it the match's start is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from geodata.extract import lexicon_intl as intl

_I = re.IGNORECASE
_WEAPON = (
    r"(?:rockets?|missiles?|mortars?|(?:mortar |artillery )?rounds|drones?|shells?|bombs?|artillery|"
    r"projectiles?|katyushas?|munitions|"
    r"warplanes|jets|aircraft|bombers)"
)
_IMPACT = (
    r"(?:hit|hits|struck|strike|fired|launched|slammed|landed|impacted|rained|exploded|pounded|targeted)"
)
_AIR_DEFENCE = (
    r"(?:patriots?|air[- ]defen[cs]es?|missile[- ]defen[cs]es?|anti[- ]aircraft|surface[- ]to[- ]air|"
    r"c-ram|thaad|iron dome|s-[34]00|nasams|iris-t)"
)
_DEPLOY = (
    r"(?:deliver\w*|deploy\w*|ship(?:ped|ping|s)?|install\w*|arriv\w+|assembl\w+|build(?:ing|s)?|built|"
    r"establish\w*|station\w*|sent|send(?:ing|s)?|mov(?:ed|ing)|brought|bring(?:ing)?|set(?:ting)? up|"
    r"position\w*|reach\w*|deployment|build-?up|establishment|arrival|delivery|installation)"
)
_BASE = (
    r"(?:bases?|sites?|airfields?|air ?bases?|camps?|compounds?|facilit(?:y|ies)|palace|outposts?|garrisons?)"
)
_TROOPS = (
    r"(?:troops?|forces|soldiers|contingent|personnel|units?|marines|servicemen|trainers|brigades?|"
    r"battalions?)"
)
_MOVE = (
    r"(?:moved|mov(?:e|ing)|redeploy\w*|relocat\w+|reposition\w*|consolidat\w+|regroup\w*|sent|send(?:ing)?|"
    r"deployed|withdr(?:ew|awn|awing|aw)|pull(?:ed|ing)? (?:out|back)|brought (?:home|back)|"
    r"bring(?:ing)? (?:home|back)|evacuat\w+)"
)
_NUMBER = r"(?:two|three|four|five|six|seven|eight|nine|ten|several|\d+)"
_LEAVE = (
    r"(?:withdr(?:ew|awn|awing|aws?)|pull(?:ed|ing|s)? out|pullout|left|leav(?:e|es|ing)|vacat\w+|"
    r"given up|gave up|giv(?:e|ing) up|abandon\w*|clos(?:ed|ing))"
)


def _and(fragment: str, other: str) -> str:
    """``(?:a|b)`` and ``c|d`` as ``(?:a|b|c|d)``: the English words and other languages'."""
    return fragment[:-1] + "|" + other + ")"


@dataclass(frozen=True)
class Cue:
    """Words that report one kind of event, and how strongly they do."""

    kind: str
    pattern: re.Pattern[str]
    strength: float
    #: Words every match holds one of: a sentence without any is skipped fast.
    needs: re.Pattern[str] | None = None


def _cues(intl: Any) -> tuple[Cue, ...]:
    """The cues, with the words of ``intl`` (:mod:`geodata.extract.lexicon_intl`, or
    :data:`_ENGLISH_ONLY`) joined to the English ones."""
    weapon = _and(_WEAPON, intl.WEAPON)
    impact = _and(_IMPACT, intl.IMPACT)
    air_defence = _and(_AIR_DEFENCE, intl.AIR_DEFENCE)
    deploy = _and(_DEPLOY, intl.DEPLOY)
    base = _and(_BASE, intl.BASE)
    troops = _and(_TROOPS, intl.TROOPS)
    move = _and(_MOVE, intl.MOVE)
    return (
        Cue(
            "air_defence_deployment",
            re.compile(
                air_defence + r"\b[^.;:]{0,80}?\b(?P<v>" + deploy + r")\b|"
                r"\b(?P<v2>" + deploy + r")\b[^.;:]{0,50}?\b" + air_defence + r"\b",
                _I,
            ),
            0.85,
            re.compile(air_defence, _I),
        ),
        Cue(
            "base_handover",
            re.compile(
                r"\b(?P<v>hand(?:ed|ing|s)?)\s+(?:over\s+)?(?:[\w'’-]+\s+){0,6}?" + base + r"\b|"
                r"\b(?P<v8>" + intl.HANDOVER + r")\b[^.;]{0,120}?\b" + base + r"\b|"
                r"\b" + base + r"\b[^.;]{0,60}?\b(?P<v9>" + intl.HANDOVER + r")\b|"
                r"\b(?P<v10>" + intl.LEFT + r")\s+(?-i:(?=(?:al-|el-|Al-|El-|Аль-|Эль-|Аль-)?[A-ZА-ЯЁІЇЄҐ]))|"
                r"\b(?P<v2>hand(?:ed|ing|s)?[- ]?over|handover|base transfers?)\b|"
                r"\b(?P<v3>transferr?(?:ed|ing|s)?)\b[^.;]{0,60}?\b" + base + r"\b|"
                r"\b(?P<v4>" + _LEAVE + r")\b(?:\s+(?:of|from))?\s+(?:[\w'’-]+\s+){0,4}?"
                r"(?:" + base + r"\b|" + _NUMBER + r"\b(?!\s+(?:km|miles|kilometres|years|days)))|"
                r"\b" + base + r"\b[^.;]{0,40}?\b(?P<v5>given up|handed over|transferred|vacated|returned)\b|"
                r"\b(?P<v6>left|vacated|quit|pulled out of|withdrew from)\s+(?-i:(?=(?:al-|el-)?[A-Z]))|"
                r"\b(?:which|that)\s+(?:it|they|the\s+\w+)\s+(?:had\s+|has\s+)?"
                r"(?P<v7>left|vacated|handed over|gave up|abandoned)\b",
                _I,
            ),
            0.8,
        ),
        Cue(
            "attack",
            re.compile(
                r"\b" + weapon + r"\b[^.;]{0,60}?\b(?P<v>" + impact + r")\b|"
                r"\b(?P<v2>" + impact + r")\b[^.;]{0,30}?\b" + weapon + r"\b|"
                r"\b(?P<v3>attacked|shelled|bombed|raided|ambushed|killed|killing|wounded|wounding|injured|"
                r"(?:was|were|been|being) hit|" + intl.HARM + r")\b|"
                r"\b(?P<v4>(?:air|drone|missile|rocket|precision) ?strikes?|airstrikes?|attacks?|strikes?|"
                r"raids?|bombings?|shelling|barrages?|salvos?|ambush(?:es)?|bombardments?|rocket fire|"
                + intl.ATTACK_NOUNS
                + r")\b",
                _I,
            ),
            0.75,
        ),
        Cue(
            "troop_movement",
            re.compile(
                r"\b" + troops + r"\b[^.;]{0,60}?\b(?P<v>" + move + r")\b|"
                r"\b(?P<v2>" + move + r")\b[^.;]{0,40}?\b" + troops + r"\b",
                _I,
            ),
            0.7,
            re.compile(troops, _I),
        ),
    )


#: Event words that are nouns: a determiner before one refers back ("the attacks"), and one in
#: a speaker's words is spoken of, not newly told.
NOUNS = frozenset(
    """attack attacks strike strikes airstrike airstrikes raid raids bombing bombings shelling barrage
    barrages salvo salvos ambush ambushes bombardment bombardments assault fire deployment build-up buildup
    establishment arrival delivery installation handover hand-over transfer transfers withdrawal pullout
    departure move moves redeployment repositioning battery batteries system systems""".split()
)
#: Which of two kinds read from the same anchor word is meant: the more specific.
KIND_RANK = {"air_defence_deployment": 4, "base_handover": 3, "attack": 2, "troop_movement": 1}


#: Verbs (and nouns) that report speech. ``judge`` verbs (condemned, denied, warned ...) make a
#: statement of anything said; ``formal`` and ``plain`` ones only when what was said is not just
#: a newly told event ("announced that it had transferred the base"), and a ``plain`` one put
#: after what it reports ("..., the coalition said") attributes a fact.
def _speech(intl: Any) -> re.Pattern[str]:
    return re.compile(
        r"\b(?P<judge>denied|denies|denying|condemn(?:ed|s|ing)|accus(?:ed|es|ing)|blam(?:ed|es|ing)|"
        r"claim(?:ed|s)|vow(?:ed|s)|pledg(?:ed|es)|reject(?:ed|s)|warn(?:ed|s|ing)?|threaten(?:ed|s|ing)?|"
        r"urg(?:ed|es)|demand(?:ed|s|ing)|insist(?:ed|s)|called|" + intl.SPEECH_JUDGE + r")\b|"
        r"\b(?P<formal>announc(?:ed|es|ing)|declar(?:ed|es)|statement|confirm(?:ed|s)|"
        + intl.SPEECH_FORMAL
        + r")\b|"
        r"\b(?P<plain>said|says|saying|told|tells|stated|add(?:ed|ing)|wrote|writes|tweeted|posted|"
        r"according to|reported|" + intl.SPEECH_PLAIN + r")\b",
        _I,
    )


class _EnglishOnly:
    """Other languages' word lists that match nothing: the lexicon of English sentences (each
    language's words are tried only in sentences with letters English does not use: the longer
    patterns cost drafting half its speed)."""

    def __getattr__(self, name: str) -> str:
        return "(?!)"


_ENGLISH_ONLY = _EnglishOnly()
CUES = _cues(intl)
CUES_EN = _cues(_ENGLISH_ONLY)
SPEECH = _speech(intl)
SPEECH_EN = _speech(_ENGLISH_ONLY)
#: Letters English does not use: a sentence with one is read with every language's words.
OTHER_LETTERS = re.compile(r"[À-ɏͰ-ӿ؀-ۿ]")

#: How a statement was made, right before its date: "in a statement on Thursday".
SPEECH_MEDIUM = re.compile(
    r"\bin an? (?:[\w-]+\s+){0,2}(?:statement|post|interview|briefing|message|speech|address|tweet)\s*$", _I
)
#: A threat of consequences: what makes a statement a warning.
CONSEQUENCES = re.compile(
    r"\b(?:pay (?:a |the )?(?:very |heavy |high |steep |dear )*price|pay dearly|"
    r"(?:bear|face) (?:the |severe |serious )?consequences|ultimatum|retaliat\w+|threaten(?:ed|s|ing)?)\b",
    _I,
)
#: Speakers who are no one in particular: an attribution, not a statement, unless strong.
ANONYMOUS_HEAD = re.compile(
    r"^(?:(?:a|an|another|one|some|two|three|several)\s.*|(?:[\w'’-]+\s+){0,4}?"
    r"(?:officials|sources|witnesses|residents|media|people|diplomats|analysts|observers|reports))$",
    _I,
)
SPOKESPERSON = re.compile(r"\bspokes(?:man|woman|person)\b", _I)
PRONOUN = re.compile(r"^(?:he|she|they|it|we|i)$", _I)

#: Words before a cue (in its clause) that make it not happen, or not yet.
NEGATED = re.compile(r"\b(?:not|no|never|without|nor|neither|n't|denied|deny|failed to)\b", _I)
HYPOTHETICAL = re.compile(
    r"\b(?:if|unless|would|could|might|may|will|shall|can|plan(?:s|ned|ning)?|prepar(?:e|es|ed|ing)|"
    r"intend\w*|expect\w*|threat\w*|ready to|aim\w* to|seek\w* to|fear\w*|against|protect\w*|prevent\w*|"
    r"deter\w*|whether|avoid\w*|tolerate|cease|stop|any|future|possible|potential)\b",
    _I,
)
#: A decision announced by its maker ("said it would withdraw its contingent") is the move.
ANNOUNCED = re.compile(r"\b(?:would|will)\b", _I)
#: An event that is several events: "a series of attacks", "four bases" (the words before the
#: event word), "hit twice", "withdrawing from four" (the words right after it).
AGGREGATE_BEFORE = re.compile(
    r"\b(?:(?:series|run|spate|wave|string|number|dozens|hundreds|scores)\s+of|repeated|multiple|several|"
    r"(?:two|three|four|five|six|seven|eight|nine|ten|\d+)\s+(?:more|other|smaller|larger|separate))\s+"
    r"(?:[\w-]+\s+){0,2}$",
    _I,
)
AGGREGATE_AFTER = re.compile(
    r"^\W*(?:\w+\s+){0,2}?(?:repeatedly|twice|(?:almost |nearly )?(?:daily|nightly|weekly)|"
    r"every (?:day|night)|regularly|\d+\s+times|(?:from|of)\s+(?:two|three|four|five|six|seven|"
    r"\d+)\b(?!\s+(?:km|miles|kilomet|years|days|months|weeks)))",
    _I,
)
#: A reference back to an event already told ("the attacks", "the build-up", "that strike").
DEFINITE = re.compile(
    r"\b(?:the|that|these|those|this|its|their|yesterday's|[A-Z]\w+day's)\s+(?:\w+\s+){0,2}$", _I
)
#: A further event of the same kind ("Another was shipped to Erbil", "a second battery").
CONTINUATION = re.compile(
    r"^\W*(?:another|a second|a third|a further|one more|two more|the other|the second)\b", _I
)
#: Verbs that carry a further event of the kind of the sentence before ("Another was shipped").
CONTINUED_VERB = re.compile(
    r"\b(?P<v>deliver\w*|deploy\w*|ship(?:ped)?|install\w*|arriv\w+|sent|moved|struck|hit|handed|left|"
    r"transferred)\b",
    _I,
)
#: Nouns that name an event of a kind already reported, with the verbs that make them one.
REFERENCE = {
    "air_defence_deployment": re.compile(
        r"\b(?:batter(?:y|ies)|systems?)\b[^.;]{0,60}?\b(?P<v>" + _DEPLOY + r")\b|"
        r"\b(?P<v2>build-?up|deployment)\b",
        _I,
    ),
    "base_handover": re.compile(r"\b(?P<v>withdrawal|pullout|handover|transfer|departure)\b", _I),
    "troop_movement": re.compile(r"\b(?P<v>moves|move|redeployment|repositioning)\b", _I),
}

#: History and background: another time than the news.
HISTORY = re.compile(
    r"\b(?:last year|late last year|in the past|for years|years ago|decades?|history|historic\w*|"
    r"previously|formerly|once|long)\b",
    _I,
)
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
#: A newswire dateline: "BAGHDAD, March 12 (Levant Wire) -", "KYIV -", "AL-QAIM, Iraq -".
_CAPS = "A-ZА-ЯЁІЇЄҐ"  # Latin and Cyrillic capitals
_ARABIC_WORDS = r"[\u0621-\u064A]+(?:\s[\u0621-\u064A]+){0,2}"
#: A dateline: "BAGHDAD, March 12 (Reuters) - ", "БАГДАД, 12 марта (Levant Wire) - ", "بغداد، 12
#: مارس - " (a place in capitals, or Arabic words; a state; a date either way round; an agency).
DATELINE = re.compile(
    rf"(?P<place>[{_CAPS}][{_CAPS}'’.-]+(?:\s[{_CAPS}][{_CAPS}'’.-]+)*|{_ARABIC_WORDS}(?=[,،]|\s\())"
    r"(?:\s*\([^)\d]{1,30}\)(?=[,،]))?"
    r"(?:,\s*[A-Z][a-z]+)?"
    r"(?:[,،]\s*(?P<date>[^\W\d_]{3,12}\.?\s+\d{1,2}|\d{1,2}\s+[^\W\d_]{3,12}(?:/[^\W\d_]{3,12})?))?"
    r"(?:\s*\([^)]{1,40}\))?\s*[-–—]\s"
)
#: Image captions and credits: not reported events of the article's own day.
CREDIT = re.compile(r"\b(?:EPA|AFP|AP|Reuters|Getty)(?:-EFE)?/|^\W*(?:epa|afp|ap)\d{4,}", re.IGNORECASE)
