"""Offline geocoder speed: cold load, then uncached and cached lookups per second.

python -m benchmarks geocoder [--queries 20000] [--min-population 15000]
"""

from __future__ import annotations

import argparse
import dataclasses
import platform
import random
import tempfile
import time
from pathlib import Path

from geodata.gazetteer import Gazetteer, load_gazetteer
from geodata.geocoding import OfflineGeocoder
from geodata.settings import DEFAULTS

CATALOGUE_QUERIES = [
    "Ain Al Assad base",
    "Erbil",
    "Arbil",
    "Mosul",
    "Iraq",
    "Camp Taji",
    "K-1 Air Base",
    "Qayyarah Airfield West",
    "Al-Qaim",
    "Baghdad Governorate",
    "Washington",
    "MacDill Air Force Base",
]


def _queries(gazetteer: Gazetteer, count: int, seed: int) -> list[str]:
    """Real names and aliases drawn from the gazetteer, misspelt a little one time in four."""
    rng = random.Random(seed)
    names = [name for entry in gazetteer.entries for name in (entry.name, *entry.aliases[:3])]
    out = []
    for _ in range(count):
        name = rng.choice(names)
        if rng.random() < 0.25 and len(name) > 4:
            i = rng.randrange(1, len(name) - 1)
            name = name[:i] + name[i + 1 :]  # drop a letter
        out.append(name)
    return out


def _rate(geocoder: OfflineGeocoder, queries: list[str]) -> tuple[float, int]:
    start = time.perf_counter()
    found = sum(geocoder.geocode(q) is not None for q in queries)
    return len(queries) / (time.perf_counter() - start), found


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks geocoder")
    parser.add_argument("--queries", type=int, default=20_000)
    parser.add_argument("--min-population", type=int, default=DEFAULTS.min_city_population)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    start = time.perf_counter()
    uncached_settings = dataclasses.replace(DEFAULTS, gazetteer_cache_dir=None)
    gazetteer = load_gazetteer(uncached_settings, min_population=args.min_population)
    load_s = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        cached_settings = dataclasses.replace(DEFAULTS, gazetteer_cache_dir=Path(tmp))
        load_gazetteer(cached_settings, min_population=args.min_population, small_towns=False)
        start = time.perf_counter()
        load_gazetteer(cached_settings, min_population=args.min_population, small_towns=False)
        copy_s = time.perf_counter() - start
    start = time.perf_counter()
    small = gazetteer.small_towns()  # built on the first miss otherwise: here, outside the clock
    small_s = time.perf_counter() - start
    queries = _queries(gazetteer, args.queries, args.seed)

    uncached = OfflineGeocoder(gazetteer, cache_size=0)
    cold_rate, found = _rate(uncached, queries)
    cached = OfflineGeocoder(gazetteer, cache_size=len(queries) + 16)
    _rate(cached, queries)  # fill the cache
    warm_rate, _ = _rate(cached, queries)
    catalogue_rate, catalogue_found = _rate(uncached, CATALOGUE_QUERIES * 100)

    print(f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}")
    print(f"gazetteer: {len(gazetteer):,} entries (GeoNames cities >= {args.min_population:,} people)\n")
    print("| measure | value |")
    print("|---|---|")
    print(f"| cold load (read data, build name index) | {load_s:.2f} s |")
    print(f"| load from the on-disk copy of a previous run | {copy_s:.2f} s |")
    print(
        f"| small towns, built on the first name nothing else matches ({len(small or ()):,}) | "
        f"{small_s:.2f} s |"
    )
    print(f"| uncached lookups ({len(queries):,} names, 1 in 4 misspelt) | {cold_rate:,.0f} /s |")
    print(f"| found | {found / len(queries):.1%} |")
    print(f"| cached lookups (same names again) | {warm_rate:,.0f} /s |")
    print(
        f"| catalogue place names, uncached | {catalogue_rate:,.0f} /s "
        f"({catalogue_found}/{len(CATALOGUE_QUERIES) * 100} found) |"
    )
    return 0
