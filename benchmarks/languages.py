"""Drafting reports in other languages: translated dev reports beside their English originals.

    python -m benchmarks languages [--devset benchmarks/devset]

Each file of ``translated/<language>/`` translates a dev report (its front matter names which,
and who translated it); its drafts are scored against that report's gold events, as the English
report's are. The target (issue 15): recall on the translations >= 0.7 of the English figure.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path

from benchmarks.drafting import current_drafting, gazetteer_locate
from benchmarks.draftscore import ReportScore, score_report, totals
from benchmarks.goldset import DEVSET_DIR, load_devset
from geodata.extract.article import parse_article
from geodata.extract.language import language_of
from geodata.io.yamlio import load_yaml

TRANSLATED = "translated"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks languages", description=__doc__)
    parser.add_argument("--devset", type=Path, default=DEVSET_DIR, help="the dev set folder")
    args = parser.parse_args(argv)
    devset = load_devset(args.devset)
    locate = gazetteer_locate()
    english: dict[str, ReportScore] = {}
    by_language: dict[str, list[ReportScore]] = defaultdict(list)
    detected: dict[str, list[str]] = defaultdict(list)
    seconds: dict[str, float] = defaultdict(float)
    rows = []
    for path in sorted((args.devset / TRANSLATED).glob("*/*.md")):
        language = path.parent.name
        raw = path.read_text(encoding="utf-8")
        front, _ = load_yaml(raw.split("\n---", 1)[0].removeprefix("---\n"), path=str(path))
        original = Path(str(front["translated_from"])).stem
        if original not in english:
            report = devset.reports[original]
            english[original] = score_report(original, current_drafting(report.raw, original), devset, locate)
        started = time.perf_counter()
        drafts = current_drafting(raw, original)
        seconds[language] += time.perf_counter() - started
        score = score_report(original, drafts, devset, locate)
        by_language[language].append(score)
        detected[language].append(language_of(parse_article(raw, name=str(path)).text))
        rows.append((language, original, score, english[original]))
    print("| language | report | drafts | gold (main+secondary) | found | English found |")
    print("|---|---|---|---|---|---|")
    for language, original, score, base in rows:
        got, ref = totals([score]), totals([base])
        print(f"| {language} | {original} | {got.drafts} | {got.gold} | {got.found} | {ref.found} |")
    print()
    print(
        "| language | detected as | reports | gold | found | recall | English recall | ratio | s per report |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for language, scores in sorted(by_language.items()):
        got = totals(scores)
        ref = totals([english[s.name] for s in scores])
        recall, english_recall = got.found / got.gold, ref.found / ref.gold
        print(
            f"| {language} | {', '.join(sorted(set(detected[language])))} | {len(scores)} | {got.gold} | "
            f"{got.found} | {recall:.2f} | {english_recall:.2f} | {recall / english_recall:.2f} | "
            f"{seconds[language] / len(scores):.2f} |"
        )
    return 0
