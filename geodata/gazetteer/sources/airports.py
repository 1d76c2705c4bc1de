"""Airports and military airfields from ``airportsdata`` (MIT)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from geodata.coords import haversine_km
from geodata.gazetteer.entry import Entry

_MILITARY_FIELD = re.compile(
    r"\b(?:Air ?base|Air Force Base|Air Station|Army Air ?field|Naval Air|Air Field|"
    r"Military|Army Base|Air Force Station)\b",
    re.IGNORECASE,
)


def load_airports(sites: list[Entry], *, curated_radius_km: float = 10.0) -> Iterator[Entry]:
    """Airports with an IATA code and military airfields worldwide, from ``airportsdata`` (MIT).

    A field within ``curated_radius_km`` of a curated site is left to the curated entry, whose
    point has a quoted source. Besides its full name, a field is known without its city
    ("Heathrow Airport" for London Heathrow Airport).
    """
    import airportsdata

    for record in airportsdata.load().values():
        name, city = record["name"], record.get("city") or ""
        military = bool(_MILITARY_FIELD.search(name))
        if not (record.get("iata") or military):
            continue
        lat, lon = float(record["lat"]), float(record["lon"])
        if any(
            abs(site.lat - lat) < 0.2 and haversine_km(site.lat, site.lon, lat, lon) < curated_radius_km
            for site in sites
        ):
            continue
        aliases: tuple[str, ...] = ()
        if city and name.startswith(city + " ") and len(name) > len(city) + 9:
            aliases = (name[len(city) + 1 :],)
        yield Entry(
            id=f"airport:{record['icao']}",
            name=name,
            lat=lat,
            lon=lon,
            kind="site",
            country=record.get("country") or None,
            admin1=record.get("subd") or None,
            source=f"airportsdata {record['icao']} (MIT)",
            aliases=aliases,
            feature="air base" if military else "airport",
        )
