"""One draft per event per article: grouping, dates by governance, statements, salience, confidence.

The short articles here are our own, written for these tests (not the dev set's reports).
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import ARTICLE, located

from geodata.coords import haversine_km
from geodata.extract.drafts import DraftedEvent
from geodata.extract.pipeline import extract_article
from geodata.geocoding import OfflineGeocoder
from geodata.settings import DEFAULTS

D = dt.date

BASRA = """---
title: Mortar rounds hit army base near Basra
publisher: Test Wire
published: 2021-06-10
---
BASRA, June 10 (Test Wire) - Two mortar rounds struck an army base near Basra on Tuesday, wounding four \
soldiers, the provincial police said.

The rounds landed close to the base's fuel depot shortly after midnight, according to a police officer.

Police spokesman Colonel Ahmed Saleh said on Wednesday that the attack would be investigated. "We will \
find those responsible," Saleh said. He added that security around the base had been stepped up.

In 2015 a similar attack on the base killed two guards.
"""

NORTH = """---
title: Ministry says troops left two outposts
publisher: Test Desk
published: 2021-06-10
---
The defence ministry said on Monday that its troops had withdrawn from two outposts near Kirkuk last week.

A Patriot battery was delivered to Erbil airport on Friday and is being assembled. Another was shipped \
to Mosul.

The deployment follows a series of rocket attacks on bases in the north over the past month.

Officials denied that any rockets had struck the Erbil base. The militia has threatened to attack the \
airport if the battery stays.
"""

KHARKIV = """---
title: Ministers trade blame over shelling
publisher: Test Desk
published: 2022-08-12
---
KYIV - Shelling killed three civilians in Kharkiv on Thursday, regional officials said.

Foreign Minister Dmytro Kuleba condemned the shelling on Thursday as a war crime. "Russia is targeting \
homes," Kuleba said. He said the attack had been carried out with rocket launchers.

Russia's defence ministry denied on Friday that its forces had shelled the city.

