"""The one lat/lon swap, tested."""

from __future__ import annotations

import pytest

from geodata.coords import (
    check_latlon,
    geojson_position,
    haversine_km,
    latlon_of_geojson_position,
    latlon_of_point,
    latlon_to_lonlat,
    lonlat_to_latlon,
    point_from_latlon,
    points_from_latlon,
)


def test_swaps_are_inverse() -> None:
    assert latlon_to_lonlat(36.19, 44.01) == (44.01, 36.19)
    assert lonlat_to_latlon(*latlon_to_lonlat(36.19, 44.01)) == (36.19, 44.01)


def test_point_is_x_lon_y_lat() -> None:
    point = point_from_latlon(36.19, 44.01)
    assert (point.x, point.y) == (44.01, 36.19)
    assert latlon_of_point(point) == (36.19, 44.01)


def test_geojson_positions_are_lon_lat() -> None:
    assert geojson_position(36.19117, 44.00943) == [44.00943, 36.19117]
    assert latlon_of_geojson_position([44.00943, 36.19117, 410.0]) == (36.19117, 44.00943)
    points = points_from_latlon([36.19], [44.01], crs="EPSG:4326")
    assert (points[0].x, points[0].y) == (44.01, 36.19)


def test_check_latlon_ranges() -> None:
    assert check_latlon("36.1", 44) == (36.1, 44.0)  # type: ignore[arg-type]  # text from a file
    for lat, lon in [(91, 0), (0, 181), (float("nan"), 0)]:
        with pytest.raises(ValueError):
            check_latlon(lat, lon)


def test_haversine_baghdad_erbil() -> None:
    # Baghdad (33.34058, 44.40088) to Erbil (36.19117, 44.00943): about 319 km.
    assert haversine_km(33.34058, 44.40088, 36.19117, 44.00943) == pytest.approx(319, abs=3)
