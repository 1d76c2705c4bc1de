"""An exported GeoJSON read column by column gives the frame the feature-by-feature reader gives,
and any file the column checks doubt goes to that reader, which names its problems."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

from dashboard.data import load_uploaded
from geodata.catalog import read_catalogue
from geodata.errors import CatalogError
from geodata.frame import events_frame, frame_from_columns
from geodata.geocoding import OfflineGeocoder
from geodata.io.export import geojson_bytes
from geodata.io.feature_columns import exported_columns
from geodata.io.readers import parse_events_bytes
from geodata.settings import DEFAULTS

PROVENANCE = {"start": 0, "end": 40, "fields": {}, "method": "geodata extract"}


@pytest.fixture
def exported(geocoder: OfflineGeocoder) -> dict[str, Any]:
    """The bundled catalogue as geodata exports it, one event given provenance."""
    gdf = events_frame(read_catalogue(DEFAULTS.default_catalogue, geocoder=geocoder).events, geocoder)
    doc: dict[str, Any] = json.loads(geojson_bytes(gdf))
    doc["features"][0]["properties"]["provenance"] = PROVENANCE
    sides = {"actor1": "Kataib Hezbollah", "actor1_type": "Political militia", "actor2": "US forces"}
    doc["features"][0]["properties"].update(sides, fatalities_low=2, fatalities_high=5)
    doc["features"][3]["properties"].update(fatalities_low=0, fatalities_high=0)
    return doc


def text(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False)


def by_features(doc: dict[str, Any], geocoder: OfflineGeocoder) -> Any:
    return events_frame(parse_events_bytes(text(doc).encode(), name="x.geojson").events, geocoder)


def test_an_export_read_by_columns_is_the_frame_read_by_features(
    exported: dict[str, Any], geocoder: OfflineGeocoder
) -> None:
    features = exported["features"]
    assert any(f["properties"]["said_at_name"] for f in features)
    assert any(f["properties"]["references"] for f in features)
    columns = exported_columns(text(exported), "x.geojson")
    assert columns is not None
    fast, slow = frame_from_columns(columns), by_features(exported, geocoder)
    assert list(fast.columns) == list(slow.columns) and len(fast) == len(features)
    for column in slow.columns:
        pd.testing.assert_series_equal(fast[column], slow[column], check_names=False)
    assert fast.loc[features[0]["id"], "provenance"] == PROVENANCE
    assert fast.loc[features[0]["id"], "actor1_type"] == "Political militia"
    assert fast["fatalities_high"].dtype == "Int64" and fast["fatalities_high"].sum() == 5


def test_columns_the_catalogue_derives_are_made_again_not_taken_from_the_file(
    exported: dict[str, Any],
) -> None:
    props = exported["features"][0]["properties"]
    props["colour"] = '"><script>alert(1)</script>'
    props["type_label"] = "Anything"
    props["date_text"] = "the day we say"
    columns = exported_columns(text(exported), "x.geojson")
    assert columns is not None
    row = frame_from_columns(columns).iloc[0]
    assert row["colour"].startswith("#") and row["type_label"] != "Anything"
    assert row["date_text"] != "the day we say"


def _moved(doc: dict[str, Any]) -> None:
    doc["features"][1]["geometry"]["coordinates"][1] += 0.5  # properties left stale


def _set(field: str, value: Any, feature: int = 2) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        doc["features"][feature]["properties"][field] = value

    return change


def _geometry(value: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        doc["features"][3]["geometry"] = value

    return change


def _height(doc: dict[str, Any]) -> None:
    doc["features"][3]["geometry"]["coordinates"].append(30.0)


def _unplaced_said_at(doc: dict[str, Any]) -> None:
    props = next(f["properties"] for f in doc["features"] if f["properties"]["said_at_name"])
    props["said_at_lat"] = props["said_at_lon"] = None  # the geocoder finds it by name


DOUBTED = {
    "a point moved, its properties stale": (_moved, "lat"),
    "an id that is not a slug": (_set("id", "Not A Slug!"), "id"),
    "a type not in the taxonomy": (_set("type", "picnic"), "type"),
    "a latitude as text in one feature": (_set("lat", "thirty"), "lat"),
    "a property the catalogue does not have": (_set("colour_of_sky", "blue"), None),
    "an end before the start": (_set("date_end", "2019-01-01"), "date"),
    "references that are not a list": (_set("references", {"url": 3}), "references"),
    "a polygon": (
        _geometry({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 1], [0, 0]]]}),
        "geometry",
    ),
    "a point with a height": (_height, None),
    "no geometry": (_geometry(None), None),
    "a place said at without a point": (_unplaced_said_at, None),
}


@pytest.mark.parametrize("case", DOUBTED)
def test_a_file_the_column_checks_doubt_is_read_feature_by_feature(
    exported: dict[str, Any], geocoder: OfflineGeocoder, case: str
) -> None:
    change, field = DOUBTED[case]
    change(exported)
    assert exported_columns(text(exported), "x.geojson") is None
    if field is None:  # the feature-by-feature reader takes it
        assert len(load_uploaded(text(exported).encode(), "x.geojson", lambda: geocoder)) == len(
            exported["features"]
        )
        return
    with pytest.raises(CatalogError) as caught:
        load_uploaded(text(exported).encode(), "x.geojson", lambda: geocoder)
    problems = caught.value.problems
    assert any(p.field is not None and p.field.startswith(field) for p in problems)
    assert all(p.path == "x.geojson" and p.line is not None for p in problems)


@pytest.mark.parametrize(
    "content", ["[]", '{"type": "Feature"}', '{"type": "FeatureCollection", "features": []}', "{"]
)
def test_anything_but_a_collection_of_features_is_not_read_by_columns(content: str) -> None:
    assert exported_columns(content, "x.geojson") is None


def test_an_export_needs_no_gazetteer(exported: dict[str, Any]) -> None:
    def no_gazetteer() -> OfflineGeocoder:
        raise AssertionError("the gazetteer was loaded")

    frame = load_uploaded(text(exported).encode(), "x.geojson", no_gazetteer)
    assert len(frame) == len(exported["features"])


def test_an_export_with_a_byte_order_mark_is_read_feature_by_feature(
    exported: dict[str, Any], geocoder: OfflineGeocoder
) -> None:
    content = text(exported).encode("utf-8-sig")
    assert exported_columns(content, "x.geojson") is None
    assert len(load_uploaded(content, "x.geojson", lambda: geocoder)) == len(exported["features"])


def test_an_export_in_utf16_is_refused_with_its_name(
    exported: dict[str, Any], geocoder: OfflineGeocoder
) -> None:
    content = text(exported).encode("utf-16")
    assert exported_columns(content, "x.geojson") is None
    with pytest.raises(CatalogError) as caught:
        load_uploaded(content, "x.geojson", lambda: geocoder)
    assert [p.path for p in caught.value.problems] == ["x.geojson"]


def _props(index: int, **changes: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        doc["features"][index]["properties"].update(changes)

    return change


def _everywhere(**changes: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        for feature in doc["features"]:
            feature["properties"].update(changes)

    return change


def _drop(field: str, *, first_only: bool) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        for feature in doc["features"][:1] if first_only else doc["features"]:
            feature["properties"].pop(field, None)

    return change


#: Files another tool may write: each must give what the feature-by-feature reader gives.
OTHER_WRITERS = {
    "a property left out of the first feature": _drop("summary", first_only=True),
    "a property left out everywhere": _drop("inference", first_only=False),
    "the said-at name left out everywhere": _drop("said_at_name", first_only=False),
    "a day with a time and a zone": _props(1, date_start="2020-03-01T00:00:00Z"),
    "every end with a time": _everywhere(date_end="2020-04-02T10:00:00"),
    "a day without dashes": _props(1, date_start="20200301"),
    "an empty place name": _props(1, place_name=""),
    "an empty publisher": _props(1, source_publisher=""),
    "a country by name": _props(1, place_country="Iraq"),
    "a country in small letters": _props(1, place_country="iq"),
    "no confidence": _props(1, confidence=None),
    "no summary": _props(1, summary=None),
    "an empty location id": _props(1, location_id=""),
    "a title with spaces around": _props(1, title="  Padded title  "),
    "a reference without its fields": _props(1, references=[{"url": "javascript:alert(1)"}]),
    "a reference with a field too many": _props(
        1, references=[{"publisher": "P", "title": "T", "quote": "Q", "colour": "red"}]
    ),
    "a provenance of another shape": _props(1, provenance={"foo": "bar"}),
    "a latitude without its longitude": _props(1, lon=None),
    "fatalities written as decimals": _props(1, fatalities_low=3.0, fatalities_high=4.0),
    "fatalities as text": _props(1, fatalities_low="3", fatalities_high="3"),
    "a fraction of a death": _props(1, fatalities_low=2.5, fatalities_high=3),
    "negative fatalities": _props(1, fatalities_low=-1, fatalities_high=3),
    "a low toll above the high": _props(1, fatalities_low=9, fatalities_high=3),
    "a low toll alone": _props(1, fatalities_low=3),
    "an actor type ACLED does not have": _props(1, actor1="A", actor1_type="Aliens"),
    "actor2 without actor1": _props(1, actor2="B"),
    "an actor type without a name": _props(1, actor2_type="Civilians"),
    "an actor name with spaces around": _props(1, actor1=" A "),
    "a blank actor1 beside actor2": _props(1, actor1="", actor2="B"),
    "a blank actor1 with a type": _props(1, actor1="  ", actor1_type="Civilians"),
    "fatalities true": _props(1, fatalities_low=True, fatalities_high=True),
}


def _outcome(read: Callable[[], Any]) -> Any:
    try:
        return read()
    except CatalogError:
        return "refused"


@pytest.mark.parametrize("case", OTHER_WRITERS)
def test_a_file_of_another_writer_gives_what_the_feature_reader_gives(
    exported: dict[str, Any], geocoder: OfflineGeocoder, case: str
) -> None:
    OTHER_WRITERS[case](exported)
    content = text(exported).encode()
    got = _outcome(lambda: load_uploaded(content, "x.geojson", lambda: geocoder))
    expected = _outcome(lambda: by_features(exported, geocoder))
    if isinstance(expected, str) or isinstance(got, str):
        assert got == expected
        return
    assert list(got.columns) == list(expected.columns)
    for column in expected.columns:
        pd.testing.assert_series_equal(got[column], expected[column], check_names=False)
