"""What the dashboard reads: where the catalogue is (a store, or a file), catalogue files, the
offline basemap.

The only dashboard module that reads the command line or the environment.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import math
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geodata.errors import FileError
from geodata.frame import actor_names, events_frame, frame_from_columns
from geodata.geocoding import OfflineGeocoder
from geodata.io.feature_columns import exported_columns
from geodata.io.readers import (
    GEOJSON_SUFFIXES,
    PARQUET_SUFFIXES,
    YAML_SUFFIXES,
    parse_events_bytes,
    read_events_file,
    read_parquet_frame,
)
from geodata.io.safefile import read_capped
from geodata.settings import DEFAULTS

ENV_EVENTS = "GEODATA_EVENTS"
ENV_STORE = "GEODATA_STORE"
ENV_TILES = "GEODATA_TILES"


@dataclass(frozen=True)
class Where:
    """Where the map's events are: a store (``store`` is its URL), else the file ``path`` read
    as it is. With a store, ``path`` is the catalogue that fills it on first start, if any."""

    store: str | None
    path: Path | None

    @property
    def label(self) -> str:
        """How the count line names it."""
        if self.store is None:
            name = self.path.name if self.path is not None else "?"
            return f"{name} (a read-only file view)"
        from geodata.store.seed import default_store_url

        if self.path is not None and self.store == default_store_url(self.path):
            return f"{self.path.name}, in the store {DEFAULT_DB} beside it"
        return f"the store {self.shown}"

    @property
    def shown(self) -> str:
        """The store's URL without its password."""
        from sqlalchemy.engine import make_url

        try:
            return make_url(self.store or "").render_as_string(hide_password=True)
        except Exception:  # not a URL SQLAlchemy reads: opening it fails and says so
            return self.store or ""


#: The store's file name beside a catalogue (as ``geodata.store.default_store_url`` names it).
DEFAULT_DB = "geodata.db"


def _arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--events")
    parser.add_argument("--store")
    parser.add_argument("--tiles")
    known, _ = parser.parse_known_args(list(argv))
    return known


def events_path(argv: Sequence[str], environ: Mapping[str, str]) -> Path:
    """The catalogue file: ``-- --events PATH``, else ``$GEODATA_EVENTS``, else events.yaml."""
    return Path(_arguments(argv).events or environ.get(ENV_EVENTS) or DEFAULTS.default_catalogue)


def where(argv: Sequence[str], environ: Mapping[str, str]) -> Where:
    """Where the map reads: ``-- --store URL`` or ``$GEODATA_STORE`` (filled from ``--events``
    when that is a YAML catalogue); else, for a YAML catalogue, ``geodata.db`` beside it (filled
    from it on first start); else the GeoJSON, CSV or GeoParquet file itself, read-only (a large
    GeoParquet file is never copied into a database on start)."""
    known = _arguments(argv)
    named = known.events or environ.get(ENV_EVENTS)
    path = Path(named or DEFAULTS.default_catalogue)
    yaml = path.suffix.lower() in YAML_SUFFIXES
    store = known.store or environ.get(ENV_STORE)
    if store:
        return Where(store, path if named and yaml else None)
    if yaml:
        from geodata.store.seed import default_store_url  # a file view does not load the store

        return Where(default_store_url(path), path)
    return Where(None, path)


def tiles_path(argv: Sequence[str], environ: Mapping[str, str]) -> Path | None:
    """The user's own tile file: ``-- --tiles PATH``, else ``$GEODATA_TILES``, else none."""
    named = _arguments(argv).tiles or environ.get(ENV_TILES)
    return Path(named) if named else None


def current_tiles() -> Path | None:
    import sys

    return tiles_path(sys.argv[1:], os.environ)


def current_where() -> Where:
    import sys

    return where(sys.argv[1:], os.environ)


def load_events_file(path: Path, geocoder: Callable[[], OfflineGeocoder]) -> gpd.GeoDataFrame:
    """A validated, located catalogue file as a GeoDataFrame.

    GeoParquet is read column-wise and carries its coordinates, so it needs no gazetteer
    (``geocoder`` is only called for the other formats).
    """
    if path.suffix.lower() in PARQUET_SUFFIXES:
        return read_parquet_frame(path)
    if path.suffix.lower() in GEOJSON_SUFFIXES:
        try:
            content = read_capped(path, limit=DEFAULTS.max_catalogue_bytes, what="catalogue")
        except FileError:
            content = None  # the reader below says what is wrong with it
        if content is not None:
            return load_uploaded(content, str(path), geocoder)
    located_by = geocoder()
    return events_frame(read_events_file(path, geocoder=located_by).events, located_by)


def stamp(path: Path) -> float:
    """When the catalogue last changed: a file's time of change, or the latest of a directory's
    files (a directory's own time changes only when its top-level entries do)."""
    if not path.is_dir():
        return path.stat().st_mtime
    latest = path.stat().st_mtime
    for folder, _, files in os.walk(path):
        for name in files:
            with contextlib.suppress(OSError):  # a file removed while we look
                latest = max(latest, os.stat(os.path.join(folder, name)).st_mtime)
    return latest


def rows(
    gdf: gpd.GeoDataFrame, mask: Any, *, full: Callable[[gpd.GeoDataFrame], gpd.GeoDataFrame] = lambda r: r
) -> pd.DataFrame:
    """The masked rows: all columns when few (markers: ``full`` gives them every column), only
    what a grid needs when many (see :func:`columns_at`)."""
    from dashboard.layers import MARKER_LIMIT

    mask = np.asarray(mask, dtype=bool)
    if int(mask.sum()) <= MARKER_LIMIT:
        return full(gdf[mask])
    return columns_at(gdf, mask, ["lat", "lon", "type"])


