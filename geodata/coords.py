"""The one place where (lat, lon) and (lon, lat) meet.

GeoJSON and shapely order coordinates (lon, lat); geopy and most prose order them (lat, lon).
Everything in the library converts through these helpers and nowhere else.
"""

from __future__ import annotations

import math
from typing import Any

from shapely.geometry import Point


def check_latlon(lat: float, lon: float) -> tuple[float, float]:
    """Return ``(lat, lon)`` as floats, or raise ``ValueError`` when either is out of range."""
    lat_f, lon_f = float(lat), float(lon)
    if not (math.isfinite(lat_f) and -90.0 <= lat_f <= 90.0):
        raise ValueError(f"latitude {lat!r} is outside -90..90")
    if not (math.isfinite(lon_f) and -180.0 <= lon_f <= 180.0):
        raise ValueError(f"longitude {lon!r} is outside -180..180")
    return lat_f, lon_f


def latlon_to_lonlat(lat: float, lon: float) -> tuple[float, float]:
    """Swap a geopy-style ``(lat, lon)`` pair into GeoJSON/shapely ``(lon, lat)`` order."""
    return (lon, lat)


def lonlat_to_latlon(lon: float, lat: float) -> tuple[float, float]:
    """Swap a GeoJSON/shapely ``(lon, lat)`` pair into geopy-style ``(lat, lon)`` order."""
    return (lat, lon)


def point_from_latlon(lat: float, lon: float) -> Point:
    """A shapely ``Point`` (x=lon, y=lat) from a latitude and a longitude."""
    return Point(*latlon_to_lonlat(lat, lon))


def points_from_latlon(lat: Any, lon: Any, *, crs: str) -> Any:
    """A GeoPandas point array (x = lon, y = lat) from latitude and longitude columns."""
    import geopandas as gpd

    return gpd.points_from_xy(lon, lat, crs=crs)


def geojson_position(lat: float, lon: float, *, digits: int = 7) -> list[float]:
    """A GeoJSON position ``[lon, lat]`` (RFC 7946 section 3.1.1) from a latitude and longitude."""
    return [round(lon, digits), round(lat, digits)]


def latlon_of_geojson_position(position: list[float]) -> tuple[float, float]:
    """``(lat, lon)`` of a GeoJSON ``[lon, lat, ...]`` position."""
    return lonlat_to_latlon(position[0], position[1])


def latlon_of_point(point: Point) -> tuple[float, float]:
    """``(lat, lon)`` of a shapely ``Point``."""
    return lonlat_to_latlon(point.x, point.y)


EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two (lat, lon) points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))
