"""Cues from the words between and around place names: qualifiers, lists, kind words, the
country a sentence names."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from geodata.extract import cues
from geodata.extract.cues import fixed_bonuses, list_groups, read_cues, with_list_bonuses
from geodata.extract.geoparse import Geoparser
from geodata.extract.ranking import HAND
from geodata.gazetteer import Entry, Gazetteer

GEORGIA_US = Entry("admin1:US:Georgia", "Georgia", 32.75, -83.5, "region", "US", admin1="Georgia", code="GA")
GEORGIA = Entry("country:GE", "Georgia", 42.0, 43.5, "country", "GE")
ATLANTA = Entry("geonames:1", "Atlanta", 33.75, -84.39, "city", "US", admin1="GA", population=500_000)
TBILISI = Entry("geonames:2", "Tbilisi", 41.69, 44.83, "city", "GE", admin1="TB", population=1_000_000)


@dataclass(frozen=True)
class Reading:
    entry: Entry
    prior: float


def _spans(text: str, *names: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for name in names:
        start = text.index(name, start)
        spans.append((start, start + len(name)))
        start += len(name)
    return spans


def test_joins_and_kind_words_are_read_from_the_text() -> None:
    text = "Cases in Atlanta, Georgia, Ohio and Utah; the state of Victoria and Washington state."
    found = read_cues(text, _spans(text, "Atlanta", "Georgia", "Ohio", "Utah", "Victoria", "Washington"))
    assert found.links == ("comma", "comma", "list", None, "list")
    assert found.kinds == {4: "region", 5: "region"}
    town = "the city of Quebec and Quebec city; Lagos State and Lagos"
    assert read_cues(town, _spans(town, "Quebec", "Quebec", "Lagos", "Lagos")).kinds == {0: "city", 1: "city"}


def test_sentences_end_at_a_full_stop_before_a_space_and_at_a_line_break() -> None:
    text = "Atlanta is hot. Georgia, Ohio! Utah\nTexas (in the U.S. says Mr. Smith) and Iowa. and Maine"
    found = read_cues(text, _spans(text, "Atlanta", "Georgia", "Ohio", "Utah", "Texas", "Iowa", "Maine"))
    assert found.sentences == (0, 1, 1, 2, 3, 3, 3)


def test_a_country_a_sentence_surely_names_favours_its_places_in_that_sentence_only() -> None:
    text = "In Georgia, Atlanta voted. Tbilisi and Atlanta."
    spans = _spans(text, "Georgia", "Atlanta", "Tbilisi", "Atlanta")
    options = [
        (Reading(GEORGIA, 39.0), Reading(GEORGIA_US, 33.0)),
        (Reading(ATLANTA, 30.0),),
        (Reading(TBILISI, 30.0),),
        (Reading(ATLANTA, 30.0),),
    ]
    bonuses: list[dict[str, float]] = [{} for _ in options]
    cues.add_sentence_countries(read_cues(text, spans), options, {0: "GE"}, bonuses)
    # Not the country itself, not Atlanta (in the US), not Tbilisi (another sentence).
    assert bonuses == [{}, {}, {}, {}]
    text = "In Georgia, Tbilisi voted. Tbilisi again."
    spans = _spans(text, "Georgia", "Tbilisi", "Tbilisi")
    options = [options[0], (Reading(TBILISI, 30.0),), (Reading(TBILISI, 30.0),)]
    bonuses = [{} for _ in options]
    cues.add_sentence_countries(read_cues(text, spans), options, {0: "GE"}, bonuses)
    assert bonuses == [{}, {TBILISI.id: cues.SENTENCE_COUNTRY}, {}]


def test_a_comma_joins_only_when_nothing_else_stands_between() -> None:
    text = "Atlanta.\n\nGeorgia, then Ohio, Utah"
    assert read_cues(text, _spans(text, "Atlanta", "Georgia", "Ohio", "Utah")).links == (None, None, "comma")


def test_a_qualifier_is_a_comma_pair_where_the_second_contains_the_first() -> None:
    options = [(Reading(ATLANTA, 30.0),), (Reading(GEORGIA, 39.0), Reading(GEORGIA_US, 33.0))]
    bonuses, qualified = fixed_bonuses(
        read_cues("Atlanta, Georgia", [(0, 7), (9, 16)]), ["atlanta", "georgia"], options
    )
    assert qualified == {0}
    assert bonuses == [{ATLANTA.id: cues.QUALIFIER}, {GEORGIA_US.id: cues.QUALIFIER}]
    # Tbilisi is in the other Georgia: the same words, the other reading.
    options = [(Reading(TBILISI, 30.0),), options[1]]
    bonuses, _ = fixed_bonuses(
        read_cues("Tbilisi, Georgia", [(0, 7), (9, 16)]), ["tbilisi", "georgia"], options
    )
    assert bonuses[1] == {GEORGIA.id: cues.QUALIFIER}


def test_a_cue_carries_in_part_to_other_mentions_of_the_name() -> None:
    text = "Georgia state officials met. Georgia said"
    options = [(Reading(GEORGIA, 39.0), Reading(GEORGIA_US, 33.0))] * 2
    bonuses, _ = fixed_bonuses(read_cues(text, _spans(text, "Georgia", "Georgia")), ["georgia"] * 2, options)
    assert bonuses == [{GEORGIA_US.id: cues.KIND_WORD}, {GEORGIA_US.id: cues.KIND_WORD * cues.SAME_NAME}]


def test_list_groups_split_at_qualifiers_and_alike_items_gain() -> None:
    found = read_cues("a, b, c and d. e, f", [(0, 1), (3, 4), (6, 7), (12, 13), (15, 16), (18, 19)])
    assert list_groups(found, set()) == [[0, 1, 2, 3], [4, 5]]
    assert list_groups(found, {1}) == [[0, 1], [2, 3], [4, 5]]
    # Beside a US city and a US state, the US state is as like them as can be in country, half in kind.
    state = (Reading(GEORGIA_US, 33.0),)
    gained = with_list_bonuses([{}, {}, {}], [[0, 1, 2]], [ATLANTA, GEORGIA_US, None], [(), (), state])
    assert gained[2] == {GEORGIA_US.id: cues.LIST_COUNTRY + cues.LIST_KIND / 2}
    # The country Georgia beside the US state: no kind, no country in common.
    country = (Reading(GEORGIA, 39.0),)
    gained = with_list_bonuses([{}, {}], [[0, 1]], [GEORGIA_US, GEORGIA], [(), country])
    assert gained[1] == {GEORGIA.id: 0.0}
    # With no other item read, there is nothing to be alike.
    gained = with_list_bonuses([{}, {}], [[0, 1]], [None, GEORGIA], [(), country])
    assert gained[1] == {GEORGIA.id: 0.0}


def _list_bonus(entry: Entry, siblings: list[Entry]) -> float:
    """The list cue read plainly: the shares of the other items of the same kind and country."""
    if not siblings:
        return 0.0
    kind = sum(1 for s in siblings if s.kind == entry.kind) / len(siblings)
    country = sum(1 for s in siblings if s.country == entry.country) / len(siblings)
    return cues.LIST_KIND * kind + cues.LIST_COUNTRY * country


def test_containment() -> None:
    assert GEORGIA_US.contains(ATLANTA) and not GEORGIA.contains(ATLANTA)
    assert GEORGIA.contains(TBILISI) and not GEORGIA_US.contains(TBILISI)
    assert not ATLANTA.contains(GEORGIA_US) and not GEORGIA_US.contains(GEORGIA_US)


@pytest.fixture(scope="module")
def parser(gazetteer: Gazetteer) -> Geoparser:
    return Geoparser(gazetteer)


@pytest.mark.parametrize(
    ("text", "broken", "name", "cued", "uncued"),
    [
        # Each text beside the same text with its cue broken: the check that the cue decides
        # for the hand weights; the learned ranker (the parser's default) reads the cued text
        # the same way.
        (
            "Samples went to the CDC in Atlanta, Georgia. Jakarta and Bandung wait.",
            "Samples went to the CDC in Atlanta. Georgia. Jakarta and Bandung wait.",
            "Georgia",
            ("US", "region"),
            ("GE", "country"),
        ),
        (
            "The firm is based in London, Ontario.",
            "The firm is based in London. Ontario",
            "London",
            ("CA", "city"),
            ("GB", "city"),
        ),
        (
            "Cases in the United States and Canada: British Columbia, Alberta, Manitoba, Ontario and "
            "New Brunswick. Ohio, Texas, Utah and California too.",
            "Cases in the United States and Canada: British Columbia. Alberta. Manitoba. Ontario. "
            "New Brunswick. Ohio, Texas, Utah and California too.",
            "Ontario",
            ("CA", "region"),
            ("US", "city"),
        ),
        (
            "A cow found at a Washington state farm.",
            "A cow found at a Washington farm.",
            "Washington",
            ("US", "region"),
            ("US", "city"),
        ),
    ],
)
def test_cues_decide_between_namesakes(
    parser: Geoparser, text: str, broken: str, name: str, cued: tuple[str, str], uncued: tuple[str, str]
) -> None:
    hand = Geoparser(parser.gazetteer, ranker=HAND)
    for ranker, words, expected in ((hand, text, cued), (hand, broken, uncued), (parser, text, cued)):
        found = {t.name: t.entry for t in ranker.parse(words)}
        entry = found[name]
        assert entry is not None, words
        assert (entry.country, entry.kind) == expected, words


def test_list_bonuses_count_each_item_against_the_others() -> None:
    options = [
        (Reading(ATLANTA, 30.0),),
        (Reading(GEORGIA, 39.0), Reading(GEORGIA_US, 33.0)),
        (Reading(TBILISI, 30.0),),
        (),
    ]
    best = [ATLANTA, GEORGIA, TBILISI, None]
    extra = with_list_bonuses([{}, {GEORGIA_US.id: 1.0}, {}, {}], [[0, 1, 2, 3]], best, options)
    for i, readings in enumerate(options):
        siblings = [e for k, e in enumerate(best) if k != i and e is not None]
        for reading in readings:
            expected = _list_bonus(reading.entry, siblings) + (1.0 if reading.entry is GEORGIA_US else 0.0)
            assert extra[i][reading.entry.id] == pytest.approx(expected)
    assert extra[1][GEORGIA_US.id] == pytest.approx(1.0 + (cues.LIST_KIND * 0 + cues.LIST_COUNTRY * 1) / 2)
