"""Partitioned GeoParquet datasets: a directory of ``month=YYYY-MM/part-0.parquet`` files.

Each file is a GeoParquet file of its own (valid "geo" metadata, the columns the single-file export
writes); the month of ``date_start`` is the hive-style partition. Reads push a view's date window
and event types down to pyarrow: months after the window's end are never opened, files whose
footer statistics show no row in the window are skipped after reading their footer, and only the
row groups (and columns) the view needs are read. Every file is checked as a single GeoParquet
file is, and a problem names the file it is in.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds

from geodata.errors import CatalogError, ExportError, Problem
from geodata.io.parquet import REQUIRED, checked_columns, geo_column, split_geometry
from geodata.settings import DEFAULTS

PARTITION = "month"
PART = "part-0.parquet"
#: Rows per row group: a month of a large catalogue is several groups, so that a window inside a
#: month reads only part of it.
ROW_GROUP_ROWS = 50_000
WRITE_AGAIN = "write the dataset again with `geodata export CATALOGUE -o DIR --format parquet-dataset`"


@dataclass(frozen=True)
class Window:
    """What a view needs: events overlapping ``[start, end]`` of the given ``types`` (``None``:
    no bound)."""

    start: dt.date | None = None
    end: dt.date | None = None
    types: tuple[str, ...] | None = None


#: The window of a whole dataset.
EVERYTHING = Window()


def write_dataset(gdf: Any, directory: str | os.PathLike[str]) -> Path:
    """Write the events as a dataset partitioned by month into ``directory``, replacing a dataset
    already there (never another directory) only once the new one is whole."""
    from geodata.io.export import parquet_frame

    target = Path(directory)
    _check_replaceable(target)
    frame = parquet_frame(gdf)
    months = frame["date_start"].dt.strftime("%Y-%m").fillna("undated")
    staged = target.parent / f".{target.name}.partial-{os.getpid()}"
    shutil.rmtree(staged, ignore_errors=True)
    try:
        staged.mkdir(parents=True)
        for month, rows in frame.groupby(months, sort=True):
            folder = staged / f"{PARTITION}={month}"
            folder.mkdir()
            # sorted by start within the month: tight row-group statistics for date pushdown
            rows = rows.sort_values("date_start", kind="stable")
            rows.to_parquet(folder / PART, index=False, row_group_size=ROW_GROUP_ROWS)
        if target.exists():
            old = target.parent / f".{target.name}.old-{os.getpid()}"
            target.rename(old)
            staged.rename(target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            staged.rename(target)
    except OSError as err:
        shutil.rmtree(staged, ignore_errors=True)
        raise ExportError(f"cannot write the dataset {str(target)!r}: {err}") from err
    return target


def _check_replaceable(target: Path) -> None:
    if not target.exists():
        return
    if not target.is_dir():
        raise ExportError(f"{str(target)!r} is a file; a parquet-dataset is written to a directory")
    for entry in target.iterdir():
        if not (entry.is_dir() and entry.name.startswith(f"{PARTITION}=")):
            raise ExportError(
                f"{str(target)!r} holds {entry.name!r}, so it is not a dataset geodata wrote; "
                "name a new directory, or empty this one"
            )


def list_dataset(directory: Path) -> ds.Dataset:
    """The dataset's files, found by listing only (the partition's schema is given, so no file
    is opened to find it)."""
    schema = pa.schema([(PARTITION, pa.string())])
    try:
        return ds.dataset(
            directory, format="parquet", schema=schema, partitioning=ds.partitioning(schema, flavor="hive")
        )
    except (OSError, pa.ArrowException) as err:
        raise CatalogError(
            [Problem(f"cannot list the dataset ({err}); {WRITE_AGAIN}", path=str(directory))]
        ) from err


def _month_filter(window: Window) -> ds.Expression | None:
    # A month partition holds events starting in that month: later months start after the end.
    return ds.field(PARTITION) <= f"{window.end:%Y-%m}" if window.end is not None else None


def _bound(kind: pa.DataType, day: dt.date) -> Any:
    """``day`` as a scalar comparable with a column of type ``kind``."""
    if pa.types.is_timestamp(kind):
        return pa.scalar(dt.datetime(day.year, day.month, day.day), type=pa.timestamp("s"))
    if pa.types.is_date(kind):
        return pa.scalar(day, type=pa.date32())
    return day.isoformat()  # ISO text sorts as the days do


def row_filter(schema: pa.Schema, window: Window) -> ds.Expression | None:
    """The filter on a file's own columns (their types may differ from file to file)."""
    parts = []
    if window.end is not None and "date_start" in schema.names:
        parts.append(ds.field("date_start") <= _bound(schema.field("date_start").type, window.end))
    if window.start is not None and "date_end" in schema.names:
        parts.append(ds.field("date_end") >= _bound(schema.field("date_end").type, window.start))
    if window.types is not None and "type" in schema.names:
        parts.append(ds.field("type").isin(list(window.types)))
    expression = None
    for part in parts:
        expression = part if expression is None else expression & part
    return expression


@dataclass
class _File:
    fragment: ds.ParquetFileFragment
    label: str
    geometry: str
    schema: pa.Schema


