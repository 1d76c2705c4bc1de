"""GeoJSON (RFC 7946), CSV and GeoPackage export, and reading the exports back."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from test_frame import CATALOGUE

from geodata import cli
from geodata.catalog import parse_catalogue
from geodata.errors import ExportError
from geodata.frame import events_frame
from geodata.geocoding import OfflineGeocoder
from geodata.io.export import csv_bytes, export_events, format_for, to_geojson
from geodata.model import Event
from geodata.records import LIST_FIELDS, RECORD_FIELDS, record_event


@pytest.fixture
def gdf(tiny_geocoder: OfflineGeocoder) -> gpd.GeoDataFrame:
    return events_frame(parse_catalogue(CATALOGUE).events, tiny_geocoder)


def assert_rfc7946(doc: dict[str, Any]) -> None:
    """The parts of RFC 7946 a FeatureCollection of points can get wrong."""
    assert doc["type"] == "FeatureCollection"
    assert "crs" not in doc  # removed by RFC 7946 section 4
    for feature in doc["features"]:
        assert feature["type"] == "Feature"
        assert isinstance(feature["id"], (str, int))
        assert set(feature) <= {"type", "id", "geometry", "properties", "bbox"}
        geometry = feature["geometry"]
        assert geometry["type"] == "Point"
        lon, lat = geometry["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert isinstance(feature["properties"], dict)
        json.dumps(feature["properties"], allow_nan=False)  # no NaN in JSON


def test_geojson_is_rfc7946_with_lon_lat_order(gdf: gpd.GeoDataFrame) -> None:
    doc = to_geojson(gdf)
    assert_rfc7946(doc)
    taji = doc["features"][0]
    assert taji["id"] == "a"
    assert taji["geometry"]["coordinates"] == [44.2775, 33.52944]
    props = taji["properties"]
    assert set(props) == set(RECORD_FIELDS)
    assert props["date_start"] == "2020-03-11" and props["actors"] == ["Kataib Hezbollah", "US Army"]
    assert (props["acled_event_type"], props["cameo_code"]) == ("Explosions/Remote violence", "194")


def _plain(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, (pd.Timestamp,)):
        return value.date().isoformat()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def test_geojson_round_trips_through_geopandas(tmp_path: Path, gdf: gpd.GeoDataFrame) -> None:
    path = export_events(gdf, tmp_path / "events.geojson")
    back = gpd.read_file(path)
    original = to_geojson(gdf)["features"]
    assert len(back) == len(original)
    assert back.crs.to_epsg() == 4326
    for (_, row), feature in zip(back.iterrows(), original, strict=True):
        for key, value in feature["properties"].items():
            got = _plain(row[key])
            if key in LIST_FIELDS:
                got = got if got is not None else []
            assert got == value, key
        assert (row.geometry.x, row.geometry.y) == tuple(feature["geometry"]["coordinates"])


def test_exported_geojson_reads_back_into_the_same_events(tmp_path: Path, gdf: gpd.GeoDataFrame) -> None:
    path = export_events(gdf, tmp_path / "events.geojson")
    originals = parse_catalogue(CATALOGUE).events
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    for feature, original in zip(features, originals, strict=True):
        event = Event.model_validate(record_event(feature["properties"]))
        assert event.model_dump(exclude={"place", "said_at"}) == original.model_dump(
            exclude={"place", "said_at"}
        )
        assert event.place.name == original.place.name
        assert event.place.has_coordinates  # the resolved point is kept, with its source
        assert event.place.coordinate_source


def test_csv_reads_back_into_the_same_events(gdf: gpd.GeoDataFrame) -> None:
    table = pd.read_csv(io.BytesIO(csv_bytes(gdf)), dtype=str, keep_default_na=False)
    assert list(table.columns) == list(RECORD_FIELDS)
    originals = parse_catalogue(CATALOGUE).events
    for record, original in zip(table.to_dict("records"), originals, strict=True):
        event = Event.model_validate(record_event(record))
        assert (event.id, event.date, event.actors, event.source) == (
            original.id,
            original.date,
            original.actors,
            original.source,
        )


def test_geopackage(tmp_path: Path, gdf: gpd.GeoDataFrame) -> None:
    back = gpd.read_file(export_events(gdf, tmp_path / "events.gpkg"))
    assert list(back["id"]) == ["a", "b", "c"] and back.crs.to_epsg() == 4326
    assert json.loads(back.loc[0, "actors"]) == ["Kataib Hezbollah", "US Army"]


def test_format_from_suffix_or_flag() -> None:
    assert format_for("x.geojson") == "geojson" and format_for("x.CSV") == "csv"
    assert format_for("x.txt", "gpkg") == "gpkg"
    with pytest.raises(ExportError, match="suffix"):
        format_for("x.txt")


def test_cli_export_of_the_bundled_catalogue(tmp_path: Path) -> None:
    out = tmp_path / "events.geojson"
    stdout, stderr = io.StringIO(), io.StringIO()
    assert cli.main(["export", "events.yaml", "-o", str(out)], out=stdout, err=stderr) == 0, stderr.getvalue()
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert_rfc7946(doc)
    assert len(gpd.read_file(out)) == len(doc["features"]) >= 12


def test_cli_export_bad_suffix_is_exit_2(tmp_path: Path) -> None:
    err = io.StringIO()
    assert cli.main(["export", "events.yaml", "-o", str(tmp_path / "x.txt")], out=io.StringIO(), err=err) == 2
    assert "--format" in err.getvalue()
