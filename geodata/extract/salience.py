"""How central a drafted event is to its article, and how sure the drafting is of it.

Salience: ``main`` for what the headline and lede report, ``background`` for history (a date more
than ``BACKGROUND_DAYS`` before publication or a span reaching back more than ``HISTORY_DAYS``,
another year, "since 2014", "last year"),
``secondary`` for the rest. Confidence: a logistic combination of what the drafting read (cue
strength, a date read from the text, how precise the place is, how many sentences support the
event, salience, whether the event is only reported by a speaker or is several events), with
weights fitted on the dev set (``python -m benchmarks calibrate``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable

from geodata.extract.grouping import Group
from geodata.extract.lexicon import HISTORY, YEAR
from geodata.extract.mentions import Mention

SALIENCES = ("main", "secondary", "background")
BACKGROUND_DAYS = 30
#: A span that starts longer ago than this ("since February", "this year") tells history.
HISTORY_DAYS = 90
_RANK = {"main": 2, "secondary": 1, "background": 0}
_PLACE = {"site": 1.0, "city": 1.0, "region": 0.6, "country": 0.3, "continent": 0.1}
#: A statement the article does not date is taken as said by publication: a weak date.
_UNDATED_SPEECH = 0.3
_DATE = {"own": 1.0, "sentence": 0.7, "announced": 0.7, "said": 0.5, "": 0.0}

#: Names of the features, in the order of ``WEIGHTS`` (after the intercept).
FEATURES = ("cue", "dated", "place", "support", "main", "background", "reported", "aggregate", "speech")
#: Intercept and weights of the logistic model, fitted on the dev set's 137 drafts (88 matching a
#: gold event) with an L2 penalty of 1: ``python -m benchmarks calibrate`` refits and prints them.
WEIGHTS = (-2.00, 0.41, 1.51, 1.18, 0.42, 0.83, -0.56, 0.08, -0.13, 0.55)


def mention_salience(mention: Mention, sentence: str, published: dt.date, *, lead: bool) -> str:
    """The salience of one mention in its sentence (``lead``: the sentence is headline or lede)."""
    date = mention.date
    if date is not None and mention.date_how in ("own", "sentence", "announced"):
        if (published - date.last).days > BACKGROUND_DAYS or (published - date.first).days > HISTORY_DAYS:
            return "background"  # long before, or reaching far back ("since February")
    elif HISTORY.search(sentence) or any(int(y) != published.year for y in YEAR.findall(sentence)):
        return "background"
    return "main" if lead else "secondary"


def group_salience(saliences: Iterable[str], group: Group, published: dt.date) -> str:
    """An event is as salient as its most salient mention, and background when it is old."""
    date = group.date
    if date is not None and (published - date.last).days > BACKGROUND_DAYS:
        return "background"
    return max(saliences, key=_RANK.__getitem__, default="secondary")


def features(group: Group, salience: str, *, placed: bool) -> tuple[float, ...]:
    """The numbers the confidence of a drafted event is computed from, named by ``FEATURES``."""
    dated = group.dated
    place = group.place
    precision = _PLACE.get(place.entry.kind, 0.0) if place is not None and place.entry is not None else 0.0
    sentences = len({m.sentence for m in group.mentions})
    return (
        max(m.strength for m in group.mentions),
        _DATE[dated.date_how] if dated is not None else _UNDATED_SPEECH if group.family == "speech" else 0.0,
        precision if placed else 0.0,
        math.log1p(sentences),
        float(salience == "main"),
        float(salience == "background"),
        float(all(m.reported for m in group.mentions)),
        float(group.aggregate),
        float(group.family == "speech"),
    )


def confidence(values: tuple[float, ...], weights: tuple[float, ...] = WEIGHTS) -> float:
    """The probability that a draft with these feature values is a real event of its article."""
    z = weights[0] + sum(w * x for w, x in zip(weights[1:], values, strict=True))
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))
