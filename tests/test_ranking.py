"""The place ranker: its features, the hand weights, the learned model and its training."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import lightgbm
import numpy as np
import pytest
from conftest import TINY_ENTRIES
from hypothesis import given
from hypothesis import strategies as st

from benchmarks import ranker as training
from geodata.errors import GeodataError
from geodata.extract.geoparse import Geoparser, Rows
from geodata.extract.ranking import (
    FEATURES,
    HAND,
    LearnedRanker,
    _median_without,
    add_hand_scores,
    dateline_mention,
    home_names,
    load_ranker,
    region_key,
)
from geodata.gazetteer import Entry, Gazetteer
from geodata.settings import DEFAULTS

US, GB = (e for e in TINY_ENTRIES if e.name == "Washington")


def _spans(text: str, *names: str) -> list[tuple[int, int]]:
    return [(text.index(n), text.index(n) + len(n)) for n in names]


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        ("SPRINGFIELD, Ill. (AP) — The council met in Chicago.", ("SPRINGFIELD", "Chicago"), 0),
        ("LONDON (Reuters) - Ministers met.", ("LONDON",), 0),
        ("By Jane Doe\nKYIV, Ukraine — Sirens sounded.", ("KYIV", "Ukraine"), 0),
        ("  Washington — The vote passed.", ("Washington",), 0),
        ("Officials in Springfield, Ill. said the vote passed.", ("Springfield",), None),
        ("Officials said - in Springfield - the vote passed.", ("Springfield",), None),
        ("x" * 400 + "\nKYIV — Sirens.", ("KYIV",), None),  # too far in to be a dateline
    ],
)
def test_a_dateline_is_the_name_that_opens_a_line_before_a_dash(
    text: str, names: tuple[str, ...], expected: int | None
) -> None:
    assert dateline_mention(text, _spans(text, *names)) == expected


def test_region_key_is_the_first_level_region_a_place_lies_in_or_is() -> None:
    town = Entry("t", "Town", 1.0, 2.0, "city", "US", admin1="IL")
    state = Entry("s", "Illinois", 1.0, 2.0, "region", "US", code="IL")
    assert region_key(town) == region_key(state) == ("US", "IL")
    assert region_key(Entry("c", "Iraq", 33.0, 43.0, "country", "IQ")) is None
    assert region_key(Entry("u", "Nowhere", 1.0, 2.0, "city", "US")) is None


def test_every_reading_is_described_by_every_feature(gazetteer: Gazetteer) -> None:
    text = "SPRINGFIELD, Ill. — Flooding closed roads in Peoria, Decatur and Springfield, Illinois."
    parser = Geoparser(gazetteer, ranker=HAND)
    record: list[Rows] = []
    spans = parser.find(text)
    parser.resolve(text, spans, record=record)
    assert record and all(r.rows.shape == (len(r.entries), len(FEATURES)) for r in record)
    assert all(np.isfinite(r.rows).all() for r in record)
    springfield = [r for r in record if r.span == spans[-2]][-1]  # the last round: the dateline read
    rows = dict(zip((e.id for e in springfield.entries), springfield.rows, strict=True))
    illinois = [e for e in springfield.entries if e.country == "US" and e.admin1 == "IL"]
    others = [e for e in springfield.entries if e.admin1 != "IL"]
    assert illinois and others
    dateline_region = FEATURES.index("dateline_region")
    assert rows[illinois[0].id][dateline_region] == 1.0
    assert all(rows[e.id][dateline_region] == 0.0 for e in others)
    assert rows[illinois[0].id][FEATURES.index("region_named")] == 1.0


@given(st.lists(st.sampled_from([-4.0, 1.0, 2.0, 3.5, 7.0]), min_size=1, max_size=9), st.data())
def test_the_median_without_one_value_is_numpys(values: list[float], data: st.DataObject) -> None:
    values.sort()
    drop = data.draw(st.sampled_from(values))
    rest = list(values)
    rest.remove(drop)
    assert _median_without(values, drop) == (float(np.median(rest)) if rest else None)
    assert _median_without(values, None) == float(np.median(values))


def test_hand_scores_and_their_gaps_are_per_mention() -> None:
    rows = np.zeros((5, len(FEATURES)))
    rows[:, FEATURES.index("prior")] = (1.0, 3.0, 2.0, 5.0, 4.0)
    add_hand_scores(rows, [2, 3])
    assert rows[:, FEATURES.index("hand")].tolist() == [1.0, 3.0, 2.0, 5.0, 4.0]
    assert rows[:, FEATURES.index("hand_gap")].tolist() == [-2.0, 0.0, -3.0, 0.0, -1.0]


def test_the_hand_ranker_scores_are_the_hand_weights_sum() -> None:
    rows = np.zeros((2, len(FEATURES)))
    column = {name: k for k, name in enumerate(FEATURES)}
    rows[:, column["prior"]] = (30.0, 28.0)
    rows[:, column["kind_city"]] = (1.0, 0.0)
    rows[:, column["kind_country"]] = (0.0, 1.0)
    rows[:, column["country_share"]] = 0.5
    rows[:, column["near"]] = np.log1p(3)
    rows[:, column["cue"]] = (0.0, 6.0)
    rows[:, column["list_cue"]] = (1.0, 0.0)
    add_hand_scores(rows, [2])
    expected = [30.0 + 4.0 + 2.0 * np.log1p(3) + 1.0, 28.0 + 4.0 + 6.0]
    assert HAND.scores(rows) == pytest.approx(expected)


def test_the_shipped_model_loads_and_ranks(gazetteer: Gazetteer) -> None:
    ranker = load_ranker()
    assert ranker.booster.feature_name() == list(FEATURES)
    # A cue the model must not unlearn: the qualifier reads London, Ontario as the Canadian city.
    found = {
        t.name: t.entry for t in Geoparser(gazetteer, ranker=ranker).parse("She lives in London, Ontario.")
    }
    assert found["London"] is not None and found["London"].country == "CA"


def test_a_model_for_other_features_or_a_broken_file_is_a_clear_error(tmp_path: Path) -> None:
    data = lightgbm.Dataset(
        np.random.default_rng(0).random((50, 2)), np.arange(50) % 2, feature_name=["a", "b"]
    )
    other = lightgbm.train({"objective": "binary", "verbose": -1, "num_threads": 1}, data, num_boost_round=2)
    with pytest.raises(GeodataError, match="ranker --train"):
        LearnedRanker(other)
    broken = tmp_path / "ranker.txt"
    broken.write_text("tree\nversion=v4\nnot a model", encoding="utf-8")
    with pytest.raises(GeodataError, match=str(broken)):
        load_ranker(broken)
    assert DEFAULTS.ranker_file.is_file()


def _corpus(count: int) -> list[dict[str, Any]]:
    """Short texts about the English Washington: the hand weights, with nothing else to go
    by, take the larger American city."""
    docs = []
    for k in range(count):
        text = f"Report {k}: the market in Washington reopened."
        start = text.index("Washington")
        toponym = {"start": start, "end": start + 10, "name": "Washington", "lat": GB.lat, "lon": GB.lon}
        docs.append({"id": str(k), "text": text, "toponyms": [toponym]})
    return docs


def test_training_learns_from_the_gold_points_and_is_the_same_every_run(tiny_gazetteer: Gazetteer) -> None:
    docs = _corpus(120)
    x, y, groups = training.training_rows(tiny_gazetteer, docs)
    # One group per mention and round (a second round would choose the same: none).
    assert groups == [2] * 120 and x.shape == (240, len(FEATURES))
    assert y.reshape(-1, 2).tolist()[0] == [0.0, 1.0]  # readings by prior: the US city first, wrong
    first, second = training.train(tiny_gazetteer, docs), training.train(tiny_gazetteer, docs)
    assert first.booster.model_to_string() == second.booster.model_to_string()
    text = "Later, the market in Washington closed."
    span = [(text.index("Washington"), text.index("Washington") + 10)]
    assert Geoparser(tiny_gazetteer, ranker=HAND).resolve(text, span)[0].entry == US
    assert Geoparser(tiny_gazetteer, ranker=first).resolve(text, span)[0].entry == GB


@pytest.mark.parametrize(
    ("url", "first"),
    [
        ("https://www.chicagotribune.com/news/story.html", "chicagotribune"),
        ("http://bangordailynews.com:8080/2018/03/31/", "bangordailynews"),
        ("https://en.wikinews.org/wiki/Bird_flu", "wikinews"),
        ("ftp://news.example.net", "example"),
    ],
)
def test_home_names_are_the_beginnings_of_the_hosts_parts(url: str, first: str) -> None:
    found = home_names(url)
    assert found[0] == first and found[-1] == first[:5]
    assert all(len(a) >= len(b) >= 5 for a, b in itertools.pairwise(found))


@pytest.mark.parametrize(
    "url", [None, "", "not a url", "https://www.nola.com/x", "http://x.com", "a" * 3_000]
)
def test_an_address_that_names_no_place_gives_no_home(gazetteer: Gazetteer, url: str | None) -> None:
    assert Geoparser(gazetteer)._homes(url) == ()


def test_the_publishers_home_is_a_feature_of_every_reading(gazetteer: Gazetteer) -> None:
    parser = Geoparser(gazetteer, ranker=HAND)
    homes = parser._homes("https://www.chicagotribune.com/news/story.html")
    assert homes and homes[0].entry.name == "Chicago" and homes[0].entry.admin1 == "IL"
    text = "Storms hit Springfield and Decatur on Monday."
    record: list[Rows] = []
    parser.resolve(text, parser.find(text), url="https://www.chicagotribune.com/x", record=record)
    rows = next(r for r in record if r.span[0] == text.index("Springfield"))
    home_region = FEATURES.index("home_region")
    for entry, row in zip(rows.entries, rows.rows, strict=True):
        assert row[home_region] == float(entry.country == "US" and entry.admin1 == "IL")
    assert any(row[home_region] for row in rows.rows)
    unhomed: list[Rows] = []
    parser.resolve(text, parser.find(text), record=unhomed)
    assert all(row[FEATURES.index("log_km_home")] == -1.0 for r in unhomed for row in r.rows)
