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
from geodata.admin import region_finder
from geodata.geocoding import OfflineGeocoder

BAGHDAD, ERBIL, TAJI, PACIFIC = (33.3152, 44.3661), (36.19, 44.01), (33.52944, 44.2775), (0.0, -150.0)


def frame(*points: tuple[float, float]) -> pd.DataFrame:
    return pd.DataFrame({"lat": [p[0] for p in points], "lon": [p[1] for p in points]})


def test_a_point_is_in_the_region_of_its_nearest_town() -> None:
    found = region_finder().regions(*(frame(BAGHDAD, ERBIL, PACIFIC).to_numpy().T))
    assert list(found.country) == ["IQ", "IQ", None]
    assert found.region[0] != found.region[1] and found.region[2] is None
    again = region_finder().regions(np.array([np.nan, BAGHDAD[0]]), np.array([1.0, BAGHDAD[1]]))
    assert again.region[0] is None and again.region[1] == found.region[0]
    # Hong Kong's towns carry a GeoNames code the admin-1 table does not name: told apart by it.
    hong_kong = region_finder().regions(np.array([22.3193]), np.array([114.1694]))
    assert hong_kong.country[0] == "HK" and str(hong_kong.region[0]).startswith("region ")


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
