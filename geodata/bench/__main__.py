"""``python -m geodata.bench geocoder [...]``: run one benchmark and print its table."""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = {"geocoder": "geodata.bench.geocoder", "geoparse": "geodata.bench.geoparse",
              "synth": "geodata.bench.synth", "map": "geodata.bench.map"}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in BENCHMARKS:
        print(f"usage: python -m geodata.bench {{{'|'.join(BENCHMARKS)}}} [options]", file=sys.stderr)
        return 2
    module = importlib.import_module(BENCHMARKS[argv[0]])
    return int(module.main(argv[1:]) or 0)


sys.exit(main(sys.argv[1:]))
