"""The dashboard's filter state, the map's view and the selected event, and how they live in the
URL so a link restores them."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from geodata.model import ID_PATTERN
from geodata.taxonomy import EVENT_TYPES

#: The zooms a link may ask for (the map's own range).
MIN_ZOOM, MAX_ZOOM = 2, 18


@dataclass(frozen=True)
class Filters:
    """What the user chose: types, a time window, actors and a text query."""

    types: tuple[str, ...] = tuple(EVENT_TYPES)
    start: dt.date | None = None
    end: dt.date | None = None
    actors: tuple[str, ...] = ()
    text: str = ""
    extra: dict[str, str] = field(default_factory=dict, compare=False)


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(part for part in (value or "").split(",") if part)


def filters_from_params(params: Mapping[str, str], *, known_actors: set[str] | None = None) -> Filters:
    """Filters encoded in query parameters; anything unknown or malformed falls back to the default."""
    types = (
        tuple(t for t in _split(params.get("types")) if t in EVENT_TYPES)
        if "types" in params
        else tuple(EVENT_TYPES)
    )
    actors = tuple(a for a in _split(params.get("actors")) if known_actors is None or a in known_actors)
    start, end = _date(params.get("start")), _date(params.get("end"))
    if start and end and end < start:
        start, end = end, start
    return Filters(types=types, start=start, end=end, actors=actors, text=params.get("q", "")[:200])


def params_from_filters(filters: Filters, *, span: tuple[dt.date, dt.date] | None = None) -> dict[str, str]:
    """Query parameters for ``filters``; defaults are left out so links stay short."""
    params: dict[str, str] = {}
    if set(filters.types) != set(EVENT_TYPES):
        params["types"] = ",".join(filters.types)
    if filters.start and (span is None or filters.start != span[0]):
        params["start"] = filters.start.isoformat()
    if filters.end and (span is None or filters.end != span[1]):
        params["end"] = filters.end.isoformat()
    if filters.actors:
        params["actors"] = ",".join(filters.actors)
    if filters.text:
        params["q"] = filters.text
    return params


def clamp_window(
    start: dt.date | None, end: dt.date | None, span: tuple[dt.date, dt.date]
) -> tuple[dt.date, dt.date]:
    """A window inside the catalogue's span (the slider cannot show dates outside it)."""
    low, high = span
    start = min(max(start or low, low), high)
    end = min(max(end or high, low), high)
    return (start, end) if start <= end else (end, start)


def step_window(
    start: dt.date, end: dt.date, span: tuple[dt.date, dt.date], step_days: int
) -> tuple[dt.date, dt.date]:
    """The window moved by ``step_days``, wrapping to the start of the span after the end."""
    width = end - start
    new_start = start + dt.timedelta(days=step_days)
    if new_start > span[1]:
        new_start = span[0]
    new_end = min(new_start + width, span[1])
    return new_start, new_end


@dataclass(frozen=True)
class MapView:
    """Where the map looks: its centre and zoom."""

    lat: float
    lon: float
    zoom: int


def view_from_params(params: Mapping[str, str]) -> MapView | None:
    """The view a link gives (``lat``, ``lon``, ``z``); ``None`` when it gives none or a bad one."""
    try:
        lat, lon = float(params["lat"]), float(params["lon"])
        zoom = int(params.get("z", "5"))
    except (KeyError, ValueError, OverflowError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return MapView(lat, lon, min(max(zoom, MIN_ZOOM), MAX_ZOOM))


def view_of_map(state: Any) -> MapView | None:
    """The view the map last reported (its ``center`` and ``zoom``), if any."""
    if not isinstance(state, dict) or not isinstance(state.get("center"), dict):
        return None
    center = state["center"]
    lon = center.get("lng")
    params = {"lat": str(center.get("lat")), "lon": str(lon), "z": str(state.get("zoom"))}
    if isinstance(lon, (int, float)) and math.isfinite(lon):
        params["lon"] = str((lon + 180) % 360 - 180)  # a map panned round the world
    return view_from_params(params)


def params_from_view(view: MapView) -> dict[str, str]:
    """Query parameters for ``view``: four decimals (about 10 m) keep links short."""
    return {"lat": f"{view.lat:.4f}", "lon": f"{view.lon:.4f}", "z": str(view.zoom)}


def event_from_params(params: Mapping[str, str]) -> str | None:
    """The selected event a link names (``event``), if it is an event id at all."""
    given = params.get("event", "")
    return given if ID_PATTERN.fullmatch(given) else None


def view_box(
    view: MapView, *, width_px: int = 940, height_px: int = 560
) -> tuple[float, float, float, float]:
    """About the (west, south, east, north) a map of that size shows at ``view`` (Web Mercator
    tiles of 256 pixels), for when the map has not reported its own bounds."""
    degrees_per_px = 360 / (256 * 2**view.zoom)
    half_lon = width_px * degrees_per_px / 2
    half_lat = height_px * degrees_per_px * math.cos(math.radians(view.lat)) / 2
    return (
        max(view.lon - half_lon, -180.0),
        max(view.lat - half_lat, -85.0),
        min(view.lon + half_lon, 180.0),
        min(view.lat + half_lat, 85.0),
    )
