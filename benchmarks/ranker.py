"""Train the learned place ranker on the public corpora, and measure it across corpora.

    python -m benchmarks ranker --train [--eval-dir ../shared/eval]   # rebuilds geodata/data/ranker.txt
    python -m benchmarks ranker [--eval-dir ../shared/eval]           # the cross-corpus table

The ranker is a LightGBM LambdaRank model over the features of each gazetteer reading of a
mention (``geodata.extract.ranking.FEATURES``): a reading is relevant when it lies within
161 km of the gold point. Training rows are the readings as the geoparser sees them in both
rounds of choosing (the second round after the hand weights' first choice), with a fixed seed
and one thread, so the model file is the same on every run. The shipped model is trained on
both corpora; the table trains on one and tests on the other, beside the hand weights.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from geodata.coords import haversine_km
from geodata.extract.corpus import geoparse_docs, read_jsonl
from geodata.extract.geoparse import Geoparser, Rows
from geodata.extract.ranking import BASE, FEATURES, HAND, LearnedRanker, Ranker
from geodata.extract.scoring import score
from geodata.gazetteer import Gazetteer, load_gazetteer
from geodata.settings import DEFAULTS, PROJECT_DIR

if TYPE_CHECKING:
    from lightgbm import Booster

CORPORA = {"GeoWebNews": "geowebnews.jsonl", "GeoVirus": "geovirus.jsonl"}
#: Within this many km of the gold point, a reading is right (the literature's accuracy@161).
RIGHT_KM = 161.0
SEED = 20261207
PARAMS: dict[str, Any] = {
    "objective": "lambdarank",
    "metric": "ndcg",
    "eval_at": [1],
    "learning_rate": 0.1,
    "num_leaves": 15,
    "min_data_in_leaf": 40,
    "feature_fraction": 0.8,
    "lambda_l2": 1.0,
    "seed": SEED,
    "deterministic": True,
    "force_row_wise": True,
    "num_threads": 1,
    "verbose": -1,
}
ROUNDS = 100
#: Features whose growth may only make a reading likelier (the cues, the text's countries and
#: regions, nearness, the hand weights' score): what a reader knows, so the model does not
#: learn the opposite from a few coincidences of two corpora.
INCREASING = frozenset(
    {
        "prior",
        "prior_gap",
        "named_kind",
        "country_share",
        "near",
        "cue",
        "list_cue",
        "region_share",
        "region_named",
        "dateline_region",
        "dateline_country",
        "home_region",
        "home_country",
        "hand",
        "hand_gap",
    }
)


def training_rows(
    gazetteer: Gazetteer, docs: Sequence[dict[str, Any]]
) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Feature rows, labels (1 within ``RIGHT_KM`` of gold) and group sizes, one group per
    mention and round whose readings are not all right or all wrong."""
    parser = Geoparser(gazetteer, ranker=HAND)
    features: list[np.ndarray] = []
    labels: list[np.ndarray] = []
    groups: list[int] = []
    for doc in docs:
        gold = {(t["start"], t["end"]): (t["lat"], t["lon"]) for t in doc["toponyms"]}
        record: list[Rows] = []
        parser.resolve(doc["text"], list(gold), url=doc.get("url"), record=record)
        for rows in record:
            lat, lon = gold[rows.span]
            right = np.array(
                [haversine_km(e.lat, e.lon, lat, lon) < RIGHT_KM for e in rows.entries], dtype=float
            )
            if 0 < right.sum() < len(right):
                features.append(rows.rows)
                labels.append(right)
                groups.append(len(right))
    return np.concatenate(features), np.concatenate(labels), groups


class Without(LearnedRanker):
    """A learned ranker that never sees some features (each read as 0): for ablations."""

    def __init__(self, booster: Booster, columns: list[int]) -> None:
        super().__init__(booster)
        self.columns = columns

    def scores(self, rows: np.ndarray) -> np.ndarray:
        rows = rows.copy()
        rows[:, self.columns] = 0.0
        return super().scores(rows)


def train(gazetteer: Gazetteer, docs: Sequence[dict[str, Any]], without: Sequence[str] = ()) -> LearnedRanker:
    """A ranker trained on ``docs`` (gold toponyms with coordinates), blind to ``without``."""
    import lightgbm

    x, y, groups = training_rows(gazetteer, docs)
    columns = [FEATURES.index(name) for name in without]
    x[:, columns] = 0.0
    base = BASE * x[:, FEATURES.index("hand")]
    data = lightgbm.Dataset(
        x, y, group=groups, init_score=base, feature_name=list(FEATURES), free_raw_data=False
    )
    params = {**PARAMS, "monotone_constraints": [int(f in INCREASING) for f in FEATURES]}
    booster = lightgbm.train(params, data, num_boost_round=ROUNDS)
    return Without(booster, columns) if columns else LearnedRanker(booster)


