"""Catalogues read back from the project's own GeoJSON and CSV exports, and their problems."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_frame import CATALOGUE

from geodata.catalog import parse_catalogue
from geodata.errors import CatalogError
from geodata.frame import events_frame
from geodata.geocoding import OfflineGeocoder
from geodata.io.export import csv_bytes, geojson_bytes
from geodata.io.readers import parse_events_bytes, read_events_file


@pytest.fixture
def exported(tiny_geocoder: OfflineGeocoder) -> tuple[bytes, bytes]:
    gdf = events_frame(parse_catalogue(CATALOGUE).events, tiny_geocoder)
    return geojson_bytes(gdf), csv_bytes(gdf)


@pytest.mark.parametrize("suffix", [".geojson", ".csv"])
def test_exports_read_back(
    tmp_path: Path, exported: tuple[bytes, bytes], suffix: str, tiny_geocoder: OfflineGeocoder
) -> None:
    path = tmp_path / f"events{suffix}"
    path.write_bytes(exported[0] if suffix == ".geojson" else exported[1])
    catalogue = read_events_file(path, geocoder=tiny_geocoder)
    originals = parse_catalogue(CATALOGUE).events
    assert [e.id for e in catalogue.events] == [e.id for e in originals]
    for event, original in zip(catalogue.events, originals, strict=True):
        assert (event.date, event.actors, event.source, event.type) == (
            original.date,
            original.actors,
            original.source,
            original.type,
        )
    # and the re-read catalogue places its events where the original did
    again = events_frame(catalogue.events, tiny_geocoder)
    first = events_frame(originals, tiny_geocoder)
    assert list(again["lat"]) == list(first["lat"]) and list(again["lon"]) == list(first["lon"])


def test_bad_geojson_feature_names_the_feature(exported: tuple[bytes, bytes]) -> None:
    doc = json.loads(exported[0])
    doc["features"][1]["properties"]["type"] = "bogus"
    doc["features"][2]["properties"]["date_end"] = "2020-01-01"
    with pytest.raises(CatalogError) as info:
        parse_events_bytes(json.dumps(doc).encode(), name="up.geojson")
    found = {(p.event_id, p.field, p.line) for p in info.value.problems}
    assert ("b", "type", 2) in found
    assert any(p.event_id == "c" and p.field == "date" for p in info.value.problems)


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("x.geojson", b"{not json", "not valid JSON"),
        ("x.geojson", b'{"type": "Feature"}', "FeatureCollection"),
        ("x.csv", b"a,b\n1,2\n", "'id' column"),
        ("x.txt", b"hello", "unknown catalogue type"),
        ("x.csv", b"\xff\xfe", "not UTF-8"),
    ],
)
def test_unreadable_uploads(name: str, data: bytes, words: str) -> None:
    with pytest.raises(CatalogError, match=words):
        parse_events_bytes(data, name=name)
