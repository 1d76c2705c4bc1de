"""Events as a GeoPandas GeoDataFrame (EPSG:4326, one row per event) and vectorised filters."""

from __future__ import annotations

import datetime as dt
import os
import re
import threading
import weakref
from collections.abc import Callable, Iterable, Sequence
from typing import TypedDict, Unpack

import geopandas as gpd
import numpy as np
import pandas as pd

from geodata.actors import canonical_actor
from geodata.catalog import read_catalogue
from geodata.coords import points_from_latlon
from geodata.errors import GeocodingError
from geodata.geocoding import OfflineGeocoder
from geodata.model import Event
from geodata.records import RECORD_FIELDS, TYPE_COLUMNS, event_record
from geodata.settings import DEFAULTS
from geodata.taxonomy import EVENT_TYPES

CRS = "EPSG:4326"
#: Joined lower-case text of the fields free-text search looks in.
SEARCH_FIELDS = ("title", "summary", "source_quote", "place_name", "place_canonical", "source_publisher")
_SEP = "\x1f"


def events_frame(events: Iterable[Event], geocoder: OfflineGeocoder) -> gpd.GeoDataFrame:
    """One row per event, located offline; raise :class:`GeocodingError` naming any unplaced one."""
    records, missing = [], []
    for event in events:
        where = geocoder.locate_place(event.place)
        said = geocoder.locate_place(event.said_at) if event.said_at is not None else None
        if where is None:
            missing.append(f"event {event.id!r}, field 'place': {event.place.query!r} did not resolve")
            continue
        records.append(event_record(event, where, said))
    if missing:
        raise GeocodingError(
            "cannot place these events offline; add coordinates or a sites entry:\n" + "\n".join(missing)
        )
    return frame_from_records(records)


def frame_from_records(records: Sequence[dict[str, object]]) -> gpd.GeoDataFrame:
    """A typed GeoDataFrame from flat records (see :mod:`geodata.records`)."""
    df = pd.DataFrame.from_records(list(records), columns=list(RECORD_FIELDS))
    return _typed(df)


def frame_from_columns(columns: dict[str, object]) -> gpd.GeoDataFrame:
    """A typed GeoDataFrame from whole columns (large catalogues); missing ones are derived or empty."""
    df = pd.DataFrame(columns)
    kinds = df["type"].map(EVENT_TYPES)
    for column, attribute in TYPE_COLUMNS.items():
        if column not in df:
            df[column] = kinds.map(lambda k, a=attribute: getattr(k, a) if k is not None else None)
    for column in RECORD_FIELDS:
        if column not in df:
            df[column] = [[] for _ in range(len(df))] if column in ("actors", "tags", "references") else None
    return _typed(df[list(RECORD_FIELDS)])


#: Columns with few distinct values, stored as categories in large frames (a tenth of the memory).
CATEGORICAL = (
    "type",
    "date_precision",
    "geo_precision",
    "confidence",
    *TYPE_COLUMNS,
    "place_name",
    "place_canonical",
    "place_country",
    "place_region",
    "place_admin2",
    "actor1_type",
    "actor2_type",
    "source_publisher",
    "source_title",
    "coordinate_source",
    "location_id",
)
LARGE_FRAME = 10_000


def _typed(df: pd.DataFrame) -> gpd.GeoDataFrame:
    large = len(df) > LARGE_FRAME
    if large:
        for column in CATEGORICAL:
            if column in df and df[column].notna().any():
                df[column] = df[column].astype("category")
    for column in ("date_start", "date_end", "source_published"):
        df[column] = pd.to_datetime(df[column], errors="coerce")
    for column in ("lat", "lon", "said_at_lat", "said_at_lon"):
        df[column] = pd.to_numeric(df[column], errors="coerce")
    for column in ("fatalities_low", "fatalities_high"):
        if column in df:  # whole numbers with gaps (unknown tolls), not floats
            df[column] = pd.to_numeric(df[column], errors="coerce").astype("Int64")
    geometry = points_from_latlon(df["lat"], df["lon"], crs=CRS)
    gdf = gpd.GeoDataFrame(df, geometry=geometry, crs=CRS)
    gdf.index = pd.Index(gdf["id"].astype(str), name="event_id")
    # A large frame gets its search columns when a text or actor filter first needs them: at a
    # million events they cost seconds the first map does not need.
    return gdf if large else with_search_columns(gdf)


