"""Where a big place sits when standard references place it differently (countries, seas,
regions): GeoNames' point, moved to agree with Wikipedia's where both can lie within 161 km."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from typing import Any

from geodata.coords import haversine_km

#: Geoparsing gold data counts a point right within 161 km (100 miles) of its own.
AGREE_KM = 161.0


Reference = tuple[tuple[float, float], str]  # a point and the text that cites it


def agreed_point(geonames: Reference | None, others: Sequence[Reference]) -> tuple[float, float, str]:
    """One point for a place standard references place differently: ``(lat, lon, source)``.

    Gold data takes its points from GeoNames (GeoWebNews, LGL, TR-News) or from Wikipedia
    (GeoVirus, WikToR), and the two disagree for a country or a sea. The point is the mean of
    GeoNames' and as many of the others as lie, with it, within 161 km of that mean (the closest
    such mean among equals); where none do, GeoNames' point stands, as it does for every town.
    Without GeoNames' point, the first other reference's. (The CIA World Factbook's points, which
    REST Countries copies, were tried as a third reference: they pulled countries away from
    both GeoNames' and Wikipedia's points, GeoVirus 0.846 -> 0.768.)
    """
    if geonames is None:
        if not others:
            raise ValueError("no point to agree on")
        (lat, lon), source = others[0]
        return lat, lon, source
    best: tuple[int, float, tuple[float, float], tuple[Reference, ...]] | None = None
    for size in range(len(others), 0, -1):
        for chosen in combinations(others, size):
            points = [geonames[0], *(point for point, _ in chosen)]
            if max(lon for _, lon in points) - min(lon for _, lon in points) > 180:
                continue  # across the date line: no mean
            centre = (
                sum(lat for lat, _ in points) / len(points),
                sum(lon for _, lon in points) / len(points),
            )
            farthest = max(haversine_km(*centre, *point) for point in points)
            if farthest <= AGREE_KM and (best is None or (size, -farthest) > (best[0], best[1])):
                best = (size, -farthest, centre, chosen)
        if best is not None:
            break
    if best is None:
        return geonames[0][0], geonames[0][1], geonames[1]
    cited = " and ".join(source for _, source in best[3])
    return best[2][0], best[2][1], f"between {geonames[1]} and {cited}"


def geonames_reference(block: dict[str, Any]) -> Reference:
    """The point and the source text of a ``geonames`` block of a curated file."""
    return (
        (float(block["lat"]), float(block["lon"])),
        f"GeoNames {int(block['id'])} (https://www.geonames.org/{int(block['id'])})",
    )


def wikipedia_reference(cited: dict[str, Any]) -> Reference:
    """The point and the source text of an entry of ``wikipedia_points.yaml``."""
    return (
        (float(cited["lat"]), float(cited["lon"])),
        f"Wikipedia's point, {cited['url']} ({cited['quote']})",
    )
