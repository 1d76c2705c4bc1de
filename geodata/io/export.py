"""Write events as GeoJSON (RFC 7946), CSV, GeoPackage, GeoParquet or a GeoParquet dataset partitioned
by month (:mod:`geodata.io.dataset`)."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geodata.coords import geojson_position
from geodata.errors import ExportError, FileError
from geodata.io.acled import acled_csv_bytes
from geodata.io.csvcells import ESCAPE_PATTERN, escape_cell
from geodata.io.safefile import replacing
from geodata.records import JSON_FIELDS, RECORD_FIELDS

FORMATS = ("geojson", "csv", "acled", "gpkg", "parquet", "parquet-dataset")
SUFFIXES = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".csv": "csv",
    ".gpkg": "gpkg",
    ".parquet": "parquet",
    ".geoparquet": "parquet",
}


def format_for(path: str | os.PathLike[str], fmt: str | None = None) -> str:
    """The export format: ``fmt`` if given, else inferred from the file suffix."""
    if fmt:
        if fmt not in FORMATS:
            raise ExportError(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")
        return fmt
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise ExportError(
            f"cannot tell the format of {str(path)!r} from its suffix {suffix!r}; "
            f"use --format ({', '.join(FORMATS)})"
        )
    return SUFFIXES[suffix]


def _plain(value: Any) -> Any:
    """A JSON-ready value: ISO dates, lists for arrays, ``None`` for missing numbers."""
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return None if pd.isna(value) else value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NaT or value is pd.NA:
        return None
    return value


def to_geojson(gdf: gpd.GeoDataFrame) -> dict[str, Any]:
    """An RFC 7946 FeatureCollection: ``[lon, lat]`` points, a top-level ``id``, no ``crs``."""
    features = []
    columns = [c for c in RECORD_FIELDS if c in gdf.columns]
    for row in gdf[columns].itertuples(index=False, name=None):
        props = {name: _plain(value) for name, value in zip(columns, row, strict=True)}
        lat, lon = props.get("lat"), props.get("lon")
        geometry = None
        if lat is not None and lon is not None:
            geometry = {"type": "Point", "coordinates": geojson_position(lat, lon)}
        features.append({"type": "Feature", "id": props["id"], "geometry": geometry, "properties": props})
    return {"type": "FeatureCollection", "features": features}


def geojson_bytes(gdf: gpd.GeoDataFrame) -> bytes:
    """GeoJSON text of the events, UTF-8 encoded."""
    return json.dumps(to_geojson(gdf), ensure_ascii=False, indent=1).encode("utf-8")


def _flat_frame(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    """Columns with JSON-encoded lists and ISO dates, for formats without list types."""
    columns = [c for c in RECORD_FIELDS if c in gdf.columns]
    flat = pd.DataFrame({c: [_plain(v) for v in gdf[c]] for c in columns}, index=range(len(gdf)))
    for column in JSON_FIELDS:
        if column in flat:
            empty: list[object] | None = None if column == "provenance" else []
            flat[column] = [
                None
                if v is None and empty is None
                else json.dumps(v if v is not None else empty, ensure_ascii=False)
                for v in flat[column]
            ]
    return flat


def csv_bytes(gdf: gpd.GeoDataFrame) -> bytes:
    """CSV of the events (RFC 4180): one row each, lists as JSON arrays, dates as ISO strings.

    Every text cell that a spreadsheet would run as a formula is quoted with a leading ``'``
    (see :mod:`geodata.io.csvcells`); geodata's CSV reader takes the quote off again.
    """
    flat = _flat_frame(gdf)
    for column in flat.columns:
        flat[column] = _escaped(flat[column])
    # CRLF line ends (RFC 4180): the csv writer then quotes a cell holding a lone CR too, which a
    # reader would otherwise take for the end of the row.
    return flat.to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def _escaped(column: pd.Series) -> pd.Series:
    """``column`` with :func:`escape_cell` applied to its text cells (vectorised: only the cells
    whose first characters may need it are passed to it)."""
    if not (pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column)):
        return column
    texts = column.map(lambda v: v if isinstance(v, str) else None) if column.dtype == object else column
    candidates = texts.astype("str").str.match(ESCAPE_PATTERN).fillna(False).to_numpy(dtype=bool)
    if not candidates.any():
        return column
    out = column.astype(object).copy()
    out[candidates] = [escape_cell(v) for v in out[candidates]]
    return out


def _write_gpkg(gdf: gpd.GeoDataFrame, path: Path) -> None:
    flat = gpd.GeoDataFrame(_flat_frame(gdf), geometry=list(gdf.geometry), crs=gdf.crs)
    flat.to_file(path, driver="GPKG", layer="events", engine="pyogrio")


def parquet_frame(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The frame GeoParquet is written from: lists stay lists; nested objects (references,
    provenance) are JSON text."""
    columns = [c for c in RECORD_FIELDS if c in gdf.columns]
    out = gpd.GeoDataFrame(gdf[columns].copy(), geometry=gdf.geometry.values, crs=gdf.crs)
    for column in ("references", "provenance"):
        if column in out:
            out[column] = [
                None
                if v is None or (isinstance(v, float) and math.isnan(v))
                else json.dumps(_plain(v), ensure_ascii=False)
                for v in out[column]
            ]
    for column in ("actors", "tags"):
        out[column] = [list(v) if isinstance(v, (list, tuple, np.ndarray)) else [] for v in out[column]]
    return out.reset_index(drop=True)


def _write_parquet(gdf: gpd.GeoDataFrame, path: Path) -> None:
    parquet_frame(gdf).to_parquet(path, index=False)


def export_events(gdf: gpd.GeoDataFrame, path: str | os.PathLike[str], *, fmt: str | None = None) -> Path:
    """Write the events to ``path`` in ``fmt`` (or the format its suffix names), atomically."""
    target = Path(path)
    kind = format_for(target, fmt)
    if kind == "parquet-dataset":
        from geodata.io.dataset import write_dataset

        return write_dataset(gdf, target)
    writers: dict[str, Callable[[Path], object]] = {
        "geojson": lambda p: p.write_bytes(geojson_bytes(gdf)),
        "csv": lambda p: p.write_bytes(csv_bytes(gdf)),
        "acled": lambda p: p.write_bytes(acled_csv_bytes(gdf)),
        "gpkg": lambda p: _write_gpkg(gdf, p),
        "parquet": lambda p: _write_parquet(gdf, p),
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with replacing(target) as staged:
            writers[kind](staged)
    except FileError:
        raise
    except OSError as err:
        raise ExportError(f"cannot write {str(target)!r}: {err}") from err
    return target
