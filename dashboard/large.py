"""Large catalogues on the map page: a GeoParquet file of many events, or a partitioned GeoParquet
dataset, read slim (the columns filtering, the grid and the histogram need: geodata.io.slim),
with every column read only for the rows shown, and the search columns only when a text or actor
filter first needs them.

A file's slim frame is cached per file and time of change; a dataset's per window and state of
its files. The files a frame was read from travel with it (``attrs["paths"]``), so any slice of
it can be read whole.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import streamlit as st

from dashboard import data
from dashboard.source import Shown
from geodata.frame import ACTOR_COLUMNS, LARGE_FRAME, SEARCH_FIELDS, actor_keys, defer_helpers, search_text
from geodata.io.dataset import Window, dataset_files
from geodata.io.dataset_summary import Summary, dataset_summary
from geodata.io.readers import PARQUET_SUFFIXES
from geodata.io.slim import FILE, ROW, actor_list, columns_of, full_rows, slim_frame

#: Rows read whole at once and kept (a page of the table, the markers in view); more (a download)
#: are read each time.
KEPT_ROWS = 5_000
#: A dataset's windows kept read (their slim frames).
WINDOWS_KEPT = 3


def is_large_file(path: Path) -> bool:
    """A GeoParquet file of more events than a frame holds whole with its search columns."""
    if path.suffix.lower() not in PARQUET_SUFFIXES:
        return False
    import pyarrow.parquet as pq

    try:
        return bool(pq.ParquetFile(path).metadata.num_rows > LARGE_FRAME)
    except (OSError, pa.ArrowException):
        return False  # the whole-file reader says what is wrong with it


def slim_file(path: Path) -> Shown:
    """A large GeoParquet file: all its events, slim."""
    stamp = path.stat().st_mtime
    gdf = _slim_file(str(path), stamp)
    return Shown(
        len(gdf),
        data.catalogue_span(gdf),
        gdf.attrs["actor_list"],
        lambda window: gdf,
        full=lambda rows: _full(rows, stamp),
    )


def partitioned(path: Path) -> Shown:
    """A partitioned GeoParquet dataset: its summary from the footers, each window read with
    pushdown."""
    stamp = data.stamp(path)
    summary = _summary(str(path), stamp)
    today = dt.date.today()
    span = summary.span or (today, today)

    def rows(window: Window) -> pd.DataFrame:
        return _window(str(path), stamp, covering(str(path), stamp, unbounded(window, span)))

    return Shown(summary.total, span, list(summary.actors), rows, full=lambda rows: _full(rows, stamp))


def unbounded(window: Window, span: tuple[dt.date, dt.date]) -> Window:
    """``window`` without the bounds that every event of a dataset spanning ``span`` (its first
    start, its last end) is within: the whole span is read without a row filter."""
    start = None if window.start is not None and window.start <= span[0] else window.start
    end = None if window.end is not None and window.end >= span[1] else window.end
    return Window(start, end, window.types)


#: The windows of each dataset (by path and state of its files) read last, newest last; as many
#: as :func:`_window` keeps.
_READ: dict[tuple[str, float], list[Window]] = {}
_READ_LOCK = threading.Lock()


def covering(path: str, stamp: float, window: Window) -> Window:
    """A window read lately that holds ``window`` (the page's masks filter its frame: a filter
    change inside the first map's window reads nothing), else ``window`` itself."""
    with _READ_LOCK:
        for old in [key for key in _READ if key[0] == path and key[1] != stamp]:
            del _READ[old]  # the files changed: their frames are read again
        read = _READ.setdefault((path, stamp), [])
        wider = next((w for w in reversed(read) if inside(window, w)), None)
        if wider is not None:
            return wider
        read.append(window)
        del read[:-WINDOWS_KEPT]
        return window


def inside(window: Window, wider: Window) -> bool:
    """Every event of ``window`` is one of ``wider``'s."""
    starts = wider.start is None or (window.start is not None and window.start >= wider.start)
    ends = wider.end is None or (window.end is not None and window.end <= wider.end)
    kinds = wider.types is None or (window.types is not None and set(window.types) <= set(wider.types))
    return starts and ends and kinds


@st.cache_resource(show_spinner="Reading the catalogue…", max_entries=2)
def _slim_file(path: str, stamp: float) -> pd.DataFrame:
    gdf = _prepared(slim_frame([path]), (path,))
    gdf.attrs["actor_list"] = actor_list([path])
    return gdf


@st.cache_resource(show_spinner="Reading the dataset's footers…", max_entries=2)
def _summary(path: str, stamp: float) -> Summary:
    return dataset_summary(path)


@st.cache_resource(show_spinner="Reading the catalogue…", max_entries=WINDOWS_KEPT)
def _window(path: str, stamp: float, window: Window) -> pd.DataFrame:
    files = tuple(str(p) for p in dataset_files(path, window))
    return _prepared(slim_frame(files, window), files)


def _prepared(gdf: pd.DataFrame, paths: tuple[str, ...]) -> pd.DataFrame:
    """The slim frame, with the files it was read from and how to make its search columns."""
    gdf.attrs["paths"] = paths

    def search(rows: pd.DataFrame) -> pd.Series:
        return search_text(columns_of(paths, rows, [*SEARCH_FIELDS, "actors"]))

    def actors(rows: pd.DataFrame) -> pd.Series:
        return actor_keys(columns_of(paths, rows, list(ACTOR_COLUMNS)))

    defer_helpers(gdf, search=search, actors=actors)
    return gdf


def _full(rows: pd.DataFrame, stamp: float) -> gpd.GeoDataFrame:
    paths = rows.attrs["paths"]
    if len(rows) > KEPT_ROWS:
        return full_rows(paths, rows)
    key = tuple(zip(rows[FILE].tolist(), rows[ROW].tolist(), strict=True))
    return _kept_rows(paths, stamp, key, rows)


@st.cache_resource(show_spinner=False, max_entries=16)
def _kept_rows(
    paths: tuple[str, ...], stamp: float, key: tuple[tuple[int, int], ...], _rows: pd.DataFrame
) -> gpd.GeoDataFrame:
    return full_rows(paths, _rows)
