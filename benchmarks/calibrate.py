"""Fit the drafting confidence (a logistic model of what a draft was read from) on the dev set.

    python -m benchmarks calibrate [--devset benchmarks/devset] [--l2 1.0]

Each draft of each report is labelled 1 when it matches a gold event of its report (the rules of
:mod:`benchmarks.draftscore`: a draft dated ``unknown`` matches none), else 0. The weights are fitted
by Newton's method on the L2-penalised log-likelihood (the intercept unpenalised). Printed: the
weights to put in ``geodata.extract.salience.WEIGHTS``; how well the model of today and the fitted one
predict, fitted on all reports and, to show what to expect on other reports, cross-validated leaving
out one cluster of reports at a time (reports that share gold events are one cluster); a reliability
table (drafts by predicted confidence: how many matched); and the drafts pre-selected at thresholds.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from benchmarks.drafting import gazetteer_locate
from benchmarks.draftscore import score_report
from benchmarks.goldset import DEVSET_DIR, DevSet, load_devset
from geodata.extract.drafts import DraftedEvent
from geodata.extract.pipeline import extract_article
from geodata.extract.salience import FEATURES, WEIGHTS, confidence
from geodata.settings import DEFAULTS


def labelled(devset: DevSet) -> list[tuple[str, tuple[float, ...], int]]:
    """(report, feature values, matched) of every draft of the dev set."""
    locate = gazetteer_locate()
    rows = []
    for name, report in devset.reports.items():
        drafts = extract_article(report.raw, name=name)
        matched = {index for index, _ in score_report(name, drafts, devset, locate).matches}
        rows += [(name, d.features, int(i in matched)) for i, d in enumerate(drafts)]
    return rows


def clusters(devset: DevSet) -> dict[str, int]:
    """Reports that share a gold event (directly or through others) get one cluster number."""
    parent = {name: name for name in devset.reports}

    def root(name: str) -> str:
        while parent[name] != name:
            name = parent[name]
        return name

    for event in devset.events:
        names = sorted({m.report for m in event.mentions})
        for other in names[1:]:
            parent[root(other)] = root(names[0])
    roots = sorted({root(n) for n in parent})
    return {name: roots.index(root(name)) for name in parent}


def fit(x: np.ndarray, y: np.ndarray, l2: float, steps: int = 50) -> np.ndarray:
    """Weights (intercept first) of the L2-penalised logistic regression of ``y`` on ``x``."""
    design = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(design.shape[1])
    penalty = np.full(design.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-design @ w))
        gradient = design.T @ (p - y) + penalty * w
        hessian = design.T @ (design * (p * (1 - p))[:, None]) + np.diag(penalty) + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def _cross_validated(
    rows: list[tuple[str, tuple[float, ...], int]],
    x: np.ndarray,
    y: np.ndarray,
    l2: float,
    fold: Callable[[str], object],
) -> list[float]:
    """Each draft's confidence from weights fitted without its fold (its report, or its cluster)."""
    out = [0.0] * len(rows)
    for key in {fold(r[0]) for r in rows}:
        left_out = np.array([fold(r[0]) == key for r in rows])
        weights = fit(x[~left_out], y[~left_out], l2)
        for i in np.flatnonzero(left_out):
            out[i] = confidence(tuple(x[i]), tuple(weights))
    return out


def _loss(p: Sequence[float], y: Sequence[int]) -> tuple[float, float]:
    """(log-loss, Brier score)."""
    eps = 1e-9
    log = -sum(
        t * math.log(max(q, eps)) + (1 - t) * math.log(max(1 - q, eps)) for q, t in zip(p, y, strict=True)
    )
    brier = sum((q - t) ** 2 for q, t in zip(p, y, strict=True))
    return log / len(y), brier / len(y)


