"""Large GeoParquet catalogues read in two steps: the few columns that filtering and the map need,
for every event in a window, then every column only for the rows shown (markers, the table's
page, the selected event, a download).

A slim frame carries, beside its columns, where each row is (``_file``, ``_row``: the file's
index in the list read and the row's number in that file), so :func:`full_rows` reads just the
row groups holding the rows asked for. Slim columns are checked on read; the other columns are
checked, with the file named, when their rows are read.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from geodata.errors import CatalogError, Problem
from geodata.io.dataset import EVERYTHING, WRITE_AGAIN, Window, open_file, row_filter
from geodata.io.parquet import checked_columns, geo_column, split_geometry
from geodata.io.quickcheck import CODED, slim_columns
from geodata.records import TYPE_COLUMNS
from geodata.taxonomy import EVENT_TYPES

#: What filtering, the grid of counts and the histogram read for every event.
SLIM = ("id", "type", "date_start", "date_end", "date_precision", "lat", "lon")
#: The columns derived from the type that a slim frame carries.
SLIM_TYPE_COLUMNS = {c: TYPE_COLUMNS[c] for c in ("type_label", "colour")}
FILE, ROW = "_file", "_row"
_LOCAL = pafs.LocalFileSystem()


def slim_frame(paths: Sequence[str | os.PathLike[str]], window: Window = EVERYTHING) -> pd.DataFrame:
    """The slim columns of the rows of ``paths`` (GeoParquet files) in ``window``, indexed by id;
    raise :class:`CatalogError` naming a file that is not GeoParquet or a bad slim value."""
    parts = []
    for number, path in enumerate(paths):
        opened = open_file(ds.ParquetFileFormat().make_fragment(os.path.abspath(path), _LOCAL))
        part = _slim_part(opened.fragment, opened.schema, opened.label, number, window)
        if part is not None:
            parts.append(part)
    # joined in Arrow and made a frame once: hundreds of pandas frames cost seconds to concatenate
    table = pa.concat_tables(parts) if parts else _EMPTY.empty_table()
    _check_unique(table, [str(p) for p in paths])
    return _typed(table)


#: The slim table's columns and their types, whatever each file's own are.
_EMPTY = pa.schema(
    [
        ("id", pa.large_string()),
        ("type", CODED),
        ("date_precision", CODED),
        ("date_start", pa.timestamp("s")),
        ("date_end", pa.timestamp("s")),
        ("lat", pa.float64()),
        ("lon", pa.float64()),
        (ROW, pa.int64()),
        (FILE, pa.int16()),
    ]
)


def _starts(metadata: Any) -> np.ndarray:
    """The first row number of each row group, and the file's row count last."""
    sizes = [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)]
    return np.concatenate([[0], np.cumsum(sizes, dtype=np.int64)]).astype(np.int64)


def _slim_part(fragment: Any, schema: pa.Schema, label: str, number: int, window: Window) -> pa.Table | None:
    """The file's slim columns in ``window``, checked, as a table of :data:`_EMPTY`'s schema."""
    missing = [c for c in SLIM if c not in schema.names]
    if missing:
        problem = Problem(f"missing column {missing[0]!r}; {WRITE_AGAIN}", field=missing[0], path=label)
        raise CatalogError([problem])
    expression = row_filter(schema, window)
    starts = _starts(fragment.metadata)
    try:
        groups = list(range(fragment.metadata.num_row_groups))
        if expression is not None:  # footer statistics: only the row groups that may hold the window
            groups = [g.id for g in fragment.subset(filter=expression, schema=schema).row_groups]
        if not groups:
            return None
        table = pq.ParquetFile(fragment.path).read_row_groups(groups, columns=list(SLIM))
        rows = np.concatenate([np.arange(starts[g], starts[g + 1], dtype=np.int64) for g in groups])
        table = table.append_column(ROW, pa.array(rows))
        if expression is not None:
            table = table.filter(expression)
    except (OSError, pa.ArrowException) as err:
        raise CatalogError([Problem(f"cannot read the file ({err}); {WRITE_AGAIN}", path=label)]) from err
    checked = slim_columns(table.select(list(SLIM)))  # the common case: all fine, seen in Arrow
    if checked is None:  # the checker names every problem, or reads what the quick checks do not
        columns = _checked(_with_stand_ins(table), None, label, table[ROW].to_numpy())
        checked = pa.table({c: pa.array(np.asarray(columns[c])) for c in SLIM})
        for column in ("type", "date_precision"):
            index = checked.column_names.index(column)
            checked = checked.set_column(index, column, pc.dictionary_encode(checked[column]))
    checked = checked.append_column(ROW, table[ROW]).append_column(
        FILE, pa.array(np.full(len(table), number, np.int16))
    )
    return checked.select(_EMPTY.names).cast(_EMPTY)


