"""Events as a GeoDataFrame, and the vectorised filters."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from geodata.catalog import parse_catalogue
from geodata.errors import GeocodingError
from geodata.frame import events_frame, filter_events, load_frame, mask_bbox, mask_types
from geodata.geocoding import OfflineGeocoder

CATALOGUE = """\
- id: a
  type: attack
  title: Rockets on Camp Taji
  date: 2020-03-11
  place: {name: Camp Taji, geo_precision: facility}
  actors: [Kataib Hezbollah, US Army]
  source: {publisher: P, title: T, quote: Rockets hit the base.}
- id: b
  type: air_defence_deployment
  title: Patriot to Ain al-Asad
  date: {start: 2020-03-23, precision: week}
  place: {name: Al Asad Airbase, geo_precision: facility}
  actors: [US Army]
  source: {publisher: P, title: T, quote: A battery was delivered.}
- id: c
  type: statement
  title: Warning from Washington
  summary: A statement about Iraq
  date: {start: 2020-03-01, end: 2020-04-02, precision: unknown}
  place: {name: Iraq, geo_precision: country}
  said_at: {name: Washington, country: US, geo_precision: city}
  actors: [United States]
  source: {publisher: Wire, title: T, quote: Officials warned.}
"""


@pytest.fixture
def gdf(tiny_geocoder: OfflineGeocoder) -> gpd.GeoDataFrame:
    return events_frame(parse_catalogue(CATALOGUE).events, tiny_geocoder)


def test_one_row_per_event_in_wgs84(gdf: gpd.GeoDataFrame) -> None:
    assert list(gdf["id"]) == ["a", "b", "c"]
    assert gdf.crs.to_epsg() == 4326
    assert pd.api.types.is_datetime64_any_dtype(gdf["date_start"])
    assert pd.api.types.is_datetime64_any_dtype(gdf["date_end"])
    taji = gdf.loc["a"]
    assert (taji.geometry.x, taji.geometry.y) == (44.2775, 33.52944)  # x is longitude
    assert (taji["lat"], taji["lon"]) == (33.52944, 44.2775)
    assert gdf.loc["c", "said_at_lat"] == pytest.approx(38.89511)
    assert gdf.loc["b", "date_text"] == "week of 23 March 2020"
    assert gdf.loc["a", "acled_sub_event_type"] == "Shelling/artillery/missile attack"


@pytest.mark.parametrize(
    ("date", "text"),
    [
        ("2020-03-11", "11 March 2020"),
        ("{start: 2020-03-23, precision: week}", "week of 23 March 2020"),
        ("{start: 2020-03-23, end: 2020-04-01, precision: week}", "week of 23 March 2020 to 1 April 2020"),
        ("{start: 2020-03-01, precision: month}", "March 2020"),
        ("{start: 2020-03-10, end: 2020-03-31, precision: month}", "between 10 March 2020 and 31 March 2020"),
        ("{start: 2020-01-01, precision: year}", "2020"),
    ],
    ids=["day", "week", "long week", "month", "part of a month", "year"],
)
def test_dates_are_worded_with_their_precision(tiny_geocoder: OfflineGeocoder, date: str, text: str) -> None:
    first = CATALOGUE[: CATALOGUE.index("- id: b")].replace("date: 2020-03-11", f"date: {date}")
    assert events_frame(parse_catalogue(first).events, tiny_geocoder).loc["a", "date_text"] == text


def test_unplaced_event_names_the_event(tiny_geocoder: OfflineGeocoder) -> None:
    events = parse_catalogue(CATALOGUE.replace("Camp Taji", "Xqzzy")).events
    with pytest.raises(GeocodingError, match="event 'a'"):
        events_frame(events, tiny_geocoder)


def test_type_filter(gdf: gpd.GeoDataFrame) -> None:
    assert list(filter_events(gdf, types=["attack", "statement"])["id"]) == ["a", "c"]
    assert filter_events(gdf, types=[]).empty


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (dt.date(2020, 3, 12), dt.date(2020, 3, 22), ["c"]),
        (dt.date(2020, 3, 29), dt.date(2020, 3, 29), ["b", "c"]),  # last day of the week
        (dt.date(2020, 3, 11), dt.date(2020, 3, 11), ["a", "c"]),
        (dt.date(2020, 4, 3), dt.date(2020, 4, 30), []),
        (None, dt.date(2020, 2, 29), []),
        (dt.date(2020, 3, 30), None, ["c"]),
    ],
)
def test_time_window_is_interval_overlap(
    gdf: gpd.GeoDataFrame, start: dt.date | None, end: dt.date | None, expected: list[str]
) -> None:
    assert list(filter_events(gdf, start=start, end=end)["id"]) == expected


def test_actor_and_text_filters(gdf: gpd.GeoDataFrame) -> None:
    assert list(filter_events(gdf, actors=["US Army"])["id"]) == ["a", "b"]
    assert list(filter_events(gdf, actors=["United States", "Kataib Hezbollah"])["id"]) == ["a", "c"]
    # Actors are matched by their whole names: "US" is none of them, nor part of one.
    assert filter_events(gdf, actors=["US"]).empty and filter_events(gdf, actors=["Army"]).empty
    assert list(filter_events(gdf, text="patriot")["id"]) == ["b"]
    assert list(filter_events(gdf, text="IRAQ")["id"]) == ["c"]
    assert list(filter_events(gdf, text="hezbollah")["id"]) == ["a"]
    assert list(filter_events(gdf, text="wire")["id"]) == ["c"]
    assert list(filter_events(gdf, text="  ")["id"]) == ["a", "b", "c"]


def test_bbox_filter(gdf: gpd.GeoDataFrame) -> None:
    assert list(gdf[mask_bbox(gdf, (42.0, 33.2, 45.0, 34.0))]["id"]) == ["a", "b"]
    assert list(gdf[mask_bbox(gdf, (170.0, 33.0, 45.0, 34.0))]["id"]) == ["a", "b", "c"]  # across 180°
    assert list(gdf[mask_bbox(gdf, (44.0, 33.4, 44.5, 33.6))]["id"]) == ["a"]
    # Each edge counts: Ain al-Asad (33.79 N, 42.44 E) lies north of the first box, east of the
    # second, Camp Taji (33.53 N, 44.28 E) south of the third and west of the fourth.
    assert list(gdf[mask_bbox(gdf, (42.0, 33.2, 45.0, 33.6))]["id"]) == ["a"]
    assert list(gdf[mask_bbox(gdf, (40.0, 33.2, 42.0, 34.0))]["id"]) == []
    assert list(gdf[mask_bbox(gdf, (42.0, 33.6, 45.0, 34.0))]["id"]) == ["b"]
    assert list(gdf[mask_bbox(gdf, (44.3, 33.0, 45.0, 34.0))]["id"]) == []


def test_filters_combine(gdf: gpd.GeoDataFrame) -> None:
    out = filter_events(
        gdf,
        types=["attack", "air_defence_deployment"],
        start=dt.date(2020, 3, 20),
        actors=["US Army"],
        text="patriot",
    )
    assert list(out["id"]) == ["b"]


def test_load_frame_reads_the_bundled_catalogue(geocoder: OfflineGeocoder) -> None:
    gdf = load_frame(geocoder=geocoder)
    assert len(gdf) >= 12 and gdf["geometry"].notna().all()


def test_load_frame_of_a_file(tmp_path: Path, tiny_geocoder: OfflineGeocoder) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(CATALOGUE, encoding="utf-8")
    assert len(load_frame(path, geocoder=tiny_geocoder)) == 3


def test_a_type_filter_on_categorical_types_matches_one_on_plain_strings() -> None:
    names = ["attack", None, "statement", "deployment", "attack", "unknown-kind", "statement"]
    plain = pd.DataFrame({"type": pd.Series(names, dtype=object)})
    known = ["attack", "deployment", "statement"]  # a type outside them is read as missing
    categorical = pd.DataFrame(
        {"type": pd.Categorical([n if n in known else None for n in names], categories=known)}
    )
    for wanted in (["attack"], ["statement", "deployment"], [], ["unknown-kind"], ["attack", "missing"]):
        expected = plain["type"].isin(wanted).tolist()
        assert mask_types(categorical, wanted).tolist() == [
            e and n in known for e, n in zip(expected, names, strict=True)
        ]
    assert mask_types(plain, ["unknown-kind"]).tolist() == [n == "unknown-kind" for n in names]
