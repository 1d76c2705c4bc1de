"""A FeatureCollection as geodata exports it, read column by column.

Reading a GeoJSON catalogue feature by feature validates each event with the model and places it
with the geocoder: about a tenth of a millisecond an event, most of an upload's wait at 100,000
events. When every feature has the export's shape (properties of the catalogue's columns, a Point
geometry where the ``lat``/``lon`` properties say), the columns are checked whole instead, as a
GeoParquet file's are (:func:`geodata.io.parquet.checked_columns`), and the frame is built from
them. This path only ever answers "every value is fine: here are the columns" or "not sure": on
any doubt (a feature of another shape, a column of mixed kinds, any problem the column checks
find) it gives ``None`` and the caller reads the file feature by feature, which names each
problem with its feature's number.

Columns the catalogue derives (the date in words, the type's label, colour and codes) are made
again from the event's own fields, never taken from the file: a colour is written into the map's
page.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import orjson
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geodata.errors import CatalogError
from geodata.geocoding import GIVEN
from geodata.io.features import TOLERANCE_DEG
from geodata.records import DERIVED_FIELDS, RECORD_FIELDS

#: Properties the file's columns may hold; derived ones are read and then made again.
_KNOWN = frozenset(RECORD_FIELDS)
#: Columns kept as JSON text (what the column checks read), not Arrow structures.
_AS_TEXT = ("references", "provenance")


def exported_columns(content: bytes | str, name: str) -> dict[str, Any] | None:
    """The checked columns of a FeatureCollection of the export's shape (UTF-8 bytes as a file
    holds them, or text), or ``None`` when any feature or value might not pass (read it feature by
    feature then: that reader also knows other encodings)."""
    try:
        return _columns(content, name)
    except Exception:  # this path only ever means "not sure": the features' own reader decides
        return None


def _columns(content: bytes | str, name: str) -> dict[str, Any] | None:
    try:
        doc = orjson.loads(content)  # a third faster than the standard library, on bytes
    except (orjson.JSONDecodeError, RecursionError):
        return None
    features = (
        doc.get("features") if isinstance(doc, dict) and doc.get("type") == "FeatureCollection" else None
    )
    if not isinstance(features, list) or not features:
        return None
    rows = _rows(features)
    if rows is None:
        return None
    properties, position = rows
    try:
        table = pa.Table.from_pylist(properties)
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        return None  # a column of mixed kinds: the features' own reader says which
    del properties
    if not (_agrees(table, position) and _canonical(table)):
        return None
    table = _with_position(
        table.drop_columns([c for c in DERIVED_FIELDS if c in table.column_names]), position
    )
    from geodata.io.parquet import checked_columns

    try:
        columns = checked_columns(table, None, name)
    except CatalogError:
        return None
    said_at = _said_at_placed(columns, len(position))
    if said_at is None:
        return None  # a place said at is found by name: the features' own reader does that
    columns["date_text"] = _in_words(columns["date_start"], columns["date_end"], columns["date_precision"])
    columns["coordinate_source"] = _sources(columns.get("coordinate_source"), np.ones(len(position), bool))
    if "said_at_lat" in columns:
        columns["said_at_coordinate_source"] = _sources(columns.get("said_at_coordinate_source"), said_at)
    return columns


#: What geodata's own export writes, which this path takes as it is (anything else: the model
#: reads it, and may change it: strip it, upper-case it, fill a default, or refuse it).
_TEXT_REQUIRED = ("id", "type", "title", "place_name", "source_publisher", "source_title", "source_quote")
_TEXT_PRESENT = ("summary", "confidence", "geo_precision", "date_precision")
_COUNTRIES = ("place_country", "said_at_country")
_DAYS = ("date_start", "date_end", "source_published")
_DAY = r"^\d{4}-\d{2}-\d{2}$"


def _canonical(table: pa.Table) -> bool:
    """Whether every value is as geodata's own export writes a valid event's: required text
    present and not blank, no text with spaces around it (the model strips them), country codes in
    capitals, days as plain YYYY-MM-DD, references and provenance that the model reads."""
    names = set(table.column_names)
    if not names >= {*_TEXT_REQUIRED, *_TEXT_PRESENT}:
        return False
    for column in names:
        kind = table.schema.field(column).type
        if pa.types.is_string(kind) or pa.types.is_large_string(kind):
            values = table[column]
            if pc.any(pc.not_equal(values, pc.utf8_trim_whitespace(values))).as_py():
                return False
    for column in (*_TEXT_REQUIRED, *_TEXT_PRESENT):
        values = table[column]
        if values.null_count or pc.any(pc.equal(values, "")).as_py():
            return False
    blank_means_none = ("location_id", "said_at_name", "actor1", "actor2", "actor1_type", "actor2_type")
    for column in (c for c in blank_means_none if c in names):
        if pc.any(pc.equal(table[column], "")).as_py():
            return False
    for column, pattern in [*((c, r"^[A-Z]{2}$") for c in _COUNTRIES), *((c, _DAY) for c in _DAYS)]:
        if column in names and not _all_match(table[column], pattern):
            return False
    return _models_read(table)


def _all_match(values: pa.ChunkedArray, pattern: str) -> bool:
    """Whether every non-null value is text matching ``pattern``."""
    if pa.types.is_null(values.type):
        return True
    if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
        return False
    return pc.all(pc.match_substring_regex(values, pattern)).as_py() is not False


def _models_read(table: pa.Table) -> bool:
    """Whether each reference list and provenance the file gives is one the model reads as it
    is (most are empty: only the others are parsed)."""
    from pydantic import TypeAdapter

    from geodata.model import Provenance, Source

    checks: list[tuple[str, Any, str | None]] = [
        ("references", TypeAdapter(list[Source]), "[]"),
        ("provenance", TypeAdapter(Provenance), None),
    ]
    for column, adapter, empty in checks:
        if column not in table.column_names:
            continue
        for cell in table[column].to_pylist():
            if cell is None or cell == empty:
                continue
            parsed = json.loads(cell)
            if adapter.dump_python(adapter.validate_python(parsed), mode="json", exclude_none=True) != parsed:
                return False
    return True


def _said_at_placed(columns: dict[str, Any], rows: int) -> np.ndarray | None:
    """Which events have a point where they were said at; ``None`` when one names such a place
    without a point, or gives a point without a name (the model reads or refuses those)."""
    missing = np.full(rows, np.nan)
    lat, lon = (np.asarray(columns.get(c, missing), float) for c in ("said_at_lat", "said_at_lon"))
    named = pd.Series(columns.get("said_at_name", [None] * rows)).notna().to_numpy()
    placed = ~np.isnan(lat) & ~np.isnan(lon)
    either = ~np.isnan(lat) | ~np.isnan(lon)
    return None if np.any(named != placed) or np.any(either != placed) else placed


def _sources(given: Any, placed: np.ndarray) -> list[str | None]:
    """The source of each given point: the file's, else that the catalogue gave it."""
    values = [None] * len(placed) if given is None else pd.Series(given).astype(object).tolist()
    return [(v if isinstance(v, str) else GIVEN) if p else None for v, p in zip(values, placed, strict=True)]


