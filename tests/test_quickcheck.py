"""The Arrow yes-or-no checks of slim columns (geodata.io.quickcheck) pass only what the column
checker passes, and give the same columns."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from benchmarks.synth import synthetic_frame
from geodata.errors import CatalogError
from geodata.io.export import parquet_frame
from geodata.io.parquet import checked_columns
from geodata.io.quickcheck import slim_columns
from geodata.io.slim import SLIM


@pytest.fixture(scope="module")
def table() -> pa.Table:
    """The slim columns of 500 synthetic events as the GeoParquet export writes them."""
    frame = parquet_frame(synthetic_frame(500, seed=2))
    return pa.Table.from_pandas(pd.DataFrame(frame[list(SLIM)]), preserve_index=False)


def _checker(table: pa.Table) -> dict[str, Any]:
    titled = table.append_column("title", pa.array(["-"] * table.num_rows))
    return checked_columns(titled, None, "slim.parquet")


def _with(table: pa.Table, column: str, row: int, value: Any, kind: pa.DataType | None = None) -> pa.Table:
    values = table[column].to_pylist()
    values[row] = value
    index = table.column_names.index(column)
    return table.set_column(index, column, pa.array(values, kind or table[column].type))


def _coded(table: pa.Table) -> pa.Table:
    """``table`` with type and date precision dictionary-encoded (categoricals, as pandas writes them)."""
    for column in ("type", "date_precision"):
        index = table.column_names.index(column)
        table = table.set_column(index, column, pc.dictionary_encode(table[column]))
    return table


@pytest.mark.parametrize("coded", [False, True])
def test_fine_columns_are_the_checkers(table: pa.Table, coded: bool) -> None:
    given = _coded(table) if coded else table
    quick, checked = slim_columns(given), _checker(given)
    assert quick is not None
    for column in SLIM:
        values = quick[column].to_numpy()
        assert np.array_equal(values, np.asarray(checked[column])), column
    for column in ("date_start", "date_end"):
        assert (
            quick[column].type == pa.timestamp("s") and np.asarray(checked[column]).dtype == "datetime64[s]"
        )


BAD = [
    ("id", None),
    ("id", "Not A Slug"),
    ("id", "trailing-newline\n"),
    ("id", "x" * 129),
    ("type", "picnic"),
    ("type", None),
    ("date_precision", "fortnight"),
    ("date_start", None),
    ("date_start", dt.datetime(2031, 1, 1)),  # after its end
    ("date_end", dt.datetime(1, 1, 1)),  # before its start
    ("lat", float("nan")),
    ("lat", 90.5),
    ("lon", -180.01),
    ("lon", None),
]


@pytest.mark.parametrize(("column", "value"), BAD)
def test_a_bad_value_is_never_passed(table: pa.Table, column: str, value: Any) -> None:
    spoiled = _with(table, column, 7, value)
    assert slim_columns(spoiled) is None and slim_columns(_coded(spoiled)) is None
    with pytest.raises(CatalogError):
        _checker(spoiled)


#: A millisecond before the year 1; the first of the year 10000.
OUTSIDE = [("date_start", -62_135_596_800_001), ("date_end", 253_402_300_800_000)]


@pytest.mark.parametrize(("column", "moment"), OUTSIDE)
def test_years_out_of_range_are_never_passed(table: pa.Table, column: str, moment: int) -> None:
    values = pc.cast(table[column], pa.timestamp("ms")).to_numpy().astype(np.int64)
    values[3] = moment
    moved = pa.array(values, pa.timestamp("ms"))
    spoiled = table.set_column(table.column_names.index(column), column, moved)
    assert slim_columns(spoiled) is None
    with pytest.raises(CatalogError, match="outside the years 1 to 9999"):
        _checker(spoiled)


def test_ids_twice_are_left_to_the_caller(table: pa.Table) -> None:
    twice = _with(table, "id", 7, table["id"][8].as_py())
    assert slim_columns(twice) is not None  # slim_frame looks across all the files it reads


def test_columns_of_other_types_go_to_the_checker(table: pa.Table) -> None:
    as_text = table.set_column(
        table.column_names.index("date_start"),
        "date_start",
        pa.array([d.isoformat()[:10] for d in table["date_start"].to_pylist()]),
    )
    assert slim_columns(as_text) is None
    assert len(_checker(as_text)["date_start"]) == table.num_rows  # fine: the checker reads it
