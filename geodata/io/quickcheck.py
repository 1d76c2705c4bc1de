"""Whole-column checks in Arrow that only say whether every value is fine.

A large catalogue's slim columns (id, type, dates, date precision, lat, lon) are read for a million
events at every start; :class:`geodata.io.columns.ColumnChecker` names each problem, but goes
through pandas to do it. These checks answer yes or no in Arrow compute, several times faster, and
only a "no" pays for the checker (which then names every problem). They accept no value the
checker would reject: where a column is of a type they do not handle (dates as text, dictionary
columns) they answer no.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from geodata.model import DATE_PRECISIONS, ID_PATTERN
from geodata.taxonomy import EVENT_TYPES

#: The columns these checks know, with what each must hold.
CHOICES = {"type": list(EVENT_TYPES), "date_precision": list(DATE_PRECISIONS)}
RANGES = {"lat": 90.0, "lon": 180.0}


def slim_columns(table: pa.Table) -> pa.Table | None:
    """The columns id (text), type, date_precision (dictionary-encoded text), date_start, date_end
    (timestamp[s]), lat and lon (float64) of ``table`` when every value passes the checks
    :class:`~geodata.io.columns.ColumnChecker` makes, but one: ids are not looked for twice (the
    caller does, across all the files it reads). ``None`` when any value might not pass."""
    if any(table[c].null_count for c in table.column_names):
        return None
    if not (_text(table, "id") and _matches(table["id"], ID_PATTERN.pattern)):
        return None
    if not all(_text(table, c, coded=True) and _within(table[c], allowed) for c, allowed in CHOICES.items()):
        return None
    start, end = _days(table, "date_start"), _days(table, "date_end")
    if start is None or end is None or not _true(pc.greater_equal(end, start)):
        return None
    numbers = {c: _number(table, c, limit) for c, limit in RANGES.items()}
    if any(n is None for n in numbers.values()):
        return None
    columns = {"id": pc.cast(table["id"], pa.large_string())}
    columns.update({c: _coded(table[c]) for c in CHOICES})
    seconds = {
        c: pc.cast(d, pa.timestamp("s"), safe=False) for c, d in (("date_start", start), ("date_end", end))
    }
    return pa.table({**columns, **seconds, **numbers})


#: How type and date precision are held: few distinct values, many rows.
CODED = pa.dictionary(pa.int32(), pa.large_string())


def _coded(values: pa.ChunkedArray) -> pa.ChunkedArray:
    """``values`` as :data:`CODED` (a dictionary column stays one: no decoding and encoding)."""
    if not pa.types.is_dictionary(values.type):
        values = pc.dictionary_encode(values)
    return pc.cast(values, CODED)


def _true(mask: Any) -> bool:
    return bool(pc.all(mask).as_py() is not False)


def _text(table: pa.Table, column: str, *, coded: bool = False) -> bool:
    """A text column (or, if ``coded``, dictionary-encoded text: a categorical written by pandas)."""
    kind = table.schema.field(column).type
    if coded and pa.types.is_dictionary(kind):
        kind = kind.value_type
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))


def _matches(values: pa.ChunkedArray, pattern: str) -> bool:
    return _true(pc.match_substring_regex(values, pattern))


def _within(values: pa.ChunkedArray, allowed: list[str]) -> bool:
    """Every value is one of ``allowed`` (for dictionary columns: every value of the dictionaries)."""
    if pa.types.is_dictionary(values.type):
        return all(_true(pc.is_in(chunk.dictionary, value_set=pa.array(allowed))) for chunk in values.chunks)
    return _true(pc.is_in(values, value_set=pa.array(allowed)))


def _days(table: pa.Table, column: str) -> pa.ChunkedArray | None:
    """The column as millisecond timestamps (as the checker reads it), if all are of years 1 to 9999."""
    kind = table.schema.field(column).type
    if not ((pa.types.is_timestamp(kind) and kind.tz is None) or pa.types.is_date(kind)):
        return None
    days = pc.cast(table[column], pa.timestamp("ms"), safe=False)
    if not len(days):
        return days
    bounds = pc.min_max(pc.cast(days, pa.int64()))  # the first and last day, not each day's year
    return days if bounds["min"].as_py() >= _YEAR_1 and bounds["max"].as_py() < _YEAR_10000 else None


#: 1 January of the years 1 and 10000, in milliseconds from 1970.
_YEAR_1, _YEAR_10000 = -62_135_596_800_000, 253_402_300_800_000


def _number(table: pa.Table, column: str, limit: float) -> pa.ChunkedArray | None:
    """The column as floats, if all are numbers within ``-limit..limit``."""
    kind = table.schema.field(column).type
    if not (pa.types.is_floating(kind) or pa.types.is_integer(kind)):
        return None
    values = pc.cast(table[column], pa.float64())
    inside = pc.and_(pc.greater_equal(values, -limit), pc.less_equal(values, limit))  # NaN is outside
    return values if _true(inside) else None
