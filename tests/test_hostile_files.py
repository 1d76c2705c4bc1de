"""Hostile catalogue files (GeoJSON, CSV, GeoParquet) become listed problems, never crashes.

Each file here is small; the full-size versions (100 MB cells, 200 MB files) are in
``benchmarks/hostile_files.py``.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import os
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import shapely
from test_frame import CATALOGUE

from geodata import cli
from geodata.catalog import parse_catalogue
from geodata.errors import CatalogError, Problem
from geodata.frame import events_frame
from geodata.geocoding import OfflineGeocoder
from geodata.io import readers
from geodata.io.export import csv_bytes, export_events, geojson_bytes
from geodata.io.readers import MAX_PROBLEMS, parse_events_bytes, read_events_file, read_parquet_frame
from geodata.settings import DEFAULTS

DEEP = 100_000


@pytest.fixture
def gdf(tiny_geocoder: OfflineGeocoder) -> gpd.GeoDataFrame:
    return events_frame(parse_catalogue(CATALOGUE).events, tiny_geocoder)


@pytest.fixture
def doc(gdf: gpd.GeoDataFrame) -> dict[str, Any]:
    return json.loads(geojson_bytes(gdf))


def problems_of(data: bytes, name: str, geocoder: OfflineGeocoder | None = None) -> list[Problem]:
    with pytest.raises(CatalogError) as info:
        parse_events_bytes(data, name=name, geocoder=geocoder)
    return info.value.problems


# --- GeoJSON geometry ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("geometry", "words"),
    [
        ([44.0, 33.0], "the geometry is an array"),
        ("POINT (44 33)", "the geometry is a string"),
        (7, "the geometry is a number"),
        (
            {"type": "Polygon", "coordinates": [[[44, 33], [45, 33], [45, 34], [44, 33]]]},
            "'Polygon', but a geodata event is a point",
        ),
        ({"type": "LineString", "coordinates": [[44, 33], [45, 34]]}, "'LineString', but"),
        ({"type": "Point", "coordinates": [float("nan"), 33.0]}, "are not finite numbers"),
        ({"type": "Point", "coordinates": [44.0, float("inf")]}, "are not finite numbers"),
        ({"type": "Point", "coordinates": ["44", "33"]}, "are not [longitude, latitude] numbers"),
        ({"type": "Point", "coordinates": [44.0]}, "are not [longitude, latitude] numbers"),
        ({"type": "Point"}, "None are not [longitude, latitude] numbers"),
        ({"type": "Point", "coordinates": [33.0, 144.0]}, "longitude first: check the order"),
    ],
)
def test_a_geometry_that_is_not_a_point_is_a_problem(
    doc: dict[str, Any], tiny_geocoder: OfflineGeocoder, geometry: Any, words: str
) -> None:
    feature = doc["features"][1]
    feature["geometry"] = geometry
    for key in ("lat", "lon", "location_id"):
        del feature["properties"][key]  # nothing to fall back on
    [problem] = problems_of(json.dumps(doc).encode(), "up.geojson", tiny_geocoder)
    assert (problem.event_id, problem.field, problem.line) == ("b", "geometry", 2)
    assert problem.message.startswith("feature 2: ") and words in problem.message


def test_a_point_moved_elsewhere_with_stale_properties_is_reported(
    doc: dict[str, Any], tiny_geocoder: OfflineGeocoder
) -> None:
    doc["features"][0]["geometry"]["coordinates"] = [44.5, 33.9]  # moved in QGIS
    [problem] = problems_of(json.dumps(doc).encode(), "moved.geojson", tiny_geocoder)
    assert (problem.event_id, problem.field, problem.line) == ("a", "lat", 1)
    for part in ("feature 1", "lat 33.9, lon 44.5", "33.52944, 44.2775", "delete the 'lat' and 'lon'"):
        assert part in problem.message


def test_the_geometry_locates_the_event_when_the_properties_do_not(
    doc: dict[str, Any], tiny_geocoder: OfflineGeocoder
) -> None:
    feature = doc["features"][0]
    feature["geometry"]["coordinates"] = [44.5, 33.9]
    feature["properties"]["lat"] = feature["properties"]["lon"] = None
    catalogue = parse_events_bytes(json.dumps(doc).encode(), name="x.geojson", geocoder=tiny_geocoder)
    place = catalogue.events[0].place
    assert (place.lat, place.lon) == (33.9, 44.5)


# --- nesting -------------------------------------------------------------------------------------


def test_geojson_nested_100000_deep_is_a_problem() -> None:
    head = b'{"type": "FeatureCollection", "features": ['
    [problem] = problems_of(head + b"[" * DEEP + b"]" * DEEP + b"]}", "deep.geojson")
    assert "nested more than 64 levels deep in feature 1" in problem.message
    # the object and the features array are levels 1 and 2: level 65 is the 63rd bracket
    assert (problem.event_id, problem.line, problem.column) == ("#1", 1, len(head) + 63)


def test_deep_nesting_outside_the_features_names_its_place() -> None:
    head = b'{"type": "FeatureCollection",\n "bbox": '
    data = head + b"[" * DEEP + b"]" * DEEP + b', "features": []}'
    [problem] = problems_of(data, "deep.geojson")
    assert "nested more than 64 levels deep, too deeply" in problem.message and problem.event_id is None
    assert (problem.line, problem.column) == (2, len(' "bbox": ') + 64)


def test_deep_nesting_in_a_later_feature_names_that_feature(doc: dict[str, Any]) -> None:
    text = json.dumps(doc, indent=1)
    third = text.index('"provenance": null', text.index('"id": "c"'))
    text = text[:third] + '"provenance": ' + "[" * DEEP + text[third + len('"provenance": ') :]
    [problem] = problems_of(text.encode(), "deep.geojson")
    assert "in feature 3" in problem.message and problem.event_id == "#3"
    assert problem.line == text.count("\n", 0, third) + 1


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"))))


def _csv_from(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


@pytest.mark.parametrize("column", ["references", "provenance", "actors"])
def test_a_deeply_nested_csv_cell_names_event_field_and_line(gdf: gpd.GeoDataFrame, column: str) -> None:
    rows = _csv_rows(csv_bytes(gdf))
    # deep enough to exhaust the parser, short enough for the csv module's cell limit
    rows[2][rows[0].index(column)] = "[" * 50_000 + "]" * 50_000  # event 'b', line 3
    [problem] = problems_of(_csv_from(rows), "deep.csv")
    assert (problem.event_id, problem.field, problem.line) == ("b", column, 3)
    assert "nested too deeply" in problem.message


def test_broken_json_in_a_csv_cell_says_what_to_write(gdf: gpd.GeoDataFrame) -> None:
    rows = _csv_rows(csv_bytes(gdf))
    rows[1][rows[0].index("references")] = '[{"publisher": '
    [problem] = problems_of(_csv_from(rows), "broken.csv")
    assert (problem.event_id, problem.field, problem.line) == ("a", "references", 2)
    assert "not valid JSON" in problem.message and "write a JSON array of source objects" in problem.message


# --- bounded reads -------------------------------------------------------------------------------


@pytest.fixture
def small_cap(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(readers, "DEFAULTS", dataclasses.replace(DEFAULTS, max_catalogue_bytes=1000))
    return 1000


def test_reads_are_capped(tmp_path: Path, small_cap: int) -> None:
    big = tmp_path / "big.geojson"
    big.write_bytes(b" " * (small_cap + 1))
    with pytest.raises(CatalogError, match="larger than the 1,000 bytes limit"):
        read_events_file(big)
    zero = tmp_path / "zero.csv"
    zero.symlink_to("/dev/zero")  # claims no size and never ends
    with pytest.raises(CatalogError, match="larger than the 1,000 bytes limit"):
        read_events_file(zero)
    with pytest.raises(CatalogError, match="larger than 1,000 bytes"):
        parse_events_bytes(b" " * (small_cap + 1), name="up.csv")


def test_a_pipe_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "events.geojson"
    os.mkfifo(fifo)
    with pytest.raises(CatalogError, match="pipe"):
        read_events_file(fifo)


def test_an_overlong_csv_cell_names_its_line(gdf: gpd.GeoDataFrame) -> None:
    rows = _csv_rows(csv_bytes(gdf))
    rows[1][rows[0].index("summary")] = "x" * 200_000
    [problem] = problems_of(_csv_from(rows), "long.csv")
    assert (
        problem.line == 2
        and f"starting on line 2 is longer than {csv.field_size_limit():,}" in problem.message
    )


def test_a_csv_line_of_a_million_fields_is_refused_before_it_is_split(gdf: gpd.GeoDataFrame) -> None:
    data = csv_bytes(gdf) + b"," * (readers.MAX_CSV_LINE + 1) + b"\n"
    [problem] = problems_of(data, "wide.csv")
    assert problem.line == 5 and "line 5 is longer than 1,048,576 characters" in problem.message


def test_reading_stops_after_the_problem_limit() -> None:
    features = [{"type": "Feature", "geometry": None, "properties": None}] * (MAX_PROBLEMS * 5)
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    problems = problems_of(data, "many.geojson")
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[-1].message.startswith(f"stopped after {MAX_PROBLEMS} problems")


def test_places_that_do_not_resolve_stop_at_the_problem_limit(
    doc: dict[str, Any], tiny_geocoder: OfflineGeocoder
) -> None:
    features = []
    for i in range(MAX_PROBLEMS + 100):
        props = {**doc["features"][0]["properties"], "id": f"e{i}", "place_name": "Xqzzy"}
        props.update(lat=None, lon=None, location_id=None)
        features.append({"type": "Feature", "geometry": None, "properties": props})
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    problems = problems_of(data, "unplaced.geojson", tiny_geocoder)
    assert len(problems) == MAX_PROBLEMS + 1 and problems[-1].message.startswith("stopped after")
    assert "Xqzzy" in problems[0].message and problems[0].event_id == "e0"


# --- GeoParquet ----------------------------------------------------------------------------------


@pytest.fixture
def table(tmp_path: Path, gdf: gpd.GeoDataFrame) -> pa.Table:
    return pq.read_table(export_events(gdf, tmp_path / "good.parquet"))


def _with(table: pa.Table, column: str, values: Any) -> pa.Table:
    array = values if isinstance(values, pa.Array) else pa.array(values)
    return table.set_column(table.schema.get_field_index(column), column, array)


def _year0(kind: pa.DataType) -> pa.Array:
    days = (dt.date(1, 1, 1) - dt.date(1970, 1, 1)).days - 366  # 0000-01-01, proleptic Gregorian
    values = [days, 18344, 18322]
    if pa.types.is_timestamp(kind):
        values = [d * 86_400_000 for d in values]
    return pa.array(values, type=kind)


def _wkb(*shapes: Any) -> pa.Array:
    return pa.array([shapely.to_wkb(s) for s in shapes], type=pa.binary())


PARQUET_CASES = {
    "lat as text": ("lat", ["abc", "33.7856083", "33.0"], ("a", "lat", "'abc' is not a number")),
    "unparseable date": (
        "date_start",
        ["notadate", "2020-03-23", "2020-03-01"],
        ("a", "date_start", "'notadate' is not a date"),
    ),
    "year 0 as date32": ("date_start", _year0(pa.date32()), ("a", "date_start", "0000-01-01 is outside")),
    "year 0 as timestamp": (
        "date_start",
        _year0(pa.timestamp("ms")),
        ("a", "date_start", "0000-01-01 is outside the years 1 to 9999"),
    ),
    "broken references": ("references", ["[{broken", "[]", "[]"], ("a", "references", "not valid JSON")),
    "deep references": ("references", ["[" * DEEP, "[]", "[]"], ("a", "references", "nested too deeply")),
    "references not objects": ("references", ["[]", "[1, 2]", "[]"], ("b", "references", "source objects")),
    "broken provenance": ("provenance", [None, None, "{"], ("c", "provenance", "not valid JSON")),
    "null type": ("type", pa.array([None, "attack", "statement"], pa.string()), ("a", "type", "missing")),
    "unknown type": ("type", ["attack", "skirmish", "statement"], ("b", "type", "unknown type 'skirmish'")),
    "null id": ("id", pa.array([None, "b", "c"], pa.string()), ("#row 1", "id", "the id is missing")),
    "id not a slug": ("id", ["a", "B c", "c"], ("B c", "id", "is not a slug")),
    "duplicate id": ("id", ["a", "b", "a"], ("a", "id", "duplicate id")),
    "empty actor": ("actors", [["x"], ["US Army", " "], []], ("b", "actors", "has an empty item")),
    "lat out of range": ("lat", [33.52944, 95.0, 33.0], ("b", "lat", "outside -90..90")),
    "said_at_lat out of range": ("said_at_lat", [None, None, 100.0], ("c", "said_at_lat", "outside -90..90")),
    "unparseable published": (
        "source_published",
        ["2020-13-45", None, None],
        ("a", "source_published", "'2020-13-45' is not a date"),
    ),
    "lat NaN": ("lat", [33.52944, float("nan"), 33.0], ("b", "lat", "missing")),
    "unknown precision": (
        "date_precision",
        ["day", "fortnight", "unknown"],
        ("b", "date_precision", "unknown"),
    ),
    "polygon": (
        "geometry",
        _wkb(shapely.box(44, 33, 45, 34), shapely.Point(42.4412, 33.7856083), shapely.Point(43, 33)),
        ("a", "geometry", "the geometry is a Polygon"),
    ),
    "moved point": (
        "geometry",
        _wkb(shapely.Point(44.2775, 33.52944), shapely.Point(42.4412, 33.7856083), shapely.Point(45, 35)),
        ("c", "geometry", "the geometry is at lat 35.0, lon 45.0"),
    ),
}


@pytest.mark.parametrize("case", list(PARQUET_CASES))
def test_hostile_geoparquet_is_a_listed_problem(tmp_path: Path, table: pa.Table, case: str) -> None:
    column, values, (event_id, field, words) = PARQUET_CASES[case]
    path = tmp_path / "bad.parquet"
    pq.write_table(_with(table, column, values), path)
    with pytest.raises(CatalogError) as info:
        read_parquet_frame(path)
    [problem] = info.value.problems
    assert (problem.event_id, problem.field, problem.path) == (event_id, field, str(path))
    assert words in problem.message


def test_a_column_of_the_wrong_type_is_named(tmp_path: Path, table: pa.Table) -> None:
    path = tmp_path / "bad.parquet"
    pq.write_table(_with(table, "actors", ["US Army", "x", "y"]), path)
    with pytest.raises(CatalogError) as info:
        read_parquet_frame(path)
    [problem] = info.value.problems
    assert problem.field == "actors" and "holds string, not lists of text" in problem.message


def test_parquet_problems_are_listed_twenty_per_kind(tmp_path: Path, table: pa.Table) -> None:
    many = pa.concat_tables([table] * 10)
    many = _with(many, "id", [f"e{i}" for i in range(30)])
    many = _with(many, "type", pa.array([None] * 30, pa.string()))
    pq.write_table(many, tmp_path / "many.parquet")
    with pytest.raises(CatalogError) as info:
        read_parquet_frame(tmp_path / "many.parquet")
    problems = info.value.problems
    assert [p.event_id for p in problems[:20]] == [f"e{i}" for i in range(20)]
    assert [p.line for p in problems[:2]] == [1, 2]
    assert (
        len(problems) == 21
        and problems[-1].message == "and 10 more events with this problem in column 'type'"
    )


# --- the command line ----------------------------------------------------------------------------


def _cli(*argv: str) -> tuple[int, str]:
    err = io.StringIO()
    code = cli.main(list(argv), out=io.StringIO(), err=err)
    return code, err.getvalue()


def test_the_cli_reads_every_format_and_reports_hostile_files_with_exit_2(
    tmp_path: Path, gdf: gpd.GeoDataFrame, doc: dict[str, Any], table: pa.Table, geocoder: OfflineGeocoder
) -> None:
    for suffix in ("geojson", "csv", "parquet"):
        good = export_events(gdf, tmp_path / f"good.{suffix}")
        assert _cli("validate", str(good)) == (0, "")
        assert _cli("export", str(good), "-o", str(tmp_path / f"again.{suffix}")) == (0, "")
    doc["features"][0]["geometry"] = [44.0, 33.0]
    (tmp_path / "bad.geojson").write_text(json.dumps(doc), encoding="utf-8")
    rows = _csv_rows(csv_bytes(gdf))
    rows[1][rows[0].index("provenance")] = '{"a": ' * 20_000
    (tmp_path / "bad.csv").write_bytes(_csv_from(rows))
    pq.write_table(_with(table, "lat", ["abc", "33.7856083", "33.0"]), tmp_path / "bad.parquet")
    for name, words in (
        ("bad.geojson", "event 'a', field 'geometry': feature 1: the geometry is an array"),
        ("bad.csv", "bad.csv:2: event 'a', field 'provenance': the JSON is nested too deeply"),
        ("bad.parquet", "bad.parquet:1: event 'a', field 'lat': lat 'abc' is not a number"),
    ):
        for argv in (("validate",), ("export", "-o", str(tmp_path / "out.geojson"))):
            code, stderr = _cli(argv[0], str(tmp_path / name), *argv[1:])
            assert code == 2 and words in stderr, stderr
