"""Drafting and merging scored on the dev set of issue 13, with the founding article's targets.

    python -m benchmarks drafting [--devset benchmarks/devset] [--unknown-dates-match] [--merge queue|accept]

Every report is drafted with ``draft(raw, name)`` (today's drafting:
:func:`geodata.extract.pipeline.extract_article`); the drafts are matched against the report's
gold events (rules in :mod:`benchmarks.draftscore`) and the tables below are printed. Merging is
scored through ``linked(draft_a, draft_b)``, which says whether two drafts of different reports
were linked as one event: "never" by default; with ``--merge``, the reports are ingested in
order into a new store and the merger's links are scored (:mod:`benchmarks.mergelink`; ``queue``:
nobody reviews, ``accept``: each report's drafts are accepted before the next).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from benchmarks.draftscore import (
    FOUNDING,
    FOUNDING_MAX_DRAFTS,
    FoundingRow,
    HasEvent,
    Linked,
    Locate,
    MergeScore,
    ReportScore,
    Totals,
    founding_check,
    merge_score,
    never_linked,
    score_report,
    totals,
)
from benchmarks.goldset import DEVSET_DIR, SALIENCES, DevSet, load_devset
from geodata.model import Place

Draft = Callable[[str, str], Sequence[HasEvent]]


def current_drafting(raw: str, name: str) -> Sequence[HasEvent]:
    """Today's drafting, one draft per sentence and kind of event."""
    from geodata.extract.pipeline import extract_article

    return extract_article(raw, name=name)


def gazetteer_locate() -> Locate:
    """Where a draft's place is: its own coordinates, else the offline gazetteer's answer."""
    from geodata.geocoding import default_geocoder

    geocoder = default_geocoder()

    @cache
    def locate(place: Place) -> tuple[float, float] | None:
        if place.lat is not None and place.lon is not None:
            return place.lat, place.lon
        found = geocoder.locate_place(place)
        return None if found is None else (found.latitude, found.longitude)

    return locate


@dataclass(frozen=True)
class Results:
    scores: list[ReportScore]
    founding: list[FoundingRow]
    founding_drafts: int
    merge: MergeScore


def run(
    devset: DevSet,
    *,
    draft: Draft = current_drafting,
    linked: Linked = never_linked,
    locate: Locate | None = None,
    unknown_dates_match: bool = False,
) -> Results:
    """Draft every report, score the drafts, the founding article and the merging."""
    locate = locate or gazetteer_locate()
    scores, matched = [], []
    founding: list[FoundingRow] = []
    founding_drafts = 0
    for name, report in devset.reports.items():
        drafts = list(draft(report.raw, name))
        score = score_report(name, drafts, devset, locate, unknown_dates_match=unknown_dates_match)
        scores.append(score)
        matched += [(name, drafts[index], match.gold.id) for index, match in score.matches]
        if name == FOUNDING:
            founding, founding_drafts = founding_check(drafts, devset, locate), len(drafts)
    return Results(scores, founding, founding_drafts, merge_score(matched, linked))


def render(results: Results) -> str:
    """The tables, in Markdown. "Events" are a report's gold events found by its drafts: matching
    drafts per event counts the duplicates among good drafts, drafts per event all of them."""
    lines = [
        "| report | drafts | gold (main+secondary) | found | recall | precision | matching drafts per event "
        "| drafts per event |",
        "|---|---|---|---|---|---|---|---|",
    ]
    lines += [_row(score.name, totals([score])) for score in results.scores]
    lines.append(_row(f"**all {len(results.scores)} reports**", totals(results.scores)))
    lines += ["", "| salience | gold mentions | found | recall |", "|---|---|---|---|"]
    for salience in SALIENCES:
        part = totals(results.scores, (salience,))
        lines.append(f"| {salience} | {part.gold} | {part.found} | {_share(part.found, part.gold)} |")
    done = sum(row.found for row in results.founding)
    head = f"{results.founding_drafts} drafts (target <= {FOUNDING_MAX_DRAFTS}), {done} of 7 events found"
    lines += ["", f"Founding article: {head}", "", "| event | found | why |", "|---|---|---|"]
    lines += [f"| {r.event_id} | {'yes' if r.found else 'no'} | {r.why} |" for r in results.founding]
    merge = results.merge
    links = merge.same_linked + merge.different_linked
    lines += [
        "",
        "| merging (pairs of matched drafts from different reports) | value |",
        "|---|---|",
        f"| same gold event | {merge.same} |",
        f"| of them linked (recall) | {merge.same_linked} ({_share(merge.same_linked, merge.same)}) |",
        f"| different gold events | {merge.different} |",
        f"| of them linked (wrong merges) | {merge.different_linked} |",
        f"| precision of the links | {_share(merge.same_linked, links)} |",
    ]
    return "\n".join(lines)


def _row(label: str, t: Totals) -> str:
    found, drafts, events = t.found, t.drafts, t.matched_events
    return (
        f"| {label} | {drafts} | {t.gold} | {found} | {_share(found, t.gold)} | "
        f"{_share(t.matching_drafts, drafts)} | {_ratio(t.matching_drafts, events)} | "
        f"{_ratio(drafts, events)} |"
    )


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.2f}" if whole else "-"


def _ratio(part: int, whole: int) -> str:
    return f"{part / whole:.2f}" if whole else "-"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks drafting", description=__doc__.split("\n")[0])
    parser.add_argument("--devset", type=Path, default=DEVSET_DIR, help="the dev set folder")
    parser.add_argument(
        "--unknown-dates-match", action="store_true", help="let drafts dated 'unknown' match on their window"
    )
    parser.add_argument(
        "--merge", choices=("queue", "accept"), help="score the merging of geodata.merge, ingesting in order"
    )
    args = parser.parse_args(argv)
    devset = load_devset(args.devset)
    shared = len(devset.shared_events())
    sizes = f"{len(devset.reports)} reports, {len(devset.events)} gold events, {shared} in >= 2 reports"
    print(f"dev set: {sizes}\n")
    if args.merge is None:
        print(render(run(devset, unknown_dates_match=args.unknown_dates_match)))
        return 0
    from benchmarks.mergelink import Ingestion
    from geodata.geocoding import default_geocoder

    ingestion = Ingestion(current_drafting, default_geocoder(), mode=args.merge)
    try:
        results = run(
            devset,
            draft=ingestion.draft,
            linked=ingestion.linked,
            unknown_dates_match=args.unknown_dates_match,
        )
    finally:
        ingestion.close()
    print(render(results))
    return 0