def _checked(table: pa.Table, geometry: pa.ChunkedArray | None, label: str, rows: np.ndarray) -> Any:
    """:func:`checked_columns` of some rows of a file, each problem's line the row's in the file
    (counted from 1), not in the rows read."""
    try:
        return checked_columns(table, geometry, label)
    except CatalogError as err:
        lines = [
            replace(p, line=int(rows[p.line - 1]) + 1) if p.line is not None and p.line <= len(rows) else p
            for p in err.problems
        ]
        raise CatalogError(lines) from err


def _check_unique(table: pa.Table, paths: Sequence[str]) -> None:
    """Each id once among the rows read (of one file or many); a problem names each repeat's
    file and row, and where the id was first seen."""
    prints = fingerprints(table["id"])
    ordered = np.sort(prints)
    alike = ordered[1:][ordered[1:] == ordered[:-1]]
    if not len(alike):  # the common case: no two fingerprints alike, so no two ids
        return
    table = table.filter(pa.array(np.isin(prints, alike)))
    ids = table["id"]
    seen = pd.DataFrame({"id": ids.to_pandas(), "file": table[FILE].to_numpy(), "row": table[ROW].to_numpy()})
    first = seen.drop_duplicates("id").set_index("id")
    problems = []
    for repeat in seen[seen["id"].duplicated()].head(20).itertuples():
        where = first.loc[repeat.id]
        also = f"{paths[int(where.file)]}:{int(where.row) + 1}"
        problems.append(
            Problem(
                f"duplicate id (also at {also}); give each event its own id",
                event_id=str(repeat.id),
                field="id",
                line=int(repeat.row) + 1,
                path=paths[int(repeat.file)],
            )
        )
    if problems:  # else two ids only shared a fingerprint
        raise CatalogError(problems)