def _in_words(start: np.ndarray, end: np.ndarray, precision: Any) -> list[str]:
    """Each event's dates in words, as the catalogue's own reader gives them (worded once for
    each distinct interval: many events share their days)."""
    from geodata.model import describe_span

    starts = start.astype("datetime64[D]").astype(object)
    ends = end.astype("datetime64[D]").astype(object)
    worded: dict[tuple[Any, Any, str], str] = {}
    out = []
    for s, e, p in zip(starts, ends, map(str, precision), strict=True):
        words = worded.get((s, e, p))
        if words is None:
            words = worded[(s, e, p)] = describe_span(s, e, p)
        out.append(words)
    return out


def _rows(features: list[Any]) -> tuple[list[dict[str, Any]], np.ndarray] | None:
    """Each feature's properties (JSON columns made text, in place) and its Point as rows of
    (lat, lon); the features are released as they are read."""
    position = np.empty((len(features), 2))
    properties = []
    first: Any = None
    for index, feature in enumerate(features):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            return None
        props, geometry = feature.get("properties"), feature.get("geometry")
        if not isinstance(props, dict) or not isinstance(geometry, dict) or geometry.get("type") != "Point":
            return None
        coordinates = geometry.get("coordinates")
        if not (
            type(coordinates) is list
            and len(coordinates) == 2
            and type(coordinates[0]) in (int, float)
            and type(coordinates[1]) in (int, float)
        ):
            return None
        if first is None:
            if not _KNOWN.issuperset(props):
                return None
            first = props.keys()
        elif props.keys() != first:
            return None  # every feature has the export's columns, or the features' reader decides
        for column in _AS_TEXT:
            value = props.get(column)
            if value is not None:
                props[column] = "[]" if value == [] else json.dumps(value, ensure_ascii=False)
        position[index] = coordinates[1], coordinates[0]
        properties.append(props)
        features[index] = None  # the document is this reader's own: keep only the properties
    return properties, position


def _agrees(table: pa.Table, position: np.ndarray) -> bool:
    """Whether the ``lat``/``lon`` properties, where given, are the geometry's position (both
    given, or neither)."""
    stated = []
    for axis, column in enumerate(("lat", "lon")):
        if column not in table.column_names:
            stated.append(np.zeros(len(position), bool))
            continue
        kind = table.schema.field(column).type
        if not (pa.types.is_floating(kind) or pa.types.is_integer(kind) or pa.types.is_null(kind)):
            return False
        given = table[column].to_numpy(zero_copy_only=False).astype(float)
        here = ~np.isnan(given)
        if np.any(np.abs(given[here] - position[here, axis]) > TOLERANCE_DEG):
            return False
        stated.append(here)
    return bool(np.array_equal(stated[0], stated[1]))


def _with_position(table: pa.Table, position: np.ndarray) -> pa.Table:
    for axis, column in enumerate(("lat", "lon")):
        values = pa.array(position[:, axis])
        if column in table.column_names:
            table = table.set_column(table.column_names.index(column), column, values)
        else:
            table = table.append_column(column, values)
    return table
