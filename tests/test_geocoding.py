"""The geopy Geocoder over the gazetteer, and the opt-in online geocoder behind a cache."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import located
from geopy.exc import GeocoderUnavailable
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geodata.gazetteer import Entry, Gazetteer
from geodata.geocoding import CachedOnlineGeocoder, OfflineGeocoder
from geodata.model import Place


def test_speaks_geopy(tiny_geocoder: OfflineGeocoder) -> None:
    assert isinstance(tiny_geocoder, Geocoder)
    location = located(tiny_geocoder.geocode("Arbil"))
    assert isinstance(location, Location)
    assert (location.latitude, location.longitude) == (36.19117, 44.00943)
    assert location.raw["precision"] == "city" and location.raw["id"] == "geonames:95446"
    many = tiny_geocoder.geocode("Washington", exactly_one=False)
    assert [loc.raw["country"] for loc in many] == ["US", "GB"]
    assert tiny_geocoder.geocode("Nowhere at all") is None


def test_country_hints(tiny_geocoder: OfflineGeocoder) -> None:
    assert located(tiny_geocoder.geocode("Washington", country_codes="gb")).raw["country"] == "GB"
    # A country after a comma is a filter, not a preference: there is no Washington in Iraq, and
    # neither Washington elsewhere is offered instead.
    assert located(tiny_geocoder.geocode("Washington")).raw["country"] == "US"
    assert tiny_geocoder.geocode("Washington, Iraq") is None
    assert located(tiny_geocoder.geocode("Erbil, Iraq")).raw["id"] == "geonames:95446"
    assert located(tiny_geocoder.geocode({"city": "Erbil", "country": "Iraq"})).raw["id"] == "geonames:95446"


def test_a_region_hint_breaks_ties(tiny_geocoder: OfflineGeocoder) -> None:
    taji = Entry("geonames:1", "Taji", 33.5, 44.3, "city", "IQ", admin1="Baghdad", population=20_000)
    other = Entry("geonames:2", "Taji", 36.0, 44.0, "city", "IQ", admin1="Erbil", population=50_000)
    geocoder = OfflineGeocoder(Gazetteer([taji, other]))
    assert located(geocoder.geocode("Taji")).raw["id"] == "geonames:2"
    assert located(geocoder.geocode("Taji", region="Baghdad")).raw["id"] == "geonames:1"
    assert located(geocoder.geocode("Taji, Baghdad")).raw["id"] == "geonames:1"  # read as a region


def test_context_after_a_comma(geocoder: OfflineGeocoder) -> None:
    assert located(geocoder.geocode("Washington, United Kingdom")).raw["country"] == "GB"
    assert located(geocoder.geocode("Erbil, Iraq")).raw["id"] == "geonames:95446"


def test_locate_place_uses_explicit_coordinates_first(tiny_geocoder: OfflineGeocoder) -> None:
    place = Place(name="Somewhere", geo_precision="facility", lat=1.5, lon=2.5, coordinate_source="survey")
    location = located(tiny_geocoder.locate_place(place))
    assert (location.latitude, location.longitude) == (1.5, 2.5)
    assert location.raw["source"] == "survey"


def test_locate_place_falls_back_to_the_written_name(tiny_geocoder: OfflineGeocoder) -> None:
    place = Place(name="Hawler", canonical="Hewlêr City Centre", country="IQ", geo_precision="city")
    assert located(tiny_geocoder.locate_place(place)).raw["id"] == "geonames:95446"


class FakeOnline(Geocoder):
    def __init__(self, answer: Any = None, error: Exception | None = None) -> None:
        super().__init__()
        self.calls = 0
        self.answer, self.error = answer, error

    def geocode(self, query: str, **kwargs: Any) -> Any:
        self.calls += 1
        if self.error:
            raise self.error
        return self.answer


def _online(tmp_path: Path, fake: FakeOnline, offline: OfflineGeocoder) -> CachedOnlineGeocoder:
    return CachedOnlineGeocoder(fake, offline, cache_dir=tmp_path, min_delay_seconds=0)


def test_online_failure_keeps_the_offline_answer_with_a_warning(
    tmp_path: Path, tiny_geocoder: OfflineGeocoder
) -> None:
    chained = _online(tmp_path, FakeOnline(error=GeocoderUnavailable("no network")), tiny_geocoder)
    with pytest.warns(RuntimeWarning, match="using the offline answer"):
        location = located(chained.geocode("Erbil"))
    assert location.raw["id"] == "geonames:95446"


def test_online_answers_are_cached_on_disk(tmp_path: Path, tiny_geocoder: OfflineGeocoder) -> None:
    fake = FakeOnline(answer=Location("Erbil, Kurdistan Region, Iraq", (36.19, 44.01), {"osm": 1}))
    chained = _online(tmp_path, fake, tiny_geocoder)
    first = located(chained.geocode("Erbil"))
    again = located(_online(tmp_path, fake, tiny_geocoder).geocode("Erbil"))
    assert fake.calls == 1
    assert (first.latitude, again.latitude, again.address) == (36.19, 36.19, "Erbil, Kurdistan Region, Iraq")
    assert len(list(tmp_path.glob("*.json"))) == 1


def test_online_nothing_found_keeps_the_offline_answer(
    tmp_path: Path, tiny_geocoder: OfflineGeocoder
) -> None:
    chained = _online(tmp_path, FakeOnline(answer=None), tiny_geocoder)
    with pytest.warns(RuntimeWarning, match="found nothing"):
        assert located(chained.geocode("Camp Taji")).raw["kind"] == "site"


def test_the_gazetteer_is_loaded_once_and_only_when_a_name_is_looked_up(
    tiny_gazetteer: Gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import geodata.geocoding

    loads: list[object] = []

    def load(settings: object) -> Gazetteer:
        loads.append(settings)
        return tiny_gazetteer

    monkeypatch.setattr(geodata.geocoding, "load_gazetteer", load)
    geocoder = OfflineGeocoder()
    given = located(geocoder.locate_place(Place(name="Somewhere", geo_precision="city", lat=33.5, lon=44.2)))
    assert (given.latitude, given.longitude) == (33.5, 44.2)
    assert loads == []  # a place with coordinates needs no gazetteer
    hawler = Place(name="Hawler", country="IQ", geo_precision="city")
    assert located(geocoder.locate_place(hawler)).raw["id"] == "geonames:95446"
    assert located(geocoder.geocode("Erbil")).raw["id"] == "geonames:95446"
    assert len(loads) == 1
