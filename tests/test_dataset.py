"""Partitioned GeoParquet datasets: written and read back equal to the single file, filtered reads
push down to the files, hostile directories are problems naming the file."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from benchmarks.synth import synthetic_frame
from geodata import cli
from geodata.errors import CatalogError, ExportError
from geodata.frame import filter_mask, load_frame, public_columns
from geodata.geocoding import OfflineGeocoder
from geodata.io import dataset
from geodata.io.dataset import Window, dataset_files, read_dataset_frame, write_dataset
from geodata.io.dataset_summary import dataset_summary
from geodata.io.export import export_events
from geodata.io.readers import read_parquet_frame
from geodata.settings import DEFAULTS


@pytest.fixture(scope="module")
def synth() -> Any:
    """Three thousand events over two years: 24 month partitions."""
    return synthetic_frame(3_000, seed=3)


@pytest.fixture(scope="module")
def written(synth: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_dataset(synth, tmp_path_factory.mktemp("ds") / "events")


def _sorted(gdf: Any) -> pd.DataFrame:
    return pd.DataFrame(public_columns(gdf)).sort_index()


def test_the_dataset_reads_back_equal_to_the_single_file(synth: Any, written: Path, tmp_path: Path) -> None:
    single = read_parquet_frame(export_events(synth, tmp_path / "one.parquet"))
    pd.testing.assert_frame_equal(_sorted(read_dataset_frame(written)), _sorted(single))
    # and back: a single file written from the dataset reads as the first one did
    again = read_parquet_frame(export_events(read_dataset_frame(written), tmp_path / "again.parquet"))
    pd.testing.assert_frame_equal(_sorted(again), _sorted(single))


def test_the_bundled_catalogue_round_trips_through_the_cli(geocoder: OfflineGeocoder, tmp_path: Path) -> None:
    out = io.StringIO()
    assert cli.main(["export", "-o", str(tmp_path / "ds"), "--format", "parquet-dataset"], out=out) == 0
    assert cli.main(["export", str(tmp_path / "ds"), "-o", str(tmp_path / "back.parquet")], out=out) == 0
    bundled = load_frame(DEFAULTS.default_catalogue, geocoder=geocoder)
    back = read_parquet_frame(tmp_path / "back.parquet")
    assert sorted(back.index) == sorted(bundled.index)
    for column in ("title", "type", "date_start", "date_end", "lat", "lon", "source_quote"):
        assert list(back.loc[bundled.index, column]) == list(bundled[column]), column
    assert "14 events" in out.getvalue() or f"{len(bundled)} events" in out.getvalue()


def test_each_file_is_geoparquet_of_its_month(written: Path) -> None:
    files = sorted(written.glob("month=*/part-0.parquet"))
    assert len(files) == 24 and files[0].parent.name == "month=2019-01"
    for path in (files[0], files[-1]):
        geo = json.loads(pq.read_schema(path).metadata[b"geo"])
        assert geo["primary_column"] == "geometry"
        part = gpd.read_parquet(path)
        assert part.crs.to_epsg() == 4326
        assert (part["date_start"].dt.strftime("%Y-%m") == path.parent.name.removeprefix("month=")).all()
        west, south, east, north = geo["columns"]["geometry"]["bbox"]
        assert (west, south, east, north) == pytest.approx(tuple(part.total_bounds))


@pytest.mark.parametrize(
    "window",
    [
        Window(dt.date(2019, 3, 10), dt.date(2019, 4, 20), ("attack", "statement")),
        Window(end=dt.date(2019, 2, 1)),
        Window(start=dt.date(2020, 11, 1)),
        Window(types=("warning",)),
    ],
)
def test_a_filtered_read_is_exactly_the_filtered_rows(synth: Any, written: Path, window: Window) -> None:
    mask = filter_mask(synth, types=window.types, start=window.start, end=window.end)
    read = read_dataset_frame(written, window)
    assert sorted(read.index) == sorted(synth.index[mask])
    assert 0 < len(read) < len(synth)


def test_a_window_reads_only_the_files_it_needs(written: Path) -> None:
    assert len(dataset_files(written)) == 24
    # months after the end are not opened; months long before the start are skipped by statistics
    touched = dataset_files(written, Window(dt.date(2019, 6, 1), dt.date(2019, 6, 30)))
    months = sorted(p.parent.name for p in touched)
    assert months[-1] == "month=2019-06" and len(months) <= 3, months
    assert len(dataset_files(written, Window(start=dt.date(2020, 12, 1)))) <= 3


def test_the_summary_comes_from_the_footers(synth: Any, written: Path) -> None:
    summary = dataset_summary(written)
    assert summary.total == len(synth)
    assert summary.span == (synth["date_start"].min().date(), synth["date_end"].max().date())
    assert summary.actors == tuple(sorted({a for items in synth["actors"] for a in items}))


def _copy(written: Path, tmp_path: Path) -> Path:
    import shutil

    return Path(shutil.copytree(written, tmp_path / "copy"))


def _problem(path: Path, *, summary: bool = False) -> str:
    with pytest.raises(CatalogError) as caught:
        dataset_summary(path) if summary else read_dataset_frame(path)
    return "\n".join(p.format() for p in caught.value.problems)


def test_a_bad_file_is_a_problem_naming_it(written: Path, tmp_path: Path) -> None:
    copy = _copy(written, tmp_path)
    bad = copy / "month=2019-05" / "part-0.parquet"
    bad.write_bytes(b"PAR1 not really")
    for summary in (False, True):
        message = _problem(copy, summary=summary)
        assert str(bad) in message and "not a Parquet file" in message
    err = io.StringIO()
    assert cli.main(["validate", str(copy)], out=io.StringIO(), err=err) == cli.EXIT_PROBLEM
    assert str(bad) in err.getvalue() and "Traceback" not in err.getvalue()


def test_a_file_without_geo_metadata_is_a_problem_naming_it(written: Path, tmp_path: Path) -> None:
    copy = _copy(written, tmp_path)
    plain = copy / "month=2019-07" / "part-0.parquet"
    pq.write_table(pq.read_table(plain).replace_schema_metadata({}), plain)
    message = _problem(copy)
    assert str(plain) in message and "no 'geo' metadata" in message


def test_a_huge_row_group_is_refused_naming_its_file(
    written: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = _copy(written, tmp_path)
    big = copy / "month=2019-08" / "part-0.parquet"
    table = pq.read_table(big)
    pq.write_table(pa.concat_tables([table] * 20), big)  # one row group, far larger than the others
    size = pq.ParquetFile(big).metadata.row_group(0).total_byte_size
    others = [pq.ParquetFile(f).metadata.row_group(0).total_byte_size for f in copy.glob("*/*") if f != big]
    assert max(others) < size
    monkeypatch.setattr(dataset, "DEFAULTS", dataclasses.replace(DEFAULTS, max_row_group_bytes=max(others)))
    message = _problem(copy)
    assert str(big) in message and f"holds {size:,} bytes" in message


def test_bad_columns_name_the_file_and_the_event(written: Path, tmp_path: Path) -> None:
    copy = _copy(written, tmp_path)
    path = copy / "month=2019-09" / "part-0.parquet"
    part = gpd.read_parquet(path)
    part.loc[part.index[0], "type"] = "picnic"
    part.to_parquet(path, index=False)
    message = _problem(copy)
    assert f"{path}:1: event {part['id'].iloc[0]!r}, field 'type': unknown type 'picnic'" in message


def test_an_id_in_two_files_is_a_problem(written: Path, tmp_path: Path) -> None:
    copy = _copy(written, tmp_path)
    (copy / "month=2019-10" / "part-1.parquet").write_bytes(
        (copy / "month=2019-10" / "part-0.parquet").read_bytes()
    )
    assert "duplicate id in two files" in _problem(copy)


def test_an_empty_or_missing_directory_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert "holds no GeoParquet files" in _problem(tmp_path / "empty")
    assert "not a directory" in _problem(tmp_path / "gone")


def test_export_replaces_a_dataset_but_never_another_directory(synth: Any, tmp_path: Path) -> None:
    target = write_dataset(synth.iloc[:10], tmp_path / "ds")
    write_dataset(synth.iloc[10:20], target)
    assert sorted(read_dataset_frame(target).index) == sorted(synth.index[10:20])
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    with pytest.raises(ExportError, match=r"holds 'notes\.txt'"):
        write_dataset(synth, tmp_path / "mine")
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep me"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # nothing staged is left