def _reliability(p: Sequence[float], y: Sequence[int]) -> list[str]:
    lines = ["| predicted | drafts | matched | share matched |", "|---|---|---|---|"]
    for low in (0.0, 0.2, 0.4, 0.6, 0.8):
        inside = [t for q, t in zip(p, y, strict=True) if low <= q < low + 0.2 or (low == 0.8 and q == 1.0)]
        share = f"{sum(inside) / len(inside):.2f}" if inside else "-"
        lines.append(f"| {low:.1f}-{low + 0.2:.1f} | {len(inside)} | {sum(inside)} | {share} |")
    return lines


def _thresholds(p: Sequence[float], y: Sequence[int]) -> list[str]:
    lines = ["| threshold | pre-selected | of them matched (precision) | matched drafts kept (recall) |"]
    lines.append("|---|---|---|---|")
    for threshold in (0.3, 0.4, 0.5, 0.6, 0.7):
        kept = [t for q, t in zip(p, y, strict=True) if q >= threshold]
        precision = f"{sum(kept) / len(kept):.2f}" if kept else "-"
        lines.append(f"| {threshold:.1f} | {len(kept)} | {precision} | {sum(kept) / max(1, sum(y)):.2f} |")
    return lines


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks calibrate", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--devset", type=Path, default=DEVSET_DIR)
    parser.add_argument("--l2", type=float, default=1.0, help="L2 penalty on the weights (not the intercept)")
    args = parser.parse_args(argv)
    devset = load_devset(args.devset)
    rows = labelled(devset)
    group = clusters(devset)
    x = np.array([r[1] for r in rows], dtype=float)
    y = np.array([r[2] for r in rows], dtype=float)
    labels = [int(t) for t in y]
    today = [confidence(tuple(v)) for v in x]
    weights = fit(x, y, args.l2)
    fitted = [confidence(tuple(v), tuple(weights)) for v in x]
    held_out = _cross_validated(rows, x, y, args.l2, lambda name: group[name])
    by_report = _cross_validated(rows, x, y, args.l2, lambda name: name)
    print(
        f"{len(rows)} drafts of {len(devset.reports)} reports, {int(y.sum())} match a gold event, "
        f"{len(set(group.values()))} clusters of reports\n"
    )
    print("| model | log-loss | Brier |\n|---|---|---|")
    for label, p in (
        ("weights in salience.py", today),
        ("fitted, all reports", fitted),
        ("fitted, each report left out", by_report),
        ("fitted, each cluster left out", held_out),
    ):
        log, brier = _loss(p, labels)
        print(f"| {label} | {log:.3f} | {brier:.3f} |")
    print("\nFitted weights (intercept, " + ", ".join(FEATURES) + "):")
    print("WEIGHTS = (" + ", ".join(f"{w:.2f}" for w in weights) + ")")
    print(f"(in salience.py now: {WEIGHTS})\n")
    print("Reliability, cluster left out:\n" + "\n".join(_reliability(held_out, labels)))
    print("\nPre-selection, cluster left out:\n" + "\n".join(_thresholds(held_out, labels)))
    print("\nPre-selection, weights in salience.py:\n" + "\n".join(_thresholds(today, labels)))
    print("\n" + _scored(devset))
    return 0


def _scored(devset: DevSet) -> str:
    """All drafts and the pre-selected ones, scored as ``python -m benchmarks drafting`` does."""
    from benchmarks.drafting import run
    from benchmarks.draftscore import totals

    lines = [
        f"Drafts scored (pre-selected: confidence >= {DEFAULTS.draft_confidence_threshold}):",
        "| drafts | count | recall (main+secondary) | precision | drafts per matched event |",
        "|---|---|---|---|---|",
    ]
    for label, only_preselected in (("all", False), ("pre-selected", True)):

        def draft(raw: str, name: str, only: bool = only_preselected) -> list[DraftedEvent]:
            return [d for d in extract_article(raw, name=name) if d.preselected or not only]

        t = totals(run(devset, draft=draft).scores)
        per_event = t.drafts / max(1, t.matched_events)
        lines.append(f"| {label} | {t.drafts} | {t.recall:.2f} | {t.precision:.2f} | {per_event:.2f} |")
    return "\n".join(lines)