def columns_at(gdf: pd.DataFrame, mask: Any, names: Sequence[str]) -> pd.DataFrame:
    """The masked rows of columns ``names``, without the index: at ten million events, copying the
    ids costs more than what the rows are then used for."""
    mask = np.asarray(mask, dtype=bool)
    return pd.DataFrame(
        {
            name: column.array[mask]
            if isinstance(column.dtype, pd.CategoricalDtype)
            else column.to_numpy()[mask]
            for name in names
            for column in [gdf[name]]
        },
        copy=False,
    )


def with_actor_list(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Remember the catalogue's actors (for the filter) once, not on every rerun."""
    gdf.attrs["actor_list"] = actor_names(gdf)
    return gdf


def view_of(state: Any) -> tuple[tuple[float, float, float, float] | None, int]:
    """The (west, south, east, north) box and zoom the map last reported, if any."""
    if not isinstance(state, dict) or not isinstance(state.get("bounds"), dict):
        return None, 5
    try:
        sw, ne = state["bounds"]["_southWest"], state["bounds"]["_northEast"]
        box = (float(sw["lng"]), float(sw["lat"]), float(ne["lng"]), float(ne["lat"]))
        zoom = int(state.get("zoom") or 5)
    except (KeyError, TypeError, ValueError):
        return None, 5
    west, south, east, north = box
    if east - west >= 360:
        west, east = -180.0, 180.0
    return (max(-180.0, min(180.0, west)), south, max(-180.0, min(180.0, east)), north), zoom


Box = tuple[float, float, float, float]
#: The map's pixels assumed before it has reported its view: as wide as a wide screen, as tall
#: as the map is drawn (MAP_HEIGHT) and a little more. A larger map reports its view and gets a
#: layer for it; a larger guess costs the first map more cells to make and draw.
MAP_HEIGHT = 560
#: The latitude where Web Mercator's square world ends.
MERCATOR_LAT = 85.0511287798
SCREEN_PX = (2560, MAP_HEIGHT + 40)


def box_around(centre: tuple[float, float], zoom: int, px: tuple[int, int] = SCREEN_PX) -> Box:
    """The (west, south, east, north) a Web Mercator map centred at ``centre`` (lat, lon) shows at
    ``zoom`` on ``px`` pixels: a map's view before it has reported one, taken large."""
    world = 256 * 2**zoom  # the world's width in pixels at this zoom
    half_lon = px[0] / 2 / world * 360
    middle = max(-MERCATOR_LAT, min(MERCATOR_LAT, centre[0]))  # as Leaflet clamps the centre
    y = (1 - math.log(math.tan(math.pi / 4 + math.radians(middle) / 2)) / math.pi) / 2 * world
    lat = [
        math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * (y + dy) / world))))
        for dy in (px[1] / 2, -px[1] / 2)
    ]
    west, east = centre[1] - half_lon, centre[1] + half_lon
    if east - west >= 360:
        west, east = -180.0, 180.0
    return max(-180.0, west), max(-90.0, lat[0]), min(180.0, east), min(90.0, lat[1])


def contains(outer: Box, inner: Box) -> bool:
    """Whether ``inner`` lies within ``outer`` (neither across the antimeridian)."""
    if outer[0] > outer[2] or inner[0] > inner[2]:
        return False
    return outer[0] <= inner[0] and outer[1] <= inner[1] and outer[2] >= inner[2] and outer[3] >= inner[3]


def load_uploaded(data: bytes, name: str, geocoder: Callable[[], OfflineGeocoder]) -> gpd.GeoDataFrame:
    """An uploaded catalogue (YAML, GeoJSON or CSV) as a GeoDataFrame. A GeoJSON exported by
    geodata is checked column by column and needs no gazetteer; any other file, or one the
    column checks doubt, is read event by event (which names each problem)."""
    if Path(name).suffix.lower() in GEOJSON_SUFFIXES and len(data) <= DEFAULTS.max_catalogue_bytes:
        columns = exported_columns(data, name)
        if columns is not None:
            return frame_from_columns(columns)
    located_by = geocoder()
    return events_frame(parse_events_bytes(data, name=name, geocoder=located_by).events, located_by)


def basemap_countries(tolerance: float = 0.05) -> dict[str, Any]:
    """Natural Earth country outlines, simplified for the browser.

    The outline travels with every rerun, so it is kept small: simplified by ``tolerance``
    degrees and rounded to 0.01° (about 1 km, far below what 1:110m data resolves).
    """
    import shapely

    countries = gpd.read_file(DEFAULTS.countries_file)
    simplified = countries.geometry.simplify(tolerance, preserve_topology=True)
    countries["geometry"] = shapely.set_precision(simplified.values, 0.01)
    doc: dict[str, Any] = json.loads(countries[["name", "geometry"]].to_json(drop_id=True))
    return doc


def catalogue_span(gdf: gpd.GeoDataFrame) -> tuple[dt.date, dt.date]:
    """First and last day any event covers (today when the catalogue is empty)."""
    if gdf.empty:
        today = dt.date.today()
        return today, today
    start = pd.Timestamp(gdf["date_start"].min()).date()
    end = pd.Timestamp(gdf["date_end"].max()).date()
    return start, max(start, end)
