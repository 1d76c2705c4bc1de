"""GeoParquet catalogues, the large-catalogue path: read with pyarrow, checked column by column.

There is no per-event validation here (a catalogue may hold hundreds of thousands of events), so
each column is checked whole: its type here, then its values in :mod:`geodata.io.columns`. Dates
become timestamps in Arrow, before pandas sees them, so a day pandas cannot hold (year 0) is a
problem, not a crash. A file that passes gives a frame the dashboard can draw.
"""

from __future__ import annotations

import json
import os
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from geodata.errors import CatalogError, Problem
from geodata.io.columns import LISTS, ColumnChecker
from geodata.records import RECORD_FIELDS

REQUIRED = ("id", "type", "title", "date_start", "date_end", "date_precision", "lat", "lon")
DATES = ("date_start", "date_end", "source_published")
NUMBERS = ("lat", "lon", "said_at_lat", "said_at_lon", "fatalities_low", "fatalities_high")
_EXPORT_AGAIN = "write the file with `geodata export -o NAME.parquet`"


def read_parquet_frame(path: str | os.PathLike[str]) -> Any:
    """A GeoParquet written by geodata as a GeoDataFrame; raise :class:`CatalogError` listing
    what is wrong with its columns."""
    from geodata.frame import frame_from_columns

    label = str(path)
    table, geometry = _read(path, label)
    return frame_from_columns(checked_columns(table, geometry, label))


def checked_columns(table: pa.Table, geometry: pa.ChunkedArray | None, label: str) -> dict[str, Any]:
    """The columns of ``table`` that a frame is built from, each checked whole; raise
    :class:`CatalogError` naming ``label`` (the file) with every problem found."""
    found = [_type_problem(table.schema.field(c), label) for c in RECORD_FIELDS if c in table.column_names]
    problems = [p for p in found if p is not None]
    problems += [
        Problem(f"missing column {c!r}; {_EXPORT_AGAIN}", field=c, path=label)
        for c in REQUIRED
        if c not in table.column_names
    ]
    if problems:
        raise CatalogError(problems)
    for column in DATES:
        kind = table.schema.field(column).type if column in table.column_names else pa.null()
        if pa.types.is_date(kind) or pa.types.is_timestamp(kind):
            index = table.column_names.index(column)
            table = table.set_column(index, column, pc.cast(table[column], pa.timestamp("ms"), safe=False))
    table = table.select([c for c in RECORD_FIELDS if c in table.column_names])
    check = ColumnChecker(table, label)
    columns = check.values()
    check.geometry(geometry)
    if check.problems:
        raise CatalogError(check.problems)
    return columns


def geo_column(metadata: dict[bytes, bytes] | None, label: str) -> str:
    """The primary geometry column a GeoParquet file's "geo" metadata names; raise
    :class:`CatalogError` naming the file when there is none."""
    try:
        geo = json.loads((metadata or {})[b"geo"])
        return str(geo["primary_column"])
    except (ValueError, TypeError, KeyError) as err:
        reason = "it has no 'geo' metadata" if isinstance(err, KeyError) else str(err)
        raise CatalogError(
            [Problem(f"not a GeoParquet file geodata can read ({reason}); {_EXPORT_AGAIN}", path=label)]
        ) from err


def _read(path: str | os.PathLike[str], label: str) -> tuple[pa.Table, pa.ChunkedArray | None]:
    """The table without its geometry, and the geometry column (WKB) if there is one."""
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (OSError, ValueError, TypeError, pa.ArrowException) as err:
        raise CatalogError(
            [Problem(f"not a GeoParquet file geodata can read ({err}); {_EXPORT_AGAIN}", path=label)]
        ) from err
    return split_geometry(table, geo_column(table.schema.metadata, label))


def split_geometry(table: pa.Table, primary: str) -> tuple[pa.Table, pa.ChunkedArray | None]:
    """``table`` without its geometry column ``primary``, and that column (if it has one)."""
    if primary not in table.column_names:
        return table, None
    return table.drop_columns([primary]), table[primary]


def _type_problem(field: pa.Field, label: str) -> Problem | None:
    kind = field.type
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    if pa.types.is_null(kind):
        return None
    name = field.name
    if name in NUMBERS:
        ok, want = pa.types.is_integer(kind) or pa.types.is_floating(kind) or _is_text(kind), "numbers"
    elif name in DATES:
        ok = pa.types.is_date(kind) or _is_text(kind) or (pa.types.is_timestamp(kind) and kind.tz is None)
        want = "dates (a date or timestamp column without time zone, or ISO text)"
    elif name in LISTS:
        ok = (pa.types.is_list(kind) or pa.types.is_large_list(kind)) and _is_text(kind.value_type)
        want = "lists of text"
    else:
        ok, want = _is_text(kind), "text"
    if ok:
        return None
    return Problem(f"column {name!r} holds {kind}, not {want}; write it as {want}", field=name, path=label)


def _is_text(kind: pa.DataType) -> bool:
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_null(kind))
