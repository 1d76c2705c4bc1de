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
    if not _agrees(table, position):
        return None
    table = _with_position(
        table.drop_columns([c for c in DERIVED_FIELDS if c in table.column_names]), position
    )
    from geodata.io.parquet import checked_columns

    try:
        columns = checked_columns(table, None, name)
    except CatalogError:
        return None
    said_at = _said_at_placed(columns)
    if said_at is None:
        return None  # a place said at is found by name: the features' own reader does that
    columns["date_text"] = _in_words(columns["date_start"], columns["date_end"], columns["date_precision"])
    columns["coordinate_source"] = _sources(columns.get("coordinate_source"), np.ones(len(position), bool))
    if "said_at_lat" in columns:
        columns["said_at_coordinate_source"] = _sources(columns.get("said_at_coordinate_source"), said_at)
    return columns


def _said_at_placed(columns: dict[str, Any]) -> np.ndarray | None:
    """Which events have a point where they were said at; ``None`` when one names such a place
    without a point (the geocoder would place it)."""
    if "said_at_name" not in columns:
        return np.zeros(0, bool)
    named = pd.Series(columns["said_at_name"]).notna().to_numpy()
    lat, lon = (
        np.asarray(columns.get(c, np.full(len(named), np.nan)), float) for c in ("said_at_lat", "said_at_lon")
    )
    placed = ~np.isnan(lat) & ~np.isnan(lon)
    return None if np.any(named & ~placed) or np.any(placed & ~named) else placed


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
        if not _KNOWN.issuperset(props):
            return None
        for column in _AS_TEXT:
            value = props.get(column)
            if value is not None:
                props[column] = "[]" if value == [] else json.dumps(value, ensure_ascii=False)
        position[index] = coordinates[1], coordinates[0]
        properties.append(props)
        features[index] = None  # the document is this reader's own: keep only the properties
    return properties, position


def _agrees(table: pa.Table, position: np.ndarray) -> bool:
    """Whether the ``lat``/``lon`` properties, where given, are the geometry's position."""
    for axis, column in enumerate(("lat", "lon")):
        if column not in table.column_names:
            continue
        kind = table.schema.field(column).type
        if not (pa.types.is_floating(kind) or pa.types.is_integer(kind) or pa.types.is_null(kind)):
            return False
        given = table[column].to_numpy(zero_copy_only=False).astype(float)
        stated = ~np.isnan(given)
        if np.any(np.abs(given[stated] - position[stated, axis]) > TOLERANCE_DEG):
            return False
    return True


def _with_position(table: pa.Table, position: np.ndarray) -> pa.Table:
    for axis, column in enumerate(("lat", "lon")):
        values = pa.array(position[:, axis])
        if column in table.column_names:
            table = table.set_column(table.column_names.index(column), column, values)
        else:
            table = table.append_column(column, values)
    return table
