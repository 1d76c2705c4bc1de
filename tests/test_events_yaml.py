"""The bundled catalogue: valid, quoted verbatim, every coordinate sourced."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import ARTICLE

from geodata.catalog import Catalogue, read_catalogue
from geodata.geocoding import OfflineGeocoder
from geodata.settings import DEFAULTS

ARTICLE_URL = (
    "https://www.thenationalnews.com/world/mena/"
    "us-says-build-up-of-air-defences-in-iraq-going-ahead-1.1000891"
)


def squash(text: str) -> str:
    """Whitespace-insensitive form: the article uses no-break spaces, YAML folds lines."""
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def catalogue(geocoder: OfflineGeocoder) -> Catalogue:
    return read_catalogue(DEFAULTS.default_catalogue, geocoder=geocoder)


def test_every_quote_appears_verbatim_in_the_article(catalogue: Catalogue) -> None:
    article = squash(ARTICLE.read_text(encoding="utf-8"))
    for event in catalogue.events:
        assert event.source.url == ARTICLE_URL, event.id
        assert event.source.published == dt.date(2020, 4, 2)
        assert squash(event.source.quote) in article, event.id


def test_references_carry_url_and_quote(catalogue: Catalogue) -> None:
    for event in catalogue.events:
        for ref in event.references:
            assert ref.url and ref.url.startswith("https://"), event.id
            assert ref.quote, event.id
        if event.references or event.date.precision != "day":
            assert event.inference, f"{event.id}: an inferred detail needs its inference note"


def test_every_place_resolves_to_a_sourced_point_of_its_precision(
    catalogue: Catalogue, geocoder: OfflineGeocoder
) -> None:
    kind_of = {"facility": "site", "city": "city", "region": "region", "country": "country"}
    for event in catalogue.events:
        for place in filter(None, (event.place, event.said_at)):
            assert not place.has_coordinates, f"{event.id}: coordinates belong in the gazetteer"
            location = geocoder.locate_place(place)
            assert location is not None, event.id
            raw = location.raw
            assert raw["kind"] == kind_of[place.geo_precision], (event.id, raw["name"])
            source = raw["source"]
            if raw["kind"] == "site":
                assert source.startswith("http"), event.id
            else:
                sourced = ("GeoNames", "Natural Earth", "mean of", "between GeoNames", "Wikipedia's point")
                assert source.startswith(sourced), (event.id, source)


@pytest.mark.parametrize(
    ("type_", "place", "start", "end", "precision"),
    [
        ("air_defence_deployment", "Ain al-Asad Air Base", "2020-03-23", "2020-03-29", "week"),
        ("air_defence_deployment", "Erbil", None, "2020-03-30", None),
        ("base_handover", "Mosul", "2020-03-30", "2020-03-30", "day"),
        ("base_handover", "Qayyarah Airfield West", "2020-03-26", "2020-03-26", "day"),
        ("base_handover", "K-1 Air Base", "2020-03-29", "2020-03-29", "day"),
        ("base_handover", "Al Qa'im", "2020-03-17", "2020-03-17", "day"),
        ("warning", "Iraq", "2020-04-01", "2020-04-01", "day"),
        ("statement", "Iraq", "2020-04-02", "2020-04-02", "day"),
        ("attack", "Camp Taji", "2020-03-11", "2020-03-11", "day"),
        ("attack", "Camp Taji", "2020-03-14", "2020-03-14", "day"),
        ("troop_movement", "Iraq", None, None, None),
    ],
)
def test_the_articles_events_are_catalogued(
    catalogue: Catalogue, type_: str, place: str, start: str | None, end: str | None, precision: str | None
) -> None:
    matches = [
        e
        for e in catalogue.events
        if e.type == type_
        and e.place.query == place
        and (start is None or e.date.start.isoformat() == start)
        and (end is None or e.date.end.isoformat() == end)
        and (precision is None or e.date.precision == precision)
    ]
    assert matches, (type_, place, start, end)


def test_statements_say_where_they_were_said(catalogue: Catalogue) -> None:
    said_at = {
        event.id: (event.said_at.query, event.said_at.country, event.said_at.geo_precision)
        for event in catalogue.events
        if event.said_at is not None
    }
    # Each event the article says was said somewhere, and nothing else (the coalition's statement
    # is not placed: the article does not say where it was made).
    assert said_at == {
        "centcom-air-defence-statement": ("MacDill Air Force Base", "US", "facility"),
        "trump-warns-iran-sneak-attack": ("Washington", "US", "city"),
        "us-blames-iran-for-attacks": ("Washington", "US", "city"),
    }