def open_file(fragment: ds.ParquetFileFragment) -> _File:
    """The file's footer, checked: GeoParquet metadata, row groups small enough to read."""
    label = str(fragment.path)
    try:
        schema = fragment.physical_schema
        metadata = fragment.metadata
    except (OSError, pa.ArrowException) as err:
        raise CatalogError(
            [Problem(f"not a Parquet file geodata can read ({err}); {WRITE_AGAIN}", path=label)]
        ) from err
    geometry = geo_column(schema.metadata, label)
    limit = DEFAULTS.max_row_group_bytes
    for index in range(metadata.num_row_groups):
        size = metadata.row_group(index).total_byte_size
        if size > limit:
            raise CatalogError(
                [
                    Problem(
                        f"row group {index} holds {size:,} bytes, more than the {limit:,} read at once; "
                        f"{WRITE_AGAIN} (it writes {ROW_GROUP_ROWS:,} rows a group)",
                        path=label,
                    )
                ]
            )
    return _File(fragment, label, geometry, schema)


def _touched(directory: Path, window: Window) -> Iterator[tuple[_File, ds.ParquetFileFragment]]:
    """Each file a read of ``window`` reads, with the row groups to read from it."""
    for fragment in list_dataset(directory).get_fragments(filter=_month_filter(window)):
        opened = open_file(fragment)
        expression = row_filter(opened.schema, window)
        if expression is None:
            yield opened, fragment
            continue
        try:  # footer statistics: row groups with no row in the window are not read
            groups = fragment.subset(filter=expression, schema=opened.schema)
        except (OSError, pa.ArrowException) as err:
            raise CatalogError(
                [Problem(f"cannot filter the file ({err}); {WRITE_AGAIN}", path=opened.label)]
            ) from err
        if groups.num_row_groups:
            yield opened, groups


def dataset_files(directory: str | os.PathLike[str], window: Window = EVERYTHING) -> list[Path]:
    """The files whose rows a read of ``window`` reads (the others are pruned by their month or
    by their footer's statistics)."""
    return [Path(opened.label) for opened, _ in _touched(Path(directory), window)]


def read_dataset_frame(
    directory: str | os.PathLike[str], window: Window = EVERYTHING, *, columns: Sequence[str] | None = None
) -> Any:
    """The events of the dataset in ``window`` as a GeoDataFrame (all columns, or ``columns``
    and the required ones); raise :class:`CatalogError` naming each bad file."""
    from geodata.frame import frame_from_columns

    path = Path(directory)
    if not path.is_dir():
        raise CatalogError([Problem(f"not a directory; {WRITE_AGAIN}", path=str(path))])
    parts: list[tuple[int, dict[str, Any]]] = []
    for opened, fragment in _touched(path, window):
        parts.append(_read_file(opened, fragment, window, columns))
    if not parts:
        if not any(True for _ in list_dataset(path).get_fragments()):
            raise CatalogError(
                [Problem(f"the directory holds no GeoParquet files; {WRITE_AGAIN}", path=str(path))]
            )
        from geodata.frame import frame_from_records

        return frame_from_records([])
    joined = _joined(parts)
    _check_unique(joined["id"], str(path))
    return frame_from_columns(joined)


def _read_file(
    opened: _File, fragment: ds.ParquetFileFragment, window: Window, columns: Sequence[str] | None
) -> tuple[int, dict[str, Any]]:
    names = opened.schema.names
    wanted = None if columns is None else [c for c in names if c in {*columns, *REQUIRED, opened.geometry}]
    try:
        table = fragment.to_table(
            schema=opened.schema, columns=wanted, filter=row_filter(opened.schema, window)
        )
    except (OSError, pa.ArrowException) as err:
        raise CatalogError(
            [Problem(f"cannot read the file ({err}); {WRITE_AGAIN}", path=opened.label)]
        ) from err
    table, geometry = split_geometry(table, opened.geometry)
    return table.num_rows, checked_columns(table, geometry, opened.label)


_LIST_COLUMNS = ("actors", "tags", "references")


def _joined(parts: list[tuple[int, dict[str, Any]]]) -> dict[str, Any]:
    """The files' columns end to end; a column some files lack is empty in their rows."""
    names = list(dict.fromkeys(name for _, columns in parts for name in columns))
    joined: dict[str, Any] = {}
    for name in names:
        pieces: list[Any] = []
        for rows, columns in parts:
            if name in columns:
                pieces.append(columns[name])
            else:
                pieces.append([[] for _ in range(rows)] if name in _LIST_COLUMNS else [None] * rows)
        if all(isinstance(p, pd.Series) for p in pieces):
            joined[name] = pd.concat(pieces, ignore_index=True)
        elif all(isinstance(p, np.ndarray) for p in pieces) and len({p.dtype for p in pieces}) == 1:
            joined[name] = np.concatenate(pieces)
        else:
            joined[name] = [value for piece in pieces for value in piece]
    return joined


def _check_unique(ids: Any, label: str) -> None:
    """Ids are unique across the files read (each file checks its own)."""

    series = pd.Series(ids, dtype=object)
    twice = series[series.duplicated()].unique()[:20]
    if len(twice):
        raise CatalogError(
            [
                Problem(
                    "duplicate id in two files of the dataset; give each event its own id",
                    event_id=str(i),
                    field="id",
                    path=label,
                )
                for i in twice
            ]
        )
