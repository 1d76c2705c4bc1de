"""Drafting speed on real-sized news reports: articles per second on one core after loading.

    python -m benchmarks draft_speed [--devset benchmarks/devset] [--rounds 5]

The dev set's reports are drafted one after another (``extract_article``, one process, one
thread): once right after the gazetteer is loaded (the first article also pays for what the
gazetteer loads on first use; shown apart), then ``--rounds`` more times. Seconds are CPU seconds
of this process (``time.process_time``), so other work on the machine does not count; wall
seconds are shown beside them.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from benchmarks.goldset import DEVSET_DIR, load_devset
from geodata.extract.pipeline import default_parser, extract_article


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks draft_speed", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--devset", type=Path, default=DEVSET_DIR)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    raws = [r.raw for r in load_devset(args.devset).reports.values()]
    started = time.process_time()
    geoparser = default_parser()
    loaded = time.process_time() - started
    runs = (
        ("first article", raws[:1]),
        ("first pass, the rest", raws[1:]),
        (f"{args.rounds} more passes", raws * args.rounds),
    )
    rows = []
    for label, texts in runs:
        cpu, wall = time.process_time(), time.perf_counter()
        drafts = sum(len(extract_article(raw, name="report", parser=geoparser)) for raw in texts)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        rate, kb = len(texts) / cpu, sum(len(t) for t in texts) / 1000 / cpu
        rows.append(f"| {label} | {len(texts)} | {drafts} | {cpu:.2f} | {wall:.2f} | {rate:.0f} | {kb:.0f} |")
    print(f"gazetteer and geoparser loaded in {loaded:.2f} s CPU; {len(raws)} reports\n")
    print("| run | articles | drafts | CPU s | wall s | articles/s (CPU) | KB/s (CPU) |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    return 0