def fingerprints(ids: pa.ChunkedArray) -> np.ndarray:
    """A 64-bit number per id, equal for equal ids (and, rarely, for two others).

    The ids are slugs (checked before: ASCII letters, digits and ``._-``, at most 128), so each is
    padded with spaces to a whole number of 8-byte words, and its words are folded into one
    number and their bits mixed: NumPy over the bytes, where hashing ten million strings in a
    hash table costs seconds.
    """
    if len(ids) == 0:
        return np.zeros(0, np.uint64)
    width = max(8, -(-int(pc.max(pc.binary_length(ids)).as_py()) // 8) * 8)
    return np.concatenate([_folded(chunk, width) for chunk in ids.chunks if len(chunk)])


def _folded(ids: pa.Array, width: int) -> np.ndarray:
    padded = pc.utf8_rpad(ids, width=width, padding=" ")
    wide = pa.types.is_large_string(padded.type)
    offsets = np.frombuffer(padded.buffers()[1], dtype=np.int64 if wide else np.int32)[padded.offset :]
    data = np.frombuffer(padded.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[0] + len(ids) * width]
    words = data.view(np.uint64).reshape(len(ids), width // 8)
    folded = words[:, 0].copy()
    for column in range(1, words.shape[1]):
        folded = folded * np.uint64(0x9E3779B97F4A7C15) + words[:, column]
    folded ^= folded >> np.uint64(31)  # mixed (splitmix64's finish), so that every bit counts
    folded *= np.uint64(0xBF58476D1CE4E5B9)
    folded ^= folded >> np.uint64(29)
    return folded


def _with_stand_ins(table: pa.Table) -> pa.Table:
    """A title for the checker's required column (titles are checked when rows are read whole)."""
    return table.append_column("title", pa.array(np.full(table.num_rows, "-", dtype=object), pa.string()))


def _typed(table: pa.Table) -> pd.DataFrame:
    """The slim frame: type and date precision as categories, the type's label and colour, the
    ids as index."""
    df = table.to_pandas()  # the dictionaries (each file's own) become one list of categories
    # The histogram's label and the map's colour; the other type columns (ACLED, CAMEO) come with
    # the rows read whole (as text they would double a slim frame's memory).
    for column, attribute in SLIM_TYPE_COLUMNS.items():
        labels = {key: getattr(kind, attribute) for key, kind in EVENT_TYPES.items()}
        df[column] = df["type"].map(labels).astype("category")
    df.index = pd.Index(df["id"], name="event_id")
    return df


def full_rows(paths: Sequence[str | os.PathLike[str]], rows: pd.DataFrame) -> gpd.GeoDataFrame:
    """Every column of ``rows`` (a slice of a :func:`slim_frame` of ``paths``), in their order,
    checked."""
    from geodata.frame import frame_from_columns, frame_from_records

    if rows.empty:
        return frame_from_records([])
    pieces = []
    for table, wanted, label, geometry in _taken(paths, rows, None):
        table, shapes = split_geometry(table, geometry)
        pieces.append(frame_from_columns(_checked(table, shapes, label, wanted)))
    whole = pd.concat(pieces) if len(pieces) > 1 else pieces[0]
    return whole.iloc[np.argsort(_order(rows), kind="stable")]


def columns_of(
    paths: Sequence[str | os.PathLike[str]], rows: pd.DataFrame, names: Sequence[str]
) -> pd.DataFrame:
    """The columns ``names`` of ``rows`` as they are in the files (unchecked: for search), in the
    rows' order and with their index; a column a file lacks is empty in its rows."""
    pieces = []
    for table, _, label, _ in _taken(paths, rows, names):
        try:
            pieces.append(table.to_pandas())
        except (pa.ArrowException, ValueError, TypeError) as err:  # a column of a type pandas lacks
            raise CatalogError([Problem(f"cannot read its rows ({err}); {WRITE_AGAIN}", path=label)]) from err
    if not pieces:
        return pd.DataFrame({n: pd.Series(dtype=object) for n in names}, index=rows.index)
    whole = pd.concat(pieces, ignore_index=True) if len(pieces) > 1 else pieces[0]
    whole = whole.iloc[np.argsort(_order(rows), kind="stable")]
    whole.index = rows.index
    for name in names:
        if name not in whole:
            whole[name] = pd.Series(None, index=whole.index, dtype=object)
    return whole[list(names)]


def _order(rows: pd.DataFrame) -> np.ndarray:
    """Where each row lands when rows are read file by file, row by row."""
    return np.lexsort((rows[ROW].to_numpy(), rows[FILE].to_numpy()))


def _taken(paths: Sequence[str | os.PathLike[str]], rows: pd.DataFrame, names: Sequence[str] | None) -> Any:
    """For each file holding some of ``rows``: the table of those rows (all columns or ``names``),
    their row numbers in the file (sorted), the file's label and its geometry column."""
    files = rows[FILE].to_numpy()
    numbers = rows[ROW].to_numpy()
    for number in np.unique(files):
        path = str(paths[int(number)])
        wanted = np.sort(numbers[files == number])
        try:
            # no pre-buffering: the first rows of a large row group are read without the rest
            reader = pq.ParquetFile(path, pre_buffer=False)
            geometry = geo_column(reader.schema_arrow.metadata, path)
            columns = None if names is None else [n for n in names if n in reader.schema_arrow.names]
            table = _rows_of(reader, wanted, columns)
        except (OSError, pa.ArrowException) as err:
            raise CatalogError([Problem(f"cannot read its rows ({err}); {WRITE_AGAIN}", path=path)]) from err
        yield table, wanted, path, geometry


#: Rows decoded at a time when rows are picked out of a row group.
BATCH_ROWS = 8_192


def _rows_of(reader: pq.ParquetFile, wanted: np.ndarray, columns: list[str] | None) -> pa.Table:
    """The rows ``wanted`` (row numbers, sorted) of a file: each row group holding some is read a
    batch at a time up to its last row wanted, and only the batches holding some are kept."""
    starts = _starts(reader.metadata)
    kept = []
    for group in np.unique(np.searchsorted(starts, wanted, side="right") - 1):
        here = wanted[(wanted >= starts[group]) & (wanted < starts[group + 1])]
        position = int(starts[group])
        for batch in reader.iter_batches(batch_size=BATCH_ROWS, row_groups=[int(group)], columns=columns):
            end = position + batch.num_rows
            inside = here[(here >= position) & (here < end)]
            if len(inside) == batch.num_rows:
                kept.append(batch)
            elif len(inside):
                kept.append(batch.take(pa.array(inside - position)))
            position = end
            if position > here[-1]:
                break
    return pa.Table.from_batches(kept)


def actor_list(paths: Sequence[str | os.PathLike[str]]) -> list[str]:
    """Every actor the files name (by its dictionary name), from their actor columns alone."""
    from geodata.actors import canonical_actor

    names: set[str] = set()
    for path in paths:
        schema = pq.read_schema(path)
        for name in ("actors", "actor1", "actor2"):
            if name not in schema.names or pa.types.is_null(schema.field(name).type):
                continue
            column = pq.read_table(path, columns=[name])[name]
            if name == "actors":
                column = pc.list_flatten(column)
            names |= {str(n) for n in pc.unique(column).to_pylist() if n is not None}
    return sorted({canonical_actor(n) for n in names})
