"""Score geoparsing output against gold toponyms: spans, distances, AUC, speed."""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from geodata.coords import haversine_km

#: Half the Earth's circumference: the error charged for a name that was not resolved.
MAX_ERROR_KM = 20_039.0


@dataclass(frozen=True)
class Scores:
    """What the literature reports for a geoparser on a corpus."""

    toponyms: int
    found: int
    precision: float | None
    recall: float | None
    f1: float | None
    accuracy_161: float
    mean_km: float
    median_km: float
    auc: float


def auc_of_errors(errors: list[float]) -> float:
    """Area under the sorted, log-scaled error curve (Gritta et al. 2018); lower is better."""
    if len(errors) < 2:
        return math.log1p(errors[0]) / math.log(MAX_ERROR_KM) if errors else 0.0
    ys = sorted(math.log1p(e) for e in errors)
    area = sum((a + b) / 2 for a, b in pairwise(ys))
    return area / (math.log(MAX_ERROR_KM) * (len(ys) - 1))


def score(
    gold_docs: Iterable[dict[str, Any]],
    predicted: dict[str, list[dict[str, Any]]],
    *,
    spans_given: bool,
    only_geonames: bool = False,
) -> Scores:
    """Compare predictions (by document id) with gold toponyms.

    With ``spans_given`` (resolution), every gold toponym gets an error, unresolved ones the
    maximum. Otherwise (end to end) spans must match exactly; precision, recall and F1 are
    over spans, and distances over the correctly found spans.
    """
    errors: list[float] = []
    true_pos = n_gold = n_pred = 0
    for doc in gold_docs:
        gold = [t for t in doc["toponyms"] if not only_geonames or t.get("geonameid")]
        preds = {(p["start"], p["end"]): p for p in predicted.get(doc["id"], [])}
        n_gold += len(gold)
        n_pred += len(preds)
        for t in gold:
            p = preds.get((t["start"], t["end"]))
            if p is None:
                if spans_given:
                    errors.append(MAX_ERROR_KM)
                continue
            true_pos += 1
            if p.get("lat") is None:
                errors.append(MAX_ERROR_KM)
            else:
                errors.append(haversine_km(p["lat"], p["lon"], t["lat"], t["lon"]))
    precision = recall = f1 = None
    if not spans_given:
        precision = true_pos / n_pred if n_pred else 0.0
        recall = true_pos / n_gold if n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(
        toponyms=n_gold,
        found=true_pos,
        precision=precision,
        recall=recall,
        f1=f1,
        accuracy_161=sum(e <= 161 for e in errors) / len(errors) if errors else 0.0,
        mean_km=statistics.fmean(errors) if errors else 0.0,
        median_km=statistics.median(errors) if errors else 0.0,
        auc=auc_of_errors(errors),
    )
