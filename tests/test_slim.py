"""Slim reads of large GeoParquet catalogues (geodata.io.slim): the rows read back whole, their
search columns and their problems are those of reading the file whole."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from benchmarks.synth import synthetic_frame
from geodata.errors import CatalogError
from geodata.frame import SEARCH_FIELDS, actor_names, load_frame, public_columns, search_text
from geodata.geocoding import OfflineGeocoder
from geodata.io import slim
from geodata.io.dataset import Window, dataset_files, read_dataset_frame, write_dataset
from geodata.io.export import export_events
from geodata.io.readers import read_parquet_frame
from geodata.io.slim import FILE, ROW, SLIM, actor_list, columns_of, full_rows, slim_frame
from geodata.settings import DEFAULTS


@pytest.fixture(scope="module")
def bundled(geocoder: OfflineGeocoder) -> Any:
    return load_frame(DEFAULTS.default_catalogue, geocoder=geocoder)


def _grouped(path: Path, rows: int) -> Path:
    """``path`` written again in row groups of ``rows`` (its "geo" metadata kept)."""
    pq.write_table(pq.read_table(path), path, row_group_size=rows)
    return path


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """1,200 synthetic events in one file of 100-row groups."""
    folder = tmp_path_factory.mktemp("slim")
    return _grouped(export_events(synthetic_frame(1_200, seed=9), folder / "synth.parquet"), 100)


def _same(left: Any, right: Any) -> None:
    """Equal public columns, values and order (categories compared as their values)."""
    pd.testing.assert_frame_equal(
        pd.DataFrame(public_columns(left)),
        pd.DataFrame(public_columns(right)),
        check_dtype=False,
        check_categorical=False,
    )


@pytest.mark.parametrize("source", ["bundled", "synthetic"])
def test_rows_read_whole_equal_the_file_read_whole(
    source: str, bundled: Any, synthetic: Path, tmp_path: Path
) -> None:
    path = synthetic if source == "synthetic" else export_events(bundled, tmp_path / "events.parquet")
    whole = read_parquet_frame(path)
    slim = slim_frame([path])
    assert list(slim.index) == list(whole.index)
    for column in SLIM:
        assert list(slim[column].astype(object)) == list(whole[column].astype(object)), column
    assert list(slim["type_label"].astype(object)) == list(whole["type_label"].astype(object))
    rng = np.random.default_rng(4)
    for picked in (np.arange(len(slim)), rng.permutation(len(slim))[:7], np.array([len(slim) - 1, 0])):
        rows = slim.iloc[picked]
        _same(full_rows([path], rows), whole.iloc[picked])
    searched = columns_of([path], slim, ["title", "summary", "source_quote", "place_name", "actors"])
    searched = searched.assign(
        place_canonical=whole["place_canonical"], source_publisher=whole["source_publisher"]
    )
    assert list(search_text(searched)) == list(search_text(whole))
    assert actor_list([path]) == actor_names(whole)


def test_a_dataset_window_read_slim_equals_its_read_whole(synthetic: Path, tmp_path: Path) -> None:
    folder = write_dataset(read_parquet_frame(synthetic), tmp_path / "events")
    window = Window(dt.date(2019, 3, 1), dt.date(2019, 6, 15), ("attack", "warning"))
    whole = read_dataset_frame(folder, window)
    files = dataset_files(folder, window)
    slim = slim_frame(files, window)
    assert 0 < len(slim) == len(whole) and list(slim.index) == list(whole.index)
    assert set(slim[FILE]) == set(range(len(files)))
    _same(full_rows(files, slim), whole)
    picked = np.array([len(slim) - 1, 3, 0, len(slim) // 2])
    _same(full_rows(files, slim.iloc[picked]), whole.iloc[picked])


@pytest.mark.parametrize("batch", [8_192, 7, 100])
def test_rows_of_several_row_groups_are_taken_by_their_file_row(
    synthetic: Path, batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(slim, "BATCH_ROWS", batch)  # batches across, within and at row groups
    slim_rows = slim_frame([synthetic])
    assert pq.ParquetFile(synthetic).metadata.num_row_groups == 12
    assert list(slim_rows[ROW]) == list(range(len(slim_rows)))
    whole = read_parquet_frame(synthetic)
    for picked in ([1_150, 99, 100, 101, 5], [0, 6, 7, 13, 14, 1_199], list(range(93, 215))):
        _same(full_rows([synthetic], slim_rows.iloc[picked]), whole.iloc[picked])


def _spoiled(path: Path, row: int, column: str, value: Any, *, to: Path | None = None) -> Path:
    """``path`` (or a copy ``to``) with ``value`` in ``column`` at ``row``, in 100-row groups."""
    table = pq.read_table(path)
    values = table[column].to_pylist()
    values[row] = value
    table = table.set_column(table.column_names.index(column), column, pa.array(values, table[column].type))
    pq.write_table(table, to or path, row_group_size=100)
    return to or path


def test_a_bad_value_outside_the_slim_columns_is_reported_when_its_rows_are_read(
    synthetic: Path, tmp_path: Path
) -> None:
    path = _spoiled(synthetic, 250, "title", "  ", to=tmp_path / "bad.parquet")
    slim = slim_frame([path])  # the slim columns are fine
    assert len(full_rows([path], slim.iloc[:200])) == 200  # and so are the rows without the bad title
    with pytest.raises(CatalogError) as caught:
        full_rows([path], slim.iloc[[5, 250]])
    assert f"{path}:251: event {slim.index[250]!r}, field 'title': the title is missing" in str(caught.value)


def test_a_bad_slim_value_is_reported_with_its_file_row(synthetic: Path, tmp_path: Path) -> None:
    path = _spoiled(synthetic, 420, "type", "picnic", to=tmp_path / "bad.parquet")
    with pytest.raises(CatalogError, match=rf"{path}:421: .*field 'type': unknown type 'picnic'"):
        slim_frame([path])
    whole = read_parquet_frame(synthetic)
    after = whole["date_end"].iloc[420] + pd.Timedelta(days=1)
    window = Window(after.date(), None)  # a window the bad row is not in: its row group may be read
    expected = whole[whole["date_end"] >= after]
    assert list(slim_frame([path], window).index) == list(expected.index)


def test_hostile_files_are_catalog_errors_naming_the_file(synthetic: Path, tmp_path: Path) -> None:
    junk = tmp_path / "junk.parquet"
    junk.write_bytes(b"not parquet")
    with pytest.raises(CatalogError, match=f"{junk}: not a Parquet file"):
        slim_frame([junk])
    plain = tmp_path / "plain.parquet"
    pq.write_table(pq.read_table(synthetic).replace_schema_metadata(None), plain)
    with pytest.raises(CatalogError, match=f"{plain}: not a GeoParquet file"):
        slim_frame([plain])
    changed = tmp_path / "changed.parquet"
    pq.write_table(pq.read_table(synthetic), changed)
    rows = slim_frame([changed]).iloc[:3]
    changed.write_bytes(b"changed under the reader")
    with pytest.raises(CatalogError, match=f"{changed}: cannot read its rows"):
        full_rows([changed], rows)
    with pytest.raises(CatalogError, match=f"{changed}: cannot read its rows"):
        columns_of([changed], rows, ["title"])


def test_an_id_twice_is_reported_with_both_places(synthetic: Path, tmp_path: Path) -> None:
    folder = write_dataset(read_parquet_frame(synthetic), tmp_path / "events")
    files = dataset_files(folder)
    twice = pq.read_table(files[1])["id"][0].as_py()
    _spoiled(files[0], 0, "id", twice)
    with pytest.raises(CatalogError) as caught:
        slim_frame(files)
    assert str(caught.value).endswith(
        f"{files[1]}:1: event '{twice}', field 'id': duplicate id (also at {files[0]}:1); "
        "give each event its own id"
    )
    again = pq.read_table(synthetic)["id"][3].as_py()
    one = _spoiled(synthetic, 700, "id", again, to=tmp_path / "twice.parquet")
    with pytest.raises(CatalogError, match=rf"{one}:701: event '{again}', .*\(also at {one}:4\)"):
        slim_frame([one])


#: Ids alike but for a character, their length, or a word boundary (8 bytes).
TRICKY = ["a", "a-", "a.", "a_", "a0", "abcdefgh", "abcdefghi", "abcdefgh0", "x" * 16, "x" * 17, "x" * 128]


@pytest.mark.parametrize("kind", [pa.large_string(), pa.string()])
def test_fingerprints_are_equal_for_equal_ids_and_differ_for_these(kind: pa.DataType) -> None:
    ids = pa.chunked_array([pa.array(TRICKY[:4], kind), pa.array(TRICKY[4:] + TRICKY[:2], kind)])
    prints = slim.fingerprints(ids)
    assert len(set(prints[: len(TRICKY)].tolist())) == len(TRICKY)
    assert list(prints[len(TRICKY) :]) == list(prints[:2])  # the same ids again, in another chunk
    fresh = pa.chunked_array([pa.array(TRICKY[1:4], kind)])
    assert list(slim.fingerprints(ids[1:4])) == list(slim.fingerprints(fresh))  # a slice: offset data
    assert len(slim.fingerprints(pa.chunked_array([], kind))) == 0


def test_ids_sharing_a_fingerprint_are_compared_themselves(
    synthetic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(slim, "_folded", lambda ids, width: np.zeros(len(ids), np.uint64))
    assert len(slim_frame([synthetic])) == 1_200  # every print alike, every id different
    again = pq.read_table(synthetic)["id"][3].as_py()
    twice = _spoiled(synthetic, 9, "id", again, to=tmp_path / "twice.parquet")
    with pytest.raises(CatalogError, match=rf"{twice}:10: event '{again}', .*\(also at {twice}:4\)"):
        slim_frame([twice])


def test_search_columns_a_file_lacks_are_empty(synthetic: Path, tmp_path: Path) -> None:
    """Optional columns (summary, quote, publisher) left out of a file: the text search finds
    what the file read whole finds."""
    path = tmp_path / "fewer.parquet"
    pq.write_table(
        pq.read_table(synthetic).drop_columns(["summary", "source_quote", "source_publisher"]), path
    )
    whole, slim_rows = read_parquet_frame(path), slim_frame([path])
    searched = columns_of([path], slim_rows, [*SEARCH_FIELDS, "actors"])
    assert list(searched.columns) == [*SEARCH_FIELDS, "actors"] and searched["summary"].isna().all()
    assert list(search_text(searched)) == list(search_text(whole))
