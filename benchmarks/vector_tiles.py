"""How long drawing a vector tile takes (``--tiles`` with vector MBTiles or PMTiles).

    python -m benchmarks vector_tiles [--repeat 20]

Two synthetic tiles, encoded the way tilemaker and Planetiler write them (gzipped MVT, extent
4096): a sparse one (a water area and a road) and a dense city one (land, 50 green areas, a
lake, 2,000 buildings, 500 roads of 8 points). Prints the milliseconds to decode and draw each
(the best of ``--repeat`` runs) and the mean for a whole tile.
"""

from __future__ import annotations

import argparse
import random
import time

from geodata.io.vector_tiles import decode, encode, render


def tile(layers: dict[str, list[tuple[int, list[tuple[int, int]]]]]) -> bytes:
    """A gzipped tile of one-part features."""
    return encode(
        {name: [(kind, [points]) for kind, points in features] for name, features in layers.items()}
    )


def _square(x: int, y: int, side: int) -> list[tuple[int, int]]:
    return [(x, y), (x + side, y), (x + side, y + side), (x, y + side)]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks vector_tiles")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)
    rng = random.Random(1)
    tiles = {
        "sparse (a water area, a road)": tile(
            {"water": [(3, _square(0, 0, 2048))], "roads": [(2, [(0, 100), (4096, 300)])]}
        ),
        "dense (2,000 buildings, 500 roads)": tile(
            {
                "earth": [(3, _square(0, 0, 4096))],
                "landuse": [(3, _square(rng.randrange(3800), rng.randrange(3800), 300)) for _ in range(50)],
                "water": [(3, _square(100, 100, 1500))],
                "building": [(3, _square(rng.randrange(4000), rng.randrange(4000), 40)) for _ in range(2000)],
                "transportation": [
                    (2, [(rng.randrange(4096), rng.randrange(4096)) for _ in range(8)]) for _ in range(500)
                ],
            }
        ),
    }
    print("| tile | bytes | decode ms (best) | draw ms (best) | whole tile ms (mean) | tiles per minute |")
    print("|---|---|---|---|---|---|")
    for label, data in tiles.items():
        decode_s = draw_s = float("inf")
        total = 0.0
        for _ in range(args.repeat):
            start = time.perf_counter()
            layers = decode(data)
            middle = time.perf_counter()
            render(layers)
            end = time.perf_counter()
            decode_s, draw_s = min(decode_s, middle - start), min(draw_s, end - middle)
            total += end - start
        mean = total / args.repeat
        print(
            f"| {label} | {len(data):,} | {decode_s * 1000:.1f} | {draw_s * 1000:.1f} | {mean * 1000:.1f} "
            f"| {60 / mean:,.0f} |"
        )
    return 0
