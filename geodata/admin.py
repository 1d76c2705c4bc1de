"""The first- and second-level regions of a point, offline: those of the nearest GeoNames town
(``geodata/data/towns_admin.csv.gz``: GeoNames' 170,714 towns of 1,000 people or more and seats of
administrative divisions, each with its admin-1 region and, for 145,421, its admin-2 region).

This is the nearest town's region, not a point-in-polygon test: a point near a border can be given
the neighbour's region. A point farther than :data:`MAX_KM` from any town is given no first-level
region, and a second-level region only from a town with one within :data:`ADMIN2_KM` in the same
first-level region, or within :data:`ADMIN2_FAR_KM` when every other second-level region's
nearest town is :data:`ADMIN2_MARGIN` times as far. Towns held out (ten folds, each looked up by a
finder built from the others: ``python -m benchmarks admin_areas``) get the right first-level
region for 0.94 of GeoNames' towns, and the second-level regions given are right for 0.92 of
those within 2 km of a town with one, 0.84 at 2-5 km and 0.70 at 5-10 km (less where a district
has one town, as in Yemen or Afghanistan: there the town held out was its district's only one).
The region outlines the map draws (Natural Earth's, ``naturalearth_admin1.geojson``) were tried
for the first level and left out: too coarse near borders (they put Camp Taji 4 km inside
Salah ad-Din). Points are looked up once each (events share their places' points), through
k-d trees over the towns on the unit sphere (SciPy).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property

import numpy as np
import pandas as pd

from geodata.settings import DEFAULTS

#: Farther than this from every town, a point is given no region.
MAX_KM = 150.0
#: A point is given the second-level region of the nearest town that has one when that town lies
#: within ADMIN2_KM, or within ADMIN2_FAR_KM when the nearest town of any other second-level
#: region is at least ADMIN2_MARGIN times as far.
ADMIN2_KM = 10.0
ADMIN2_FAR_KM = 30.0
ADMIN2_MARGIN = 2.0
#: Neighbours searched for another district's town.
_NEIGHBOURS = 16
EARTH_KM = 6371.0088
#: Precisions whose point is the event's own place (a region's or a country's point lies in
#: some district that is not the event's).
POINT_PRECISIONS = frozenset({"facility", "city"})


@dataclass(frozen=True)
class Regions:
    """Each point's country code, first-level and second-level region (``None`` where none is
    known)."""

    country: np.ndarray
    region: np.ndarray
    admin2: np.ndarray


class RegionFinder:
    """The regions of points, by their nearest town."""

    def __init__(self, towns: pd.DataFrame | None = None) -> None:
        """From ``towns`` (lat, lon, country, admin1, admin2; "" where unknown), by default
        :func:`read_towns`."""
        from scipy.spatial import cKDTree

        towns = read_towns() if towns is None else towns.reset_index(drop=True)
        names = towns[["country", "admin1", "admin2"]].astype(object).fillna("").astype(str)
        self._country = names["country"].to_numpy(dtype=object)
        self._region = names["admin1"].to_numpy(dtype=object)
        self._admin2 = names["admin2"].to_numpy(dtype=object)
        lat, lon = towns["lat"].to_numpy(dtype=float), towns["lon"].to_numpy(dtype=float)
        self._tree = cKDTree(_unit(lat, lon))
        named = self._admin2 != ""
        self._second_at = np.flatnonzero(named)  # rows of the towns with a second-level region
        self._tree2 = cKDTree(_unit(lat[named], lon[named]))
        # one number per second-level region, to tell a neighbour in another one
        self._district = names[named].groupby(["country", "admin1", "admin2"], sort=False).ngroup().to_numpy()
        self._towns = towns

    @cached_property
    def centres(self) -> dict[tuple[str, str], tuple[float, float]]:
        """The centre of the extent of each first-level region's towns, by (country, name): the
        point of a region the admin-1 table does not have (one GeoNames named since)."""
        extent = self._towns.groupby(["country", "admin1"])[["lat", "lon"]].agg(["min", "max"])
        lat = (extent[("lat", "min")] + extent[("lat", "max")]) / 2
        lon = (extent[("lon", "min")] + extent[("lon", "max")]) / 2
        return {key: (float(lat[key]), float(lon[key])) for key in extent.index}

    def regions(self, lat: np.ndarray, lon: np.ndarray, *, second_level: bool = True) -> Regions:
        """The country and regions of each (lat, lon); ``None`` where the point is not a number
        or no town lies near enough (:data:`MAX_KM`, :data:`ADMIN2_KM`). Without
        ``second_level``, ``admin2`` is all ``None`` (half the time, for many points)."""
        lat, lon = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
        country = np.full(len(lat), None, dtype=object)
        region = np.full(len(lat), None, dtype=object)
        admin2 = np.full(len(lat), None, dtype=object)
        placed = np.isfinite(lat) & np.isfinite(lon)
        if not placed.any():
            return Regions(country, region, admin2)
        # one complex number per point: np.unique finds the distinct points without Python objects
        distinct, where = np.unique(lat[placed] + 1j * lon[placed], return_inverse=True)
        points = _unit(distinct.real, distinct.imag)
        distance, nearest = self._tree.query(points, k=1, distance_upper_bound=_chord(MAX_KM))
        found = np.isfinite(distance)
        town = np.where(found, nearest, 0)
        found_country = self._country[town].copy()
        found_region = self._region[town].copy()
        found_country[~found] = found_region[~found] = None
        country[placed] = found_country[where]
        region[placed] = found_region[where]
        if not second_level or not len(self._second_at):
            return Regions(country, region, admin2)
        found2, nearest2 = self._nearest_district(points)
        town2 = self._second_at[nearest2]
        # the district's town must lie in the point's region, so the two levels agree
        same = found2 & found & (self._country[town2] == found_country)
        same &= self._region[town2] == found_region
        found_admin2 = np.where(same, self._admin2[town2], None)
        admin2[placed] = found_admin2[where]
        return Regions(country, region, admin2)

    def _nearest_district(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Whether each point is given the second-level region of its nearest town that has one
        (the rules at :data:`ADMIN2_KM`), and that town's row among those towns."""
        given = np.zeros(len(points), dtype=bool)
        first_town = np.zeros(len(points), dtype=int)
        undecided = np.arange(len(points))
        k = _NEIGHBOURS
        while len(undecided) and len(self._district):
            decided, given_now, towns = self._districts_among(points[undecided], k)
            given[undecided[decided]] = given_now[decided]
            first_town[undecided] = towns
            undecided = undecided[~decided]
            k *= 4  # all the neighbours searched were of the first's district: search more
        return given, first_town

    def _districts_among(self, points: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`_nearest_district` from the ``k`` nearest towns with a second-level region:
        whether that decides each point, the answer, and the nearest town's row."""
        reach = _chord(ADMIN2_MARGIN * ADMIN2_FAR_KM)
        k = min(k, len(self._district))
        distance, nearest = self._tree2.query(points, k=k, distance_upper_bound=reach)
        distance, nearest = distance.reshape(len(points), k), nearest.reshape(len(points), k)
        within = np.isfinite(distance)
        nearest = np.where(within, nearest, 0)
        first = distance[:, 0]
        other = within & (self._district[nearest] != self._district[nearest[:, :1]])
        # the nearest other region's town: the first such neighbour; or, if none of those
        # searched is, beyond the reach, when fewer towns than searched lie within it or all the
        # towns there are were searched
        beyond = ~within.all(axis=1) | (k == len(self._district))
        second = np.where(other.any(axis=1), distance[np.arange(len(points)), other.argmax(axis=1)], reach)
        near = first <= _chord(ADMIN2_KM)
        clear = (first <= _chord(ADMIN2_FAR_KM)) & (second >= ADMIN2_MARGIN * first)
        given = within[:, 0] & (near | clear)
        # undecided: every town searched is of the first's region, more lie within reach, and
        # the rule needs the other region's distance
        decided = near | ~within[:, 0] | other.any(axis=1) | beyond | (first > _chord(ADMIN2_FAR_KM))
        return decided, given, nearest[:, 0]


def read_towns() -> pd.DataFrame:
    """The towns and their regions (``towns_admin.csv.gz``)."""
    return pd.read_csv(
        DEFAULTS.towns_admin_file,
        dtype={"lat": float, "lon": float, "country": str, "admin1": str, "admin2": str},
        keep_default_na=False,
    )


@cache
def region_finder() -> RegionFinder:
    """One finder per process (building it reads 170,714 towns: about a fifth of a second)."""
    return RegionFinder()


def admin_areas(
    lat: np.ndarray,
    lon: np.ndarray,
    region: Sequence[object],
    admin2: Sequence[object],
    precision: Sequence[object],
) -> tuple[np.ndarray, np.ndarray]:
    """ACLED's admin1 and admin2 of each point: the place's own region hints where the
    catalogue gives them; else, for admin1, the nearest town's region (:class:`RegionFinder`);
    for admin2, the second-level region (``admin2.csv``) whose point the event is placed at, else,
    for an event placed at a facility or town, the nearest town's second-level region (the rules
    at :data:`ADMIN2_KM`; when the first level is a hint, only where the town's region is the
    hint's, compared as :func:`~geodata.gazetteer.names.loose_key` does: "Ninawa" and "ninawa",
    not "Nineveh"). An event placed only at its country (``precision`` "country") has neither."""
    lat, lon = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
    first = np.array([v if isinstance(v, str) and v else None for v in region], dtype=object)
    second = np.array([v if isinstance(v, str) and v else None for v in admin2], dtype=object)
    points = _admin2_points()
    for row in np.flatnonzero(pd.isna(second)):
        if np.isfinite(lat[row]) and np.isfinite(lon[row]):
            second[row] = points.get((round(float(lat[row]), 4), round(float(lon[row]), 4)))
    at_point = np.array([p in POINT_PRECISIONS for p in precision], dtype=bool)
    missing = np.flatnonzero(pd.isna(first) | (pd.isna(second) & at_point))
    if len(missing):
        found = region_finder().regions(lat[missing], lon[missing])
        hinted = ~pd.isna(first[missing])
        # a town's district only where its region is the hint's (spelt alike), or no hint was given
        agrees = ~hinted | _same_names(first[missing], found.region)
        fill_second = pd.isna(second[missing]) & at_point[missing] & agrees
        second[missing[fill_second]] = found.admin2[fill_second]
        first[missing[~hinted]] = found.region[~hinted]
    country_wide = np.array([p == "country" for p in precision], dtype=bool)
    first[country_wide] = second[country_wide] = None  # a country's point lies in some region
    return first, second


def _same_names(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Whether each pair of names is the same name (case, accents, articles aside)."""
    from geodata.gazetteer.names import loose_key

    return np.array(
        [
            isinstance(x, str) and isinstance(y, str) and loose_key(x) == loose_key(y)
            for x, y in zip(a, b, strict=True)
        ],
        dtype=bool,
    )


@cache
def _admin2_points() -> dict[tuple[float, float], str]:
    """Second-level regions by their point (as the gazetteer places them)."""
    with DEFAULTS.admin2_file.open(encoding="utf-8", newline="") as handle:
        return {
            (round(float(r["lat"]), 4), round(float(r["lon"]), 4)): r["name"] for r in csv.DictReader(handle)
        }


def _chord(km: float) -> float:
    """The straight-line distance through the unit sphere between points ``km`` apart."""
    return float(2 * np.sin(km / EARTH_KM / 2))


def _unit(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    phi, lam = np.radians(lat), np.radians(lon)
    return np.column_stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])


def admin1_points() -> dict[tuple[str, str], tuple[float, float]]:
    """Each region's point (its towns' centre, from the admin-1 table), by (country, name)."""
    with DEFAULTS.admin1_file.open(encoding="utf-8", newline="") as handle:
        return {(r["country"], r["name"]): (float(r["lat"]), float(r["lon"])) for r in csv.DictReader(handle)}
