"""The event model: date spans, places, sources and the taxonomy."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from geodata.model import ACTOR_TYPES, Actor, DateSpan, Event, Fatalities, Place, describe_span
from geodata.taxonomy import EVENT_TYPES, event_type

D = dt.date


def test_a_bare_date_is_one_day() -> None:
    span = DateSpan.model_validate("2020-03-30")
    assert (span.start, span.end, span.precision) == (D(2020, 3, 30), D(2020, 3, 30), "day")


@pytest.mark.parametrize(
    ("precision", "start", "end"),
    [
        ("week", "2020-03-23", D(2020, 3, 29)),
        ("month", "2020-02-01", D(2020, 2, 29)),  # leap year
        ("year", "2020-01-01", D(2020, 12, 31)),
        ("day", "2020-03-30", D(2020, 3, 30)),
    ],
)
def test_missing_end_follows_precision(precision: str, start: str, end: dt.date) -> None:
    assert DateSpan.model_validate({"start": start, "precision": precision}).end == end


def test_end_before_start_is_refused() -> None:
    with pytest.raises(ValidationError, match="before start"):
        DateSpan.model_validate({"start": "2020-03-05", "end": "2020-03-01"})


def test_overlap_is_inclusive() -> None:
    span = DateSpan(start=D(2020, 3, 23), end=D(2020, 3, 29), precision="week")
    assert span.overlaps(D(2020, 3, 29), D(2020, 4, 2))
    assert span.overlaps(D(2020, 3, 1), D(2020, 3, 23))
    assert not span.overlaps(D(2020, 3, 30), D(2020, 4, 2))


@pytest.mark.parametrize(
    ("start", "end", "precision", "text"),
    [
        (D(2020, 3, 30), D(2020, 3, 30), "day", "30 March 2020"),
        (D(2020, 3, 23), D(2020, 3, 29), "week", "week of 23 March 2020"),
        (D(2020, 3, 1), D(2020, 3, 31), "month", "March 2020"),
        (D(2020, 3, 10), D(2020, 3, 30), "unknown", "between 10 March 2020 and 30 March 2020"),
    ],
)
def test_describe_span(start: dt.date, end: dt.date, precision: str, text: str) -> None:
    assert describe_span(start, end, precision) == text


def test_place_needs_both_coordinates() -> None:
    with pytest.raises(ValidationError, match="both lat and lon"):
        Place(name="x", geo_precision="city", lat=1.0)
    assert Place(name="x", geo_precision="city", lat=1.0, lon=2.0).has_coordinates


def test_place_query_prefers_canonical() -> None:
    assert (
        Place(name="Ain Al Assad base", canonical="Ain al-Asad Air Base", geo_precision="facility").query
        == "Ain al-Asad Air Base"
    )
    assert Place(name="Erbil", geo_precision="city").query == "Erbil"


def test_country_code_is_upper_cased() -> None:
    assert Place(name="x", geo_precision="city", country="iq").country == "IQ"


def test_event_rejects_unknown_fields_and_types() -> None:
    base = {
        "id": "a",
        "type": "attack",
        "title": "t",
        "date": "2020-03-11",
        "place": {"name": "Camp Taji", "geo_precision": "facility"},
        "source": {"publisher": "p", "title": "t", "quote": "q"},
    }
    Event.model_validate(base)
    with pytest.raises(ValidationError, match="unknown type"):
        Event.model_validate({**base, "type": "skirmish"})
    with pytest.raises(ValidationError, match="Extra inputs"):
        Event.model_validate({**base, "colour": "red"})


def test_taxonomy_has_the_required_types_with_crosswalk() -> None:
    required = {"air_defence_deployment", "base_handover", "attack", "statement", "warning", "troop_movement"}
    assert required <= set(EVENT_TYPES)
    for kind in EVENT_TYPES.values():
        assert kind.colour.startswith("#") and len(kind.colour) == 7
        assert kind.acled_event_type and kind.acled_sub_event_type
        assert kind.cameo_code.isdigit() and len(kind.cameo_code) in (3, 4)
    assert len({k.colour for k in EVENT_TYPES.values()}) == len(EVENT_TYPES)
    with pytest.raises(KeyError, match="unknown event type"):
        event_type("nope")


def test_place_keeps_the_gazetteer_entry_of_its_coordinates() -> None:
    place = Place(name="Erbil", geo_precision="city", lat=36.19, lon=44.01, location_id="geonames:95446")
    assert place.location_id == "geonames:95446"
    with pytest.raises(ValidationError, match="give lat and lon too, or remove location_id"):
        Place(name="Erbil", geo_precision="city", location_id="geonames:95446")


BASE = {
    "id": "a",
    "type": "attack",
    "title": "t",
    "date": "2020-03-11",
    "place": {"name": "Camp Taji", "geo_precision": "facility"},
    "source": {"publisher": "p", "title": "t", "quote": "q"},
}


@pytest.mark.parametrize(
    ("given", "low", "high", "words"),
    [
        (0, 0, 0, "0"),
        (3, 3, 3, "3"),
        ({"low": 2, "high": 5}, 2, 5, "2-5"),
        ({"low": 4}, 4, 4, "4"),
        ("2 - 5", 2, 5, "2-5"),
    ],
)
def test_fatalities_are_a_number_or_a_range(given: object, low: int, high: int, words: str) -> None:
    toll = Event.model_validate({**BASE, "fatalities": given}).fatalities
    assert toll == Fatalities(low=low, high=high) and toll is not None and toll.describe() == words


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (-1, "greater than or equal to 0"),
        ({"low": 5, "high": 2}, "below low"),
        (2.5, "must be a whole number"),
        (True, "must be a whole number"),
        ("many", "must be a whole number"),
    ],
)
def test_fatalities_that_are_no_toll_are_refused(given: object, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Event.model_validate({**BASE, "fatalities": given})


def test_an_unknown_toll_is_no_field_not_zero() -> None:
    assert Event.model_validate(BASE).fatalities is None


def test_sides_have_a_name_and_one_of_acleds_actor_types() -> None:
    event = Event.model_validate(
        {**BASE, "actor1": {"name": "Kataib Hezbollah", "type": "Political militia"}, "actor2": "US forces"}
    )
    assert event.actor1 == Actor(name="Kataib Hezbollah", type="Political militia")
    assert event.actor2 == Actor(name="US forces")
    assert len(ACTOR_TYPES) == 8
    with pytest.raises(ValidationError, match="Rebel group"):
        Event.model_validate({**BASE, "actor1": {"name": "X", "type": "Aliens"}})
    with pytest.raises(ValidationError, match="actor2 is given without actor1"):
        Event.model_validate({**BASE, "actor2": "US forces"})


def test_named_actors_lists_the_sides_first_each_once() -> None:
    event = Event.model_validate({**BASE, "actor1": "A", "actor2": "B", "actors": ["C", "A"]})
    assert event.named_actors() == ["A", "B", "C"]