def with_search_columns(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Add the hidden columns the text and actor filters scan, computed once per catalogue."""
    gdf["_search"] = search_text(gdf)
    gdf["_actors"] = actor_keys(gdf)
    return gdf


#: Helper columns computed for frames built without them, by ``id`` of the frame (dropped with
#: it), and how to make them where the frame's own columns cannot.
_HELPERS: dict[int, dict[str, pd.Series]] = {}
_MAKERS: dict[int, dict[str, Callable[[pd.DataFrame], pd.Series]]] = {}
_HELPERS_LOCK = threading.Lock()


def _forget(key: int) -> None:
    _HELPERS.pop(key, None)
    _MAKERS.pop(key, None)


def _memo(gdf: pd.DataFrame) -> dict[str, pd.Series]:
    memo = _HELPERS.get(id(gdf))
    if memo is None:
        memo = _HELPERS[id(gdf)] = {}
        weakref.finalize(gdf, _forget, id(gdf))
    return memo


def defer_helpers(gdf: pd.DataFrame, **makers: Callable[[pd.DataFrame], pd.Series]) -> None:
    """Have the hidden columns ``_search`` and ``_actors`` of ``gdf`` made by ``makers`` (keyed
    ``search``, ``actors``) when a filter first needs them: a frame of a few columns read from a
    large file lacks the columns they are made from."""
    with _HELPERS_LOCK:
        _memo(gdf)
        _MAKERS[id(gdf)] = {f"_{name}": make for name, make in makers.items()}


def _helper(gdf: pd.DataFrame, name: str, make: Callable[[pd.DataFrame], pd.Series]) -> pd.Series:
    """The frame's hidden column ``name``; a frame without it gets it computed once and kept
    while the frame lives (the dashboard filters one shared frame on every rerun)."""
    if name in gdf:
        return gdf[name]
    with _HELPERS_LOCK:
        memo = _memo(gdf)
        if name not in memo:
            memo[name] = _MAKERS.get(id(gdf), {}).get(name, make)(gdf)
        return memo[name]


#: The columns that name an event's actors.
ACTOR_COLUMNS = ("actor1", "actor2", "actors")


def named_actors(row: Iterable[object]) -> list[str]:
    """The dictionary names (:func:`canonical_actor`) of the actors one row's actor columns
    (:data:`ACTOR_COLUMNS`, in that order) name, each once."""
    names: list[str] = []
    for value in row:
        if isinstance(value, str):
            names.append(value)
        elif isinstance(value, (list, tuple, np.ndarray)):
            names += map(str, value)
    return list(dict.fromkeys(canonical_actor(n) for n in names if n))


def actor_names(gdf: pd.DataFrame) -> list[str]:
    """Every actor the frame names, by its dictionary name, sorted (the actor filter's options)."""
    columns = [gdf[c] for c in ACTOR_COLUMNS if c in gdf]
    return sorted({a for row in zip(*columns, strict=True) for a in named_actors(row)})


def actor_keys(gdf: pd.DataFrame) -> pd.Series:
    """Each row's actors by their dictionary names, joined so that a name is matched whole."""
    columns = [gdf[c] for c in ACTOR_COLUMNS if c in gdf]
    keys = [_SEP + _SEP.join(named_actors(row)) + _SEP for row in zip(*columns, strict=True)]
    return pd.Series(keys, index=gdf.index, dtype=object)


def load_frame(
    path: str | os.PathLike[str] | None = None, *, geocoder: OfflineGeocoder | None = None
) -> gpd.GeoDataFrame:
    """Read, validate and locate a YAML catalogue (default: the bundled ``events.yaml``)."""
    geocoder = geocoder or OfflineGeocoder()
    catalogue = read_catalogue(path or DEFAULTS.default_catalogue, geocoder=geocoder)
    return events_frame(catalogue.events, geocoder)


# --- filters: each returns a boolean mask aligned with the frame ------------------------------


def mask_types(gdf: pd.DataFrame, types: Iterable[str] | None) -> pd.Series:
    """Rows whose type is one of ``types`` (all rows when ``types`` is None)."""
    if types is None:
        return pd.Series(True, index=gdf.index)
    column = gdf["type"]
    if isinstance(column.dtype, pd.CategoricalDtype):
        # One look-up per row in a table of the categories (the last entry, for a missing type's
        # code -1, says no): isin compares every row with every type, 4x slower at 10 million.
        allowed = np.append(column.cat.categories.isin(list(types)), False)
        return pd.Series(allowed[column.cat.codes.to_numpy()], index=gdf.index)
    return column.isin(list(types))


def mask_window(gdf: pd.DataFrame, start: dt.date | None, end: dt.date | None) -> pd.Series:
    """Rows whose date interval shares at least one day with ``[start, end]``."""
    mask = pd.Series(True, index=gdf.index)
    if end is not None:
        mask &= gdf["date_start"] <= pd.Timestamp(end)
    if start is not None:
        mask &= gdf["date_end"] >= pd.Timestamp(start)
    return mask


def mask_actors(gdf: pd.DataFrame, actors: Iterable[str] | None) -> pd.Series:
    """Rows naming at least one of ``actors`` (exact names, or other names the actor dictionary
    gives for one)."""
    wanted = list(dict.fromkeys(canonical_actor(a) for a in actors or ()))
    if not wanted:
        return pd.Series(True, index=gdf.index)
    pattern = "|".join(re.escape(_SEP + a + _SEP) for a in wanted)
    return _helper(gdf, "_actors", actor_keys).str.contains(pattern, regex=True)


def mask_text(gdf: pd.DataFrame, text: str | None) -> pd.Series:
    """Rows whose title, summary, quote, place, publisher or actors contain ``text`` (any case)."""
    needle = (text or "").strip().casefold()
    if not needle:
        return pd.Series(True, index=gdf.index)
    return _helper(gdf, "_search", search_text).str.contains(needle, regex=False)


def search_text(gdf: pd.DataFrame) -> pd.Series:
    """The lower-cased text that :func:`mask_text` searches, one string per row."""
    parts = [gdf[c].fillna("").astype(str) for c in SEARCH_FIELDS]
    # map(str): a large file's actors are searched as read, before their rows are checked
    named = gdf["actors"].map(lambda a: _SEP.join(map(str, a)) if isinstance(a, (list, np.ndarray)) else "")
    parts.append(named)
    joined = parts[0]
    for part in parts[1:]:
        joined = joined + _SEP + part
    return joined.str.casefold()


def mask_bbox(gdf: gpd.GeoDataFrame, bbox: tuple[float, float, float, float] | None) -> pd.Series:
    """Rows inside ``(west, south, east, north)`` in degrees."""
    if bbox is None:
        return pd.Series(True, index=gdf.index)
    west, south, east, north = bbox
    lon, lat = gdf["lon"], gdf["lat"]
    inside_lon = (lon >= west) & (lon <= east) if west <= east else (lon >= west) | (lon <= east)
    return inside_lon & (lat >= south) & (lat <= north)


class FilterArgs(TypedDict, total=False):
    """The filters :func:`filter_mask` and :func:`filter_events` take; each left out passes all."""

    types: Iterable[str] | None
    start: dt.date | None
    end: dt.date | None
    actors: Iterable[str] | None
    text: str | None
    bbox: tuple[float, float, float, float] | None


def filter_mask(gdf: gpd.GeoDataFrame, **filters: Unpack[FilterArgs]) -> np.ndarray:
    """The boolean row mask of the rows that pass every given filter, without copying any rows."""
    mask = (
        mask_types(gdf, filters.get("types"))
        & mask_window(gdf, filters.get("start"), filters.get("end"))
        & mask_actors(gdf, filters.get("actors"))
        & mask_text(gdf, filters.get("text"))
        & mask_bbox(gdf, filters.get("bbox"))
    )
    return np.asarray(mask.to_numpy(), dtype=bool)


def filter_events(gdf: gpd.GeoDataFrame, **filters: Unpack[FilterArgs]) -> gpd.GeoDataFrame:
    """The rows that pass every given filter (see :class:`FilterArgs`)."""
    return gdf[filter_mask(gdf, **filters)]


def public_columns(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The frame without its hidden helper columns (for display and equality checks)."""
    return gdf[[c for c in gdf.columns if not str(c).startswith("_")]]
