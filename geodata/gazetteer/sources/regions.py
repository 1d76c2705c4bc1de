"""Read the gazetteer's regions into entries: first-level regions (``admin1.csv``), counties
(``admin2.csv``), country groups and composite regions (``regions.yaml``), adjectives of place."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from geodata.errors import GazetteerError
from geodata.gazetteer import names
from geodata.gazetteer.entry import Entry
from geodata.gazetteer.points import (
    agreed_point,
    geonames_reference,
    wikipedia_reference,
)


def load_country_groups(curated: dict[str, Any], countries: list[Entry]) -> Iterator[Entry]:
    """Regions made of whole countries (the Middle East, the EU): at their published centre
    where ``regions.yaml`` cites one, else at GeoNames' point for the region, else at the mean
    of the members' points."""
    by_code = {e.country: e for e in countries}
    for group in curated.get("country_groups", []):
        members = [by_code[code] for code in group["members"] if code in by_code]
        if not members:
            raise GazetteerError(f"country group {group['name']!r} has no known members")
        centre = group.get("centre")
        if centre:
            lat, lon = float(centre["lat"]), float(centre["lon"])
            source = f"{centre['what']} ({centre['source']['url']})"
        elif group.get("geonames"):
            (lat, lon), source = geonames_reference(group["geonames"])
        else:
            lat = sum(m.lat for m in members) / len(members)
            lon = sum(m.lon for m in members) / len(members)
            source = f"mean of member countries ({', '.join(group['members'])})"
        yield Entry(
            id=f"region:{group['name']}",
            name=group["name"],
            lat=lat,
            lon=lon,
            kind="region",
            country=None,
            population=sum(m.population for m in members),
            source=source,
            aliases=tuple(group.get("aliases", ())),
        )


def _region_aliases(name: str, curated: Iterable[str]) -> tuple[str, ...]:
    """Curated other names, and the name without a trailing kind word ("Anhui" for Anhui Sheng)."""
    words = name.split()
    bare = [" ".join(words[:-1])] if len(words) > 1 and words[-1].lower() in names.REGION_WORDS else []
    return tuple(dict.fromkeys([*curated, *bare]))


_GEONAMES_REGION_POINT = "GeoNames point (OpenWeatherMap city list in pyowm, CC BY-SA 4.0)"


def load_regions(
    curated: dict[str, Any], admin1_file: Path, wikipedia: dict[str, Any] | None = None
) -> Iterator[Entry]:
    """First-level regions from ``admin1.csv``, plus the composite regions of ``regions.yaml``.

    A region's point is GeoNames' where known, moved halfway to Wikipedia's when both can lie
    within 161 km of it (``wikipedia_points.yaml``, :func:`agreed_point`); a region known only by
    its towns takes Wikipedia's point where there is one, else the centre of its towns' extent.
    """
    alias_table = curated.get("admin1_aliases", {})
    rows: dict[tuple[str, str], dict[str, str]] = {}
    try:
        with open(admin1_file, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                rows[(row["country"], row["name"])] = row
    except (OSError, KeyError) as err:
        raise GazetteerError(f"cannot read regions file {str(admin1_file)!r}: {err}") from err
    cited_points = wikipedia or {}
    for (country, name), row in rows.items():
        generic = [w for w in names.words(name) if w not in names.REGION_WORDS]
        aliases = _region_aliases(name, alias_table.get(country, {}).get(name, ())) if generic else ()
        lat, lon = float(row["lat"]), float(row["lon"])
        if row.get("point") == "geonames":
            source = _GEONAMES_REGION_POINT
        else:
            source = f"GeoNames towns of {name} ({row['towns']}), centre of their extent"
        cited = (cited_points.get(country) or {}).get(name)
        if cited:
            gn = ((lat, lon), source) if row.get("point") == "geonames" else None
            lat, lon, source = agreed_point(gn, [wikipedia_reference(cited)])
        code = row.get("code") or None
        yield Entry(
            id=f"admin1:{country}:{name}",
            name=name,
            lat=lat,
            lon=lon,
            kind="region",
            country=country,
            admin1=name,
            population=int(row.get("population") or 0),
            source=source,
            aliases=aliases,
            code=code,
            # GeoNames' codes of US states are their postal codes ("Brooklyn, NY"): names
            # to look a state up by, not words to read in running text.
            codes=(code,) if country == "US" and code and code.isalpha() else (),
        )
    for comp in curated.get("composite_regions", []):
        members = [rows[(comp["country"], m)] for m in comp["members"] if (comp["country"], m) in rows]
        if not members:
            raise GazetteerError(f"composite region {comp['name']!r} has no known members")
        lat = sum(float(m["lat"]) for m in members) / len(members)
        lon = sum(float(m["lon"]) for m in members) / len(members)
        yield Entry(
            id=f"region:{comp['country']}:{comp['name']}",
            name=comp["name"],
            lat=lat,
            lon=lon,
            kind="region",
            country=comp["country"],
            admin1=comp["name"],
            population=sum(int(m.get("population") or 0) for m in members),
            source=f"mean of {', '.join(comp['members'])}",
            aliases=tuple(comp.get("aliases", ())),
        )


def load_admin2(admin2_file: Path) -> Iterator[Entry]:
    """Second-level regions from ``admin2.csv`` (US counties, British counties, Philippine
    provinces, Irish counties), with the other forms of their names the news uses."""
    try:
        with open(admin2_file, encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as err:
        raise GazetteerError(f"cannot read regions file {str(admin2_file)!r}: {err}") from err
    for row in rows:
        try:
            country, name = row["country"], row["name"]
            aliases: tuple[str, ...] = ()
            if country == "PH":
                aliases = (f"{name} Province", f"Province of {name}")
            elif country == "IE" and name.startswith("County "):
                aliases = (name.removeprefix("County "), f"{name.removeprefix('County ')} County")
            yield Entry(
                id=f"admin2:{country}:{row['admin1']}:{name}",
                name=name,
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                kind="region",
                country=country,
                admin1=row["admin1"],
                population=int(row.get("population") or 0),
                aliases=aliases,
                source=f"GeoNames towns of {name} ({row['towns']}), centre of their extent",
            )
        except (KeyError, ValueError) as err:
            raise GazetteerError(f"regions file {str(admin2_file)!r}: bad row {row!r}: {err}") from err