def folded(
    gazetteer: Gazetteer,
    corpora: dict[str, list[dict[str, Any]]],
    test: str,
    folds: int,
    without: Sequence[str],
) -> float:
    """Accuracy@161 on ``test``, each of its ``folds`` (by document) resolved by a ranker trained
    on the other corpus and the other folds."""
    docs = corpora[test]
    others = [d for name, corpus in corpora.items() if name != test for d in corpus]
    predicted: dict[str, list[dict[str, Any]]] = {}
    for fold in range(folds):
        held = [d for k, d in enumerate(docs) if k % folds == fold]
        rest = [d for k, d in enumerate(docs) if k % folds != fold]
        ranker = train(gazetteer, others + rest, without)
        parser = Geoparser(gazetteer, ranker=ranker)
        predicted.update(
            {r["id"]: r["toponyms"] for r in geoparse_docs(parser, _scored(held, test), gold_spans=True)}
        )
    return score(
        _scored(docs, test), predicted, spans_given=True, only_geonames=test == "GeoWebNews"
    ).accuracy_161


def _scored(docs: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    """GeoWebNews is scored (as in the literature) on its toponyms with a GeoNames id."""
    if name != "GeoWebNews":
        return docs
    return [{**d, "toponyms": [t for t in d["toponyms"] if t.get("geonameid")]} for d in docs]


def accuracy(
    gazetteer: Gazetteer, docs: list[dict[str, Any]], name: str, ranker: Ranker
) -> tuple[float, float]:
    """Resolution accuracy@161 with the gold spans given, and documents per second."""
    docs = _scored(docs, name)
    parser = Geoparser(gazetteer, ranker=ranker)
    start = time.perf_counter()
    predicted = {r["id"]: r["toponyms"] for r in geoparse_docs(parser, docs, gold_spans=True)}
    rate = len(docs) / (time.perf_counter() - start)
    return score(docs, predicted, spans_given=True, only_geonames=name == "GeoWebNews").accuracy_161, rate


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks ranker")
    parser.add_argument("--eval-dir", type=Path, default=PROJECT_DIR.parent / "shared" / "eval")
    parser.add_argument("--train", action="store_true", help=f"rebuild {DEFAULTS.ranker_file.name}")
    parser.add_argument("--out", type=Path, default=DEFAULTS.ranker_file)
    parser.add_argument("--folds", type=int, default=5, help="folds per corpus for the second table")
    parser.add_argument(
        "--without", default="", help="features (comma-separated) the learned rankers do not see: an ablation"
    )
    args = parser.parse_args(argv)
    without = [name for name in args.without.split(",") if name]
    unknown = sorted(set(without) - set(FEATURES))
    if unknown:
        print(f"--without: no feature named {', '.join(unknown)}; the features are {', '.join(FEATURES)}")
        return 2
    missing = [f for f in CORPORA.values() if not (args.eval_dir / f).exists()]
    if missing:
        print(f"missing in {args.eval_dir}: {', '.join(missing)}")
        return 2
    corpora = {name: list(read_jsonl(args.eval_dir / f)) for name, f in CORPORA.items()}
    gazetteer = load_gazetteer()
    gazetteer.small_towns()
    if args.train:
        ranker = train(gazetteer, corpora["GeoWebNews"] + corpora["GeoVirus"])
        args.out.write_text(ranker.booster.model_to_string(), encoding="utf-8")
        print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes)")
        return 0
    print("Resolution accuracy@161 km with the gold spans given (GeoWebNews: toponyms with a GeoNames id)\n")
    print("| tested on | ranker | trained on | acc@161 | docs/s |")
    print("|---|---|---|---|---|")
    for test, other in (("GeoWebNews", "GeoVirus"), ("GeoVirus", "GeoWebNews")):
        hand, hand_rate = accuracy(gazetteer, corpora[test], test, HAND)
        print(f"| {test} | hand weights | (set by hand on both) | {hand:.3f} | {hand_rate:.0f} |")
        learned, rate = accuracy(gazetteer, corpora[test], test, train(gazetteer, corpora[other], without))
        print(f"| {test} | learned | {other} | {learned:.3f} | {rate:.0f} |")
    print(
        f"\nThe same, each corpus in {args.folds} folds by document, each fold resolved by a ranker "
        "trained on the other corpus and the other folds\n"
    )
    print("| tested on | acc@161 |")
    print("|---|---|")
    for test in corpora:
        print(f"| {test} | {folded(gazetteer, corpora, test, args.folds, without):.3f} |")
    if without:
        print(f"\n(learned rankers blind to: {', '.join(without)})")
    return 0
