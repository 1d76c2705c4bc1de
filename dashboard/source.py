"""The dashboard's shared objects: the gazetteer, the store, and the events as frames.

A store's frame is cached under the store's URL and its generation (a number that grows with
every change, read on every run at the cost of one small query): a filter change finds it in
the cache, a change from another browser or the command line reads it again. Frames are shared
objects, not copies: at a million events a copy costs seconds, and nothing mutates them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import streamlit as st

from dashboard import data
from dashboard.mapview import OwnTiles
from dashboard.problems import problem_lines, show_problems
from geodata.geocoding import OfflineGeocoder, default_geocoder
from geodata.io.dataset import Window
from geodata.settings import DEFAULTS

if TYPE_CHECKING:
    from geodata.store import Store


@dataclass(frozen=True)
class Shown:
    """What the map page works on: the catalogue's size, first and last day and actors (for the
    filters); its events for a window of days and types (all of them, or for a large catalogue
    only the window's, in the few columns filtering and the map need: see dashboard.large); and
    ``full``, which gives rows of that frame with every column (the rows shown)."""

    total: int
    span: tuple[dt.date, dt.date]
    actors: list[str]
    rows: Callable[[Window], gpd.GeoDataFrame]
    full: Callable[[gpd.GeoDataFrame], gpd.GeoDataFrame] = lambda rows: rows


def in_memory(gdf: gpd.GeoDataFrame) -> Shown:
    """A catalogue held whole: every window gets the whole frame (the page's masks filter it)."""
    return Shown(len(gdf), data.catalogue_span(gdf), gdf.attrs["actor_list"], lambda window: gdf)


def own_tiles() -> OwnTiles | None:
    """The user's own tiles (``--tiles PATH``), served from the dashboard; a file that cannot be
    shown is said above the map, which then goes without it."""
    path = data.current_tiles()
    if path is None:
        return None
    found = _tiles(str(path))
    if isinstance(found, str):
        st.error(found)
        return None
    return found


@st.cache_resource(show_spinner="Writing out your map tiles (once per file)…", max_entries=4)
def _tiles(path: str) -> OwnTiles | str:
    from dashboard.assets import register_tiles
    from geodata.io.tiles import TileError, tile_set

    try:
        tiles = tile_set(path, DEFAULTS.tiles_cache_dir)
    except TileError as err:
        return f"Your map tiles are not shown: {err}"
    return OwnTiles(
        url=register_tiles(tiles.folder, tiles.suffix),
        name=tiles.name,
        attribution=tiles.attribution,
        minzoom=tiles.minzoom,
        maxzoom=tiles.maxzoom,
        bounds=tiles.bounds,
    )


@st.cache_resource(show_spinner="Loading the offline gazetteer…")
def geocoder() -> OfflineGeocoder:
    return default_geocoder()


def open_store(url: str, **options: Any) -> Store:
    """:func:`geodata.store.open_store`, imported only when a store is opened: a file view does
    not load SQLAlchemy and Alembic (half a second of its first map)."""
    from geodata.store import open_store as opened

    return opened(url, **options)


@st.cache_resource(show_spinner="Opening the store…")
def _open(url: str, seed: str | None) -> Store:
    # the gazetteer is loaded only if the store is filled now: a later start does without it
    return open_store(url, seed=Path(seed) if seed else None, geocoder=geocoder)


@st.cache_resource(show_spinner="Reading the catalogue…", max_entries=4)
def _store_frame(_store: Store, url: str, generation: int) -> gpd.GeoDataFrame:
    return data.with_actor_list(_store.frame())


@st.cache_resource(show_spinner="Reading the catalogue…", max_entries=4)
def file_frame(path: str, mtime: float) -> gpd.GeoDataFrame:
    return data.with_actor_list(data.load_events_file(Path(path), geocoder))


@st.cache_resource(show_spinner="Reading the catalogue…", max_entries=2)
def uploaded(content: bytes, name: str) -> gpd.GeoDataFrame:
    return data.with_actor_list(data.load_uploaded(content, name, geocoder))


@st.cache_data
def countries() -> dict[str, object]:
    return data.basemap_countries()


def store_frame(store: Store) -> gpd.GeoDataFrame:
    """The store's events as they are now (read again only when the store has changed)."""
    return _store_frame(store, store.url, store.generation())


def open_current(where: data.Where) -> Store | None:
    """The store the dashboard works on, opened (and filled on first start); ``None`` for a file
    view, or with its problems shown when it cannot be opened."""
    if where.store is None:
        return None
    try:
        return _open(where.store, str(where.path) if where.path is not None else None)
    except Exception as err:  # a broken store or seed file is explained, never a traceback
        if where.path is not None:
            title = f"The catalogue {where.path} could not be loaded into the store {where.shown}."
            name = str(where.path)
        else:
            title, name = f"The store {where.shown} could not be opened.", where.shown
        show_problems(title, problem_lines(err, name=name))
        return None