Kharkiv has been shelled almost daily since February.
"""


def _drafts(raw: str) -> list[DraftedEvent]:
    return extract_article(raw, name="test article")


def _kinds(drafts: list[DraftedEvent]) -> list[tuple[str, str | None]]:
    return [(d.event.type, d.event.place.canonical) for d in drafts]


# (type, where it happened: a place the gazetteer knows, the real first and last day)
FOUNDING = [
    ("air_defence_deployment", "Ain al-Asad Air Base", D(2020, 3, 23), D(2020, 3, 29)),
    ("air_defence_deployment", "Erbil", D(2020, 3, 10), D(2020, 3, 30)),
    ("base_handover", "Mosul", D(2020, 3, 30), D(2020, 3, 30)),
    ("base_handover", "Iraq", D(2020, 3, 17), D(2020, 3, 30)),  # four bases left in March
    ("attack", "Iraq", D(2020, 3, 11), D(2020, 3, 16)),  # the series of attacks on bases
    ("warning", "Iraq", D(2020, 4, 1), D(2020, 4, 1)),
    ("statement", "Iraq", D(2020, 4, 2), D(2020, 4, 2)),
]


def _fits(
    draft: DraftedEvent, kind: str, place: str, first: dt.date, last: dt.date, geocoder: OfflineGeocoder
) -> bool:
    """The right type, within 25 km of ``place`` and a date interval holding ``first`` to ``last``."""
    truth = located(geocoder.geocode(place))
    here = geocoder.locate_place(draft.event.place)
    if here is None or draft.event.type != kind:
        return False
    km = haversine_km(here.latitude, here.longitude, truth.latitude, truth.longitude)
    return km <= 25 and draft.event.date.start <= first and last <= draft.event.date.end


def test_the_founding_article_gives_one_draft_per_event(geocoder: OfflineGeocoder) -> None:
    drafts = _drafts(ARTICLE.read_text(encoding="utf-8"))
    assert len(drafts) <= 10, _kinds(drafts)
    for kind, place, first, last in FOUNDING:
        assert any(_fits(d, kind, place, first, last, geocoder) for d in drafts), (
            kind,
            place,
            _kinds(drafts),
        )
    # what the US military, Capt Urban and "he" said on Thursday is one statement
    centcom = [d for d in drafts if any("Urban" in a for a in d.event.actors)]
    assert len(centcom) == 1 and len(centcom[0].evidence) == 5


def test_a_date_goes_to_the_event_word_of_its_clause(geocoder: OfflineGeocoder) -> None:
    (attack, statement) = _drafts(BASRA)
    # "struck ... on Tuesday, ... the police said": Tuesday, not the dateline's 10 June
    assert (attack.event.type, attack.event.date.start, attack.event.date.end) == (
        "attack",
        D(2021, 6, 8),
        D(2021, 6, 8),
    )
    # "Saleh said on Wednesday that the attack would be investigated": the saying's date
    assert (statement.event.type, statement.event.date.start) == ("statement", D(2021, 6, 9))
    # "The defence ministry said on Monday that its troops had withdrawn ... last week"
    handover = _drafts(NORTH)[0]
    assert handover.event.type == "base_handover" and handover.event.place.canonical == "Kirkuk"
    assert (handover.event.date.start, handover.event.date.end) == (D(2021, 5, 31), D(2021, 6, 6))


def test_a_reported_event_without_a_date_is_no_later_than_its_telling(geocoder: OfflineGeocoder) -> None:
    text = "Rockets struck Camp Taji, the coalition said on Thursday."
    (attack,) = extract_article(text, published=D(2020, 4, 2))
    assert attack.event.type == "attack"
    assert attack.event.date.end == D(2020, 4, 2) and attack.event.date.start < D(2020, 4, 2)


def test_mentions_of_one_event_make_one_draft_with_every_sentence(geocoder: OfflineGeocoder) -> None:
    drafts = _drafts(BASRA)
    attack = drafts[0]
    assert [e["text"][:20] for e in attack.evidence] == ["BASRA, June 10 (Test", "The rounds landed cl"]
    # the 2015 attack is history: not this event, and undated, so no draft either
    assert not any("2015" in e["text"] for d in drafts for e in d.evidence)
    # three sentences of one speaker on one day are one statement
    statement = drafts[1]
    assert len(statement.evidence) == 3 and statement.event.actors[0].endswith("Ahmed Saleh")


def test_actors_leave_out_the_dateline_and_take_a_foreign_country_named_by_one_word(
    geocoder: OfflineGeocoder,
) -> None:
    attack = _drafts(BASRA)[0]
    assert "BASRA" not in attack.event.actors  # where the report was filed, not who acted
    raw = (
        "---\ntitle: Troops leave\npublisher: Test Desk\npublished: 2021-06-10\n---\n"
        "PARIS - Britain withdrew its trainers from Erbil on Tuesday, a day after Iraqi officials "
        "asked it to.\n"
    )
    moved = _drafts(raw)[0].event
    assert moved.type == "troop_movement" and "Britain" in moved.actors
    assert "PARIS" not in moved.actors and "Iraqi" not in moved.actors  # the place's own country: no party


def test_a_reference_back_joins_and_another_one_is_a_second_event(geocoder: OfflineGeocoder) -> None:
    drafts = _drafts(NORTH)
    deployments = [d for d in drafts if d.event.type == "air_defence_deployment"]
    assert [d.event.place.canonical for d in deployments] == ["Erbil International Airport", "Mosul"]
    erbil, mosul = deployments
    assert (erbil.event.date.start, erbil.event.date.precision) == (D(2021, 6, 4), "day")
    assert mosul.event.date.precision == "unknown"  # "Another was shipped": no date of its own
    assert any(e["text"].startswith("The deployment follows") for e in mosul.evidence)


def test_several_events_told_at_once_are_apart_from_one_of_them(geocoder: OfflineGeocoder) -> None:
    drafts = _drafts(NORTH)
    attacks = [d for d in drafts if d.event.type == "attack"]
    # "a series of rocket attacks ... over the past month"; the denied and the threatened attacks are none
    assert [(d.event.place.canonical, d.event.date.precision) for d in attacks] == [("Iraq", "month")]
    # "Officials denied" names no one; the militia's undated threat was made by publication
    spoken = [
        (d.event.type, d.event.actors[0], d.event.date.start, d.event.date.end)
        for d in drafts
        if d.event.type in ("statement", "warning")
    ]
    assert spoken == [("warning", "The militia", D(2021, 6, 9), D(2021, 6, 10))]


def test_statements_by_different_speakers_are_apart(geocoder: OfflineGeocoder) -> None:
    drafts = _drafts(KHARKIV)
    statements = [
        (d.event.actors[0], d.event.date.start, len(d.evidence))
        for d in drafts
        if d.event.type == "statement"
    ]
    assert statements == [
        ("Foreign Minister Dmytro Kuleba", D(2022, 8, 11), 3),
        ("Russia's defence ministry", D(2022, 8, 12), 1),
    ]
    # "Shelling killed three civilians ..., regional officials said": a told fact, not a statement
    shelling = drafts[0]
    assert (shelling.event.type, shelling.event.place.canonical, shelling.salience) == (
        "attack",
        "Kharkiv",
        "main",
    )


def test_history_is_background(geocoder: OfflineGeocoder) -> None:
    drafts = _drafts(KHARKIV)
    history = [d for d in drafts if any("since February" in e["text"] for e in d.evidence)]
    assert [(d.event.type, d.salience) for d in history] == [("attack", "background")]
    text = "Rockets hit Camp Taji on 3 January 2015. Rockets hit Camp Taji on Monday."
    old, new = extract_article(text, published=D(2020, 4, 2))
    assert (old.salience, old.event.date.start) == ("background", D(2015, 1, 3))
    assert new.salience == "main" and new.confidence > old.confidence


@pytest.mark.parametrize(
    "text",
    [
        "Officials denied that any rockets had struck Camp Taji on Monday.",
        "The militia threatened to attack Camp Taji on Monday.",
        'Iran or its proxies are planning a "sneak attack" on troops in Iraq, he said on Monday.',
        "The United States will not tolerate attacks on Camp Taji, Esper said on Monday.",
    ],
)
def test_negated_and_hypothetical_attacks_are_no_attacks(geocoder: OfflineGeocoder, text: str) -> None:
    assert not [d for d in extract_article(text, published=D(2020, 4, 2)) if d.event.type == "attack"]


def test_a_threat_of_consequences_is_a_warning(geocoder: OfflineGeocoder) -> None:
    text = (
        'President Donald Trump said on Wednesday that Iran "will pay a very heavy price" if US troops '
        "in Iraq are attacked."
    )
    (warning,) = extract_article(text, published=D(2020, 4, 2))
    assert (warning.event.type, warning.event.place.canonical, warning.event.date.start) == (
        "warning",
        "Iraq",
        D(2020, 4, 1),
    )


def test_confidence_and_preselection(geocoder: OfflineGeocoder) -> None:
    drafts = _drafts(NORTH)
    assert all(0 <= d.confidence <= 1 for d in drafts)
    assert all(d.preselected == (d.confidence >= DEFAULTS.draft_confidence_threshold) for d in drafts)
    sure = {d.event.place.canonical: d.confidence for d in drafts if d.event.type == "air_defence_deployment"}
    assert sure["Erbil International Airport"] > sure["Mosul"]  # dated and sited vs "Another was shipped"
