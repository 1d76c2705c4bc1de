"""The actor dictionary: one name and type per actor, used by the actor filter and drafting."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from geodata.actors import KnownActor, actor_dictionary, canonical_actor, load_actor_dictionary
from geodata.errors import GeodataError
from geodata.extract.pipeline import extract_article
from geodata.frame import events_frame, filter_events
from geodata.geocoding import OfflineGeocoder
from geodata.model import ACTOR_TYPES, Event
from geodata.settings import DEFAULTS

COALITION = "US-led coalition (CJTF-OIR)"


@pytest.mark.parametrize(
    "name", ["US-led coalition", "coalition forces", "the Coalition", "CJTF-OIR", "Coalition Forces"]
)
def test_the_names_of_one_actor_are_one_name(name: str) -> None:
    assert canonical_actor(name) == COALITION


def test_a_name_the_dictionary_lacks_stays_as_it_is() -> None:
    assert canonical_actor("Capt. Bill Urban") == "Capt. Bill Urban"


def test_every_entry_has_an_acled_type_and_a_source() -> None:
    dictionary = load_actor_dictionary(DEFAULTS.actors_file)
    known = {actor_dictionary().get(name) for name in ("IRGC", "Daesh", "Ansar Allah", "PMF")}
    assert None not in known and len(known) == 4
    for actor in known:
        assert isinstance(actor, KnownActor) and actor.type in ACTOR_TYPES
        assert actor.source.startswith("https://")
    assert dictionary.get("Kata'ib Hizballah") == dictionary.get("Kataib Hezbollah")


def test_short_capitals_are_found_only_as_written() -> None:
    text = "IS is blamed; the attack is by KH, and coalition forces left. Kh is a sound."
    assert [a.name for a in actor_dictionary().found_in(text)] == [
        "Islamic State",
        "Kataib Hezbollah",
        COALITION,
    ]
    assert actor_dictionary().found_in("This is what it is.") == []


def test_a_bad_dictionary_names_its_entry(tmp_path: Path) -> None:
    path = tmp_path / "actors.yaml"
    path.write_text("- {name: A, type: Aliens, source: s, aliases: []}\n", encoding="utf-8")
    with pytest.raises(GeodataError, match=r"entry 1 \('A'\): unknown type 'Aliens'"):
        load_actor_dictionary(path)
    path.write_text("- {name: A, type: Civilians}\n", encoding="utf-8")
    with pytest.raises(GeodataError, match="entry 1 needs a name, a type, a source"):
        load_actor_dictionary(path)


def _event(n: int, **fields: object) -> Event:
    return Event.model_validate(
        {
            "id": f"e{n}",
            "type": "attack",
            "title": "t",
            "date": "2020-03-11",
            "place": {"name": "Erbil", "geo_precision": "city"},
            "source": {"publisher": "p", "title": "t", "quote": "q"},
            **fields,
        }
    )


def test_the_actor_filter_finds_an_actor_by_any_of_its_names(tiny_geocoder: OfflineGeocoder) -> None:
    events = [
        _event(1, actors=["coalition forces"]),
        _event(2, actor1={"name": "CJTF-OIR", "type": "External/Other forces"}),
        _event(3, actors=["Kataib Hezbollah"]),
        _event(4, actor1="Iraqi army", actor2="the coalition"),
    ]
    gdf = events_frame(events, tiny_geocoder)
    assert list(filter_events(gdf, actors=[COALITION]).index) == ["e1", "e2", "e4"]
    assert list(filter_events(gdf, actors=["US-led coalition"]).index) == ["e1", "e2", "e4"]
    assert list(filter_events(gdf, actors=["Iraqi Security Forces"]).index) == ["e4"]
    assert list(filter_events(gdf, actors=["Kataib Hezbollah"]).index) == ["e3"]


def test_drafting_names_known_actors_the_capitals_miss() -> None:
    text = "Two rockets struck a base hosting coalition forces near Erbil on Tuesday, officials said."
    drafts = extract_article(text, published=dt.date(2020, 3, 12))
    assert drafts and COALITION in drafts[0].event.actors
