"""Merging the same event across reports (issue 13): on the dev set, and at scale.

    python -m benchmarks merge [--devset benchmarks/devset] [--events 100000] [--articles 10000]

The dev-set table ingests the reports in order (:mod:`benchmarks.mergelink`) with today's
drafting and with drafts made from the gold (the merger alone), in two ways of working, and
scores the links over pairs of matched drafts from different reports (rules in
:mod:`benchmarks.draftscore`). The scale table (:mod:`benchmarks.mergescale`) times candidate
search and the store's propose step on synthetic events.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from benchmarks.drafting import current_drafting, gazetteer_locate, run
from benchmarks.draftscore import MergeScore
from benchmarks.goldset import DEVSET_DIR, DevSet, load_devset
from benchmarks.mergelink import MODES, Draft, Ingestion, gold_drafting
from geodata.geocoding import default_geocoder


def merge_figures(devset: DevSet, draft: Draft, mode: str) -> MergeScore:
    """The merge score of ingesting the dev set's reports in order with ``draft``."""
    ingestion = Ingestion(draft, default_geocoder(), mode=mode)
    try:
        return run(devset, draft=ingestion.draft, linked=ingestion.linked, locate=gazetteer_locate()).merge
    finally:
        ingestion.close()


def _row(label: str, mode: str, m: MergeScore) -> str:
    links = m.same_linked + m.different_linked
    recall = f"{m.recall:.2f}" if m.same else "-"
    wrong = f"{m.wrong_share:.3f}" if links else "-"
    pairs = f"{m.same} | {m.same_linked} | {recall} | {m.different} | {m.different_linked}"
    return f"| {label} | {mode} | {pairs} | {wrong} |"


def devset_table(devset: DevSet) -> str:
    lines = [
        "| drafts | mode | same-event pairs | linked | recall (target >= 0.90) | other pairs | linked "
        "| wrong share of links (target <= 0.05) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for label, draft in (("today's drafting", current_drafting), ("from the gold", gold_drafting(devset))):
        for mode in MODES:
            lines.append(_row(label, mode, merge_figures(devset, draft, mode)))
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks merge", description=__doc__.split("\n")[0])
    parser.add_argument("--devset", type=Path, default=DEVSET_DIR, help="the dev set folder")
    parser.add_argument("--events", type=int, default=100_000, help="synthetic events in the store")
    parser.add_argument("--articles", type=int, default=10_000, help="synthetic articles proposed")
    parser.add_argument("--skip-scale", action="store_true", help="only the dev-set table")
    args = parser.parse_args(argv)
    devset = load_devset(args.devset)
    print(devset_table(devset))
    if not args.skip_scale:
        from benchmarks.mergescale import scale_table

        print()
        print(scale_table(events=args.events, articles=args.articles))
    return 0
