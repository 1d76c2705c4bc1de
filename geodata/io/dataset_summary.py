"""What a view of a partitioned GeoParquet dataset needs before it reads any events: how many
events, the days they cover and the actors they name.

The count and the span come from the files' footers (row counts, min/max statistics), the actors
from the actors column alone, one file at a time, so a summary of ten million events holds only
the distinct names.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from geodata.errors import CatalogError, Problem
from geodata.io.dataset import WRITE_AGAIN, list_dataset, open_file


@dataclass(frozen=True)
class Summary:
    """A dataset's event count, first and last day (``None`` when it has no events), actors."""

    total: int
    span: tuple[dt.date, dt.date] | None
    actors: tuple[str, ...]


def dataset_summary(directory: str | os.PathLike[str]) -> Summary:
    """The :class:`Summary` of the dataset in ``directory``; raise :class:`CatalogError` naming a
    file that cannot be read."""
    path = Path(directory)
    if not path.is_dir():
        raise CatalogError([Problem(f"not a directory; {WRITE_AGAIN}", path=str(path))])
    total, actors = 0, set[str]()
    first: dt.date | None = None
    last: dt.date | None = None
    for fragment in list_dataset(path).get_fragments():
        opened = open_file(fragment)
        if fragment.metadata.num_rows == 0:
            continue
        total += fragment.metadata.num_rows
        start = _extreme(fragment, opened.schema, "date_start", low=True)
        end = _extreme(fragment, opened.schema, "date_end", low=False)
        if start is not None:
            first = start if first is None else min(first, start)
        if end is not None:
            last = end if last is None else max(last, end)
        actors |= _actors(fragment, opened.schema, opened.label)
    span = None if first is None else (first, max(first, last or first))
    return Summary(total, span, tuple(sorted(actors)))


def _day(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _extreme(
    fragment: ds.ParquetFileFragment, schema: pa.Schema, column: str, *, low: bool
) -> dt.date | None:
    """The file's first (``low``) or last day in ``column``: from the footer's statistics when
    every row group has them, else from the column itself."""
    if column not in schema.names:
        return None
    days: list[dt.date] = []
    metadata = fragment.metadata
    for group in range(metadata.num_row_groups):
        chunk = next(
            (
                metadata.row_group(group).column(i)
                for i in range(metadata.num_columns)
                if metadata.row_group(group).column(i).path_in_schema == column
            ),
            None,
        )
        stats = chunk.statistics if chunk is not None else None
        day = _day(stats.min if low else stats.max) if stats is not None and stats.has_min_max else None
        if day is None:
            break
        days.append(day)
    else:
        if days:
            return min(days) if low else max(days)
    try:
        values = fragment.to_table(schema=schema, columns=[column])[column]
        found = pc.min_max(values)["min" if low else "max"].as_py()
    except (OSError, pa.ArrowException):
        return None  # a column of the wrong type: reading the events reports it, naming the file
    return _day(found)


def _actors(fragment: ds.ParquetFileFragment, schema: pa.Schema, label: str) -> set[str]:
    if "actors" not in schema.names or pa.types.is_null(schema.field("actors").type):
        return set()
    try:
        column = fragment.to_table(schema=schema, columns=["actors"])["actors"]
        names = pc.unique(pc.list_flatten(column))
    except (OSError, pa.ArrowException) as err:
        raise CatalogError([Problem(f"cannot read its actors ({err}); {WRITE_AGAIN}", path=label)]) from err
    return {str(n) for n in names.to_pylist() if n is not None}
