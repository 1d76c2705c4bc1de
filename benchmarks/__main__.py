"""``python -m benchmarks geocoder [...]``: run one benchmark and print its table."""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = {
    "geocoder": "benchmarks.geocoder",
    "geoparse": "benchmarks.geoparse",
    "synth": "benchmarks.synth",
    "map": "benchmarks.map",
    "first_map": "benchmarks.first_map",
    "store": "benchmarks.store",
    "hostile-yaml": "benchmarks.hostile_yaml",
    "hostile-files": "benchmarks.hostile_files",
    "text_scaling": "benchmarks.text_scaling",
    "drafting": "benchmarks.drafting",
    "calibrate": "benchmarks.calibrate",
    "draft_speed": "benchmarks.draft_speed",
    "ingest": "benchmarks.ingest",
    "merge": "benchmarks.merge",
    "distributed": "benchmarks.distributed",
    "views": "benchmarks.views",
    "languages": "benchmarks.languages",
    "ranker": "benchmarks.ranker",
    "vector_tiles": "benchmarks.vector_tiles",
    "filter_change": "benchmarks.filter_change",
    "admin_areas": "benchmarks.admin_areas",
}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in BENCHMARKS:
        print(f"usage: python -m benchmarks {{{'|'.join(BENCHMARKS)}}} [options]", file=sys.stderr)
        return 2
    module = importlib.import_module(BENCHMARKS[argv[0]])
    return int(module.main(argv[1:]) or 0)


if __name__ == "__main__":  # Dask's worker processes import this module again: no run there
    sys.exit(main(sys.argv[1:]))
