"""Events per first-level region in two windows and the change: the region of the nearest town,
the table, the map layer, and the choice kept in a link."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from dash_helpers import make_template, map_args, run_app, template_frame, use_copy

from dashboard.regions import FEWER, MORE, NO_REGION, counts, previous_window, region_payload
from geodata.admin import RegionFinder, admin_areas, read_towns, region_finder
from geodata.geocoding import OfflineGeocoder

BAGHDAD, ERBIL, TAJI, PACIFIC = (33.3152, 44.3661), (36.19, 44.01), (33.52944, 44.2775), (0.0, -150.0)
# GeoNames' points of the two towns (cities1000)
MOSUL, KRAMATORSK = (36.335, 43.11889), (48.72305, 37.55629)


def frame(*points: tuple[float, float]) -> pd.DataFrame:
    return pd.DataFrame({"lat": [p[0] for p in points], "lon": [p[1] for p in points]})


def test_a_point_is_in_the_region_of_its_nearest_town() -> None:
    found = region_finder().regions(*(frame(BAGHDAD, ERBIL, PACIFIC).to_numpy().T))
    assert list(found.country) == ["IQ", "IQ", None]
    assert found.region[0] != found.region[1] and found.region[2] is None
    again = region_finder().regions(np.array([np.nan, BAGHDAD[0]]), np.array([1.0, BAGHDAD[1]]))
    assert again.region[0] is None and again.region[1] == found.region[0]
    # GeoNames' names of the second level, at towns (Mosul, Kramatorsk) and nowhere in the ocean
    districts = region_finder().regions(*(frame(MOSUL, KRAMATORSK, PACIFIC).to_numpy().T))
    assert list(districts.region) == ["Ninawa", "Donetsk", None]
    assert list(districts.admin2) == ["Mosul", "Kramatorskyi Raion", None]
    regions_only = region_finder().regions(*(frame(MOSUL, KRAMATORSK).to_numpy().T), second_level=False)
    assert list(regions_only.region) == ["Ninawa", "Donetsk"] and list(regions_only.admin2) == [None, None]


def _towns(*rows: tuple[float, float, str, str]) -> pd.DataFrame:
    """Towns on the equator: (lat, lon, admin1, admin2), all in one country."""
    return pd.DataFrame(
        [(lat, lon, "XX", first, second) for lat, lon, first, second in rows],
        columns=["lat", "lon", "country", "admin1", "admin2"],
    )


KM = 1 / 111.195  # degrees of longitude per kilometre on the equator


def test_a_district_comes_from_a_town_near_enough_or_clearly_nearest() -> None:
    # A's town at 0 km, B's at 55 km east, C (no district) at 100 km west, D's region far off
    finder = RegionFinder(
        _towns((0, 0, "R", "A"), (0, 55 * KM, "R", "B"), (0, -100 * KM, "R", ""), (5, 5, "S", "D"))
    )
    east = [5, 20, -20, -45]  # km along the equator
    found = finder.regions(np.zeros(4), np.array(east) * KM)
    # 5 km: near. 20 km east: B at 35 km is not twice as far. 20 km west: the next district is
    # 75 km off. 45 km west: too far, though its region is known (from A's town)
    assert list(found.admin2) == ["A", None, "A", None]
    assert list(found.region) == ["R", "R", "R", "R"]
    # a district's town in another region than the point's nearest town gives no district
    border = RegionFinder(_towns((0, 0, "R", "A"), (0, 3 * KM, "S", "")))
    assert list(border.regions(np.array([0.0]), np.array([2.9 * KM])).admin2) == [None]
    # fewer towns with a district than the neighbours searched, and none at all within reach
    alone = RegionFinder(_towns((0, 0, "R", "A")))
    assert list(alone.regions(np.zeros(3), np.array([1, 25, 31]) * KM).admin2) == ["A", "A", None]
    # more towns of the nearest district than the neighbours first searched: the search widens
    # until it finds the other district (B, 55 km west of a point 25 km from A's first town)
    crowded = [(0, (25 + n) * KM, "R", "A") for n in range(40)]
    many = RegionFinder(_towns(*crowded, (0, -55 * KM, "R", "B")))
    assert list(many.regions(np.zeros(2), np.array([0, -20]) * KM).admin2) == ["A", None]
    # no town with a district at all (or its district not a string)
    bare = RegionFinder(_towns((0, 0, "R", "")).assign(admin2=np.nan))
    found = bare.regions(np.zeros(1), np.zeros(1))
    assert (list(found.region), list(found.admin2)) == (["R"], [None])


def test_admin_areas_give_a_district_to_events_at_a_place_only() -> None:
    lat, lon = np.array([MOSUL[0]] * 5), np.array([MOSUL[1]] * 5)
    hints = ["", "", "", "Elsewhere", "the NINAWA"]
    precision = ["city", "facility", "region", "city", "city"]
    first, second = admin_areas(lat, lon, hints, [None, "Own", None, None, None], precision)
    assert list(first) == ["Ninawa", "Ninawa", "Ninawa", "Elsewhere", "the NINAWA"]
    # the place's own hint first; a region's point has no district; nor a hint's region that is
    # not the town's (spelt alike is the same)
    assert list(second) == ["Mosul", "Own", None, None, "Mosul"]
    country_wide = admin_areas(lat[:1], lon[:1], [""], [None], ["country"])
    assert (list(country_wide[0]), list(country_wide[1])) == ([None], [None])


def test_the_shipped_towns_are_well_formed() -> None:
    towns = read_towns()
    assert len(towns) > 150_000 and (towns["admin2"] != "").mean() > 0.8
    assert towns["lat"].between(-90, 90).all() and towns["lon"].between(-180, 180).all()
    assert towns["country"].str.fullmatch(r"[A-Z]{2}").all() and (towns["admin1"] != "").all()


def test_counts_now_and_before_and_the_change() -> None:
    table = counts(frame(BAGHDAD, TAJI, ERBIL, PACIFIC), frame(ERBIL, ERBIL, BAGHDAD))
    baghdad, erbil = region_finder().regions(*(frame(BAGHDAD, ERBIL).to_numpy().T)).region
    rows = {r.region: (r.events, r.before, r.change) for r in table.itertuples()}
    assert rows[baghdad] == (2, 1, 1) and rows[erbil] == (1, 2, -1) and rows[NO_REGION] == (1, 0, 1)
    assert list(table["events"]) == sorted(table["events"], reverse=True)
    payload = region_payload(table)
    colours = {row[5].split(",")[0]: row[6] for row in payload}
    assert colours[baghdad] == MORE and colours[erbil] == FEWER
    assert all(row[5].split(",")[0] != NO_REGION for row in payload)  # no point for it
    assert counts(frame(), frame()).empty
    # a region GeoNames named after the admin-1 table was made (France's regions of 2016) is
    # placed at the centre of its towns
    (grand_est,) = region_payload(
        pd.DataFrame(
            [("FR", "Grand Est", 2, 1, 1)], columns=["country", "region", "events", "before", "change"]
        )
    )
    assert grand_est[5] == "Grand Est, FR" and 47 < grand_est[0] < 50 and 4 < grand_est[1] < 8


def test_the_window_before_has_the_same_length() -> None:
    assert previous_window(dt.date(2020, 3, 10), dt.date(2020, 3, 16)) == (
        dt.date(2020, 3, 3),
        dt.date(2020, 3, 9),
    )


@pytest.fixture
def catalogue(
    tmp_path_factory: pytest.TempPathFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    geocoder: OfflineGeocoder,
) -> Any:
    template = make_template(tmp_path_factory.mktemp("template"), geocoder)
    use_copy(template, tmp_path, monkeypatch)
    return template_frame(template)


def test_the_app_shows_regions_when_asked_and_a_link_keeps_the_choice(catalogue: Any) -> None:
    at = run_app({"start": "2020-03-20", "end": "2020-04-02"})
    at.radio(key="f_layer").set_value("Regions (change)").run()
    assert not at.exception, at.exception
    group = map_args(at)["feature_group"]
    assert "geodataRegions" in group
    (table,) = [d.value for d in at.dataframe if "before" in d.value.columns]
    assert list(table.columns) == ["country", "region", "events", "before", "change"]
    shown = catalogue[(catalogue["date_end"] >= "2020-03-20") & (catalogue["date_start"] <= "2020-04-02")]
    assert table["events"].sum() == len(shown)
    assert dict(at.query_params).get("layer") == "regions"
    assert run_app({"layer": "regions"}).radio(key="f_layer").value == "Regions (change)"
