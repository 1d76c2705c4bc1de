"""The drafting dev set loads and holds together, and its scorer counts what it says it counts."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from benchmarks.drafting import Results, render, run
from benchmarks.draftscore import (
    FOUNDING,
    FOUNDING_EVENTS,
    HasEvent,
    founding_check,
    match_draft,
    merge_score,
)
from benchmarks.goldset import DEVSET_DIR, DevSet, DevSetError, GoldEvent, load_devset, normalise
from geodata.extract.drafts import DraftedEvent
from geodata.gazetteer import Gazetteer
from geodata.model import DateSpan, Event, Place, Source
from geodata.taxonomy import EVENT_TYPES

REPO = Path(__file__).resolve().parent.parent
SEED_ARTICLE = REPO / "geodata" / "data" / "articles" / "thenational-2020-04-02-air-defences-iraq.md"


@pytest.fixture(scope="module")
def devset() -> DevSet:
    return load_devset()


def test_the_dev_set_has_enough_reports_and_keeps_the_founding_article_unchanged(devset: DevSet) -> None:
    assert len(devset.reports) >= 18
    founding = devset.reports[FOUNDING]
    assert founding.meta.written == "founding article"
    seed = SEED_ARTICLE.read_text(encoding="utf-8")
    assert founding.text == seed.split("\n---\n", 1)[1]  # the text after the front matter, as published
    for report in devset.reports.values():
        if report.meta.written == "paraphrase":
            assert 150 <= report.words <= 600, report.name
        if report.meta.written == "public domain":
            assert report.meta.url, report.name


def test_every_gold_event_is_sourced_typed_dated_and_placed(devset: DevSet) -> None:
    assert len(devset.events) >= 30
    for event in devset.events:
        assert event.sources and all(s.startswith(("http://", "https://")) for s in event.sources), event.id
        assert event.type in EVENT_TYPES, event.id
        assert event.start <= event.end, event.id
        for point in event.points():
            assert -90 <= point.lat <= 90 and -180 <= point.lon <= 180, event.id
            assert point.coordinate_source.startswith(("gazetteer:", "http")), event.id


def test_every_quote_is_in_its_report(devset: DevSet) -> None:
    for event in devset.events:
        for mention in event.mentions:
            text = normalise(devset.reports[mention.report].text)
            for passage in mention.passages:
                assert normalise(passage) in text, (event.id, mention.report, passage)


def test_several_events_are_reported_by_several_reports(devset: DevSet) -> None:
    shared = devset.shared_events()
    assert len(shared) >= 5
    assert len({e.id for e in shared if len({m.report for m in e.mentions}) >= 3}) >= 3


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "devset"
    shutil.copytree(DEVSET_DIR, target)
    return target


def test_a_broken_gold_file_is_reported_with_file_event_and_field(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    gold = folder / "gold.yaml"
    text = gold.read_text(encoding="utf-8")
    text = text.replace("type: base_handover", "type: handover", 1)
    text = text.replace("report: 02-centcom-coalition-casualties-taji", "report: 99-missing", 1)
    text = text.replace("quote: Yesterday's attack on Camp Taji", "quote: Yesterday's raid on Camp Taji", 1)
    gold.write_text(text, encoding="utf-8")
    with pytest.raises(DevSetError) as caught:
        load_devset(folder)
    message = str(caught.value)
    assert "3 problem(s)" in message
    assert "'handover' is not an event type" in message and "field 'type'" in message
    assert "event 'taji-rocket-attack-2020-03-11', field 'mentions[1].report'" in message
    assert "field 'mentions[2].quote'" in message and "gold.yaml:" in message


def test_a_report_without_based_on_is_reported(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    path = folder / "reports" / "04-wire-taji-rockets-kill-three.md"
    path.write_text(path.read_text(encoding="utf-8").replace("based_on:", "sources:", 1), encoding="utf-8")
    with pytest.raises(DevSetError, match=r"04-wire-taji-rockets-kill-three\.md.*based_on"):
        load_devset(folder)


def _draft(
    gold: GoldEvent,
    *,
    kind: str | None = None,
    start: dt.date | None = None,
    lat_shift: float = 0.0,
    precision: str = "day",
) -> DraftedEvent:
    point = gold.place
    event = Event(
        id=f"d-{gold.id}",
        type=kind or gold.type,
        title=gold.title,
        date=DateSpan(start=start or gold.start, end=start or gold.end, precision=precision),  # type: ignore[arg-type]
        place=Place(
            name=point.name,
            lat=point.lat + lat_shift,
            lon=point.lon,
            geo_precision=point.precision or "facility",
            coordinate_source="test",
        ),
        source=Source(publisher="test", title="test", quote=gold.title),
    )
    return DraftedEvent(event, 1.0, [], "main")


def _explicit(place: Place) -> tuple[float, float] | None:
    return (place.lat, place.lon) if place.lat is not None and place.lon is not None else None


def _oracle(devset: DevSet, raw: str, name: str) -> list[DraftedEvent]:
    return [_draft(event) for event, _ in devset.gold_for(name)]


def _same_gold(a: HasEvent, b: HasEvent) -> bool:
    return a.event.id == b.event.id


def test_drafts_made_from_the_gold_score_perfectly(devset: DevSet) -> None:
    results: Results = run(
        devset, draft=lambda raw, name: _oracle(devset, raw, name), linked=_same_gold, locate=_explicit
    )
    from benchmarks.draftscore import totals

    total = totals(results.scores)
    assert (total.recall, total.precision, total.drafts_per_matched) == (1.0, 1.0, 1.0)
    assert all(row.found for row in results.founding)
    assert results.merge.same > 0 and results.merge.recall == 1.0 and results.merge.precision == 1.0
    assert "| **all 21 reports** |" in render(results)


def test_never_linking_scores_no_merge(devset: DevSet) -> None:
    matched = [(m.report, _draft(e), e.id) for e in devset.shared_events() for m in e.mentions]
    score = merge_score(matched)
    assert score.same > 0 and score.same_linked == 0 and score.recall == 0.0


def test_a_draft_matches_only_with_the_right_type_date_and_place(devset: DevSet) -> None:
    gold = next(e for e in devset.events if e.id == "taji-rocket-attack-2020-03-11")
    mentions = devset.gold_for("04-wire-taji-rockets-kill-three")
    assert match_draft(_draft(gold).event, mentions, _explicit) is not None
    assert match_draft(_draft(gold, kind="base_handover").event, mentions, _explicit) is None
    assert match_draft(_draft(gold, start=dt.date(2020, 3, 20)).event, mentions, _explicit) is None
    assert match_draft(_draft(gold, lat_shift=0.3).event, mentions, _explicit) is None  # about 33 km off
    assert match_draft(_draft(gold, lat_shift=0.2).event, mentions, _explicit) is not None  # about 22 km
    unknown = _draft(gold, precision="unknown").event
    assert match_draft(unknown, mentions, _explicit) is None
    assert match_draft(unknown, mentions, _explicit, unknown_dates_match=True) is not None


def test_the_founding_check_wants_the_articles_dates(devset: DevSet) -> None:
    drafts = _oracle(devset, "", FOUNDING)
    assert all(row.found for row in founding_check(drafts, devset, _explicit))
    vague = [_draft(e, precision="unknown") for e, _ in devset.gold_for(FOUNDING)]
    rows = {row.event_id: row.found for row in founding_check(vague, devset, _explicit)}
    # only the events the article gives no date for pass with an unknown date
    assert rows == {event_id: not dated for event_id, dated in FOUNDING_EVENTS.items()}


def test_gold_points_taken_from_the_gazetteer_are_its_points(devset: DevSet, gazetteer: Gazetteer) -> None:
    for event in devset.events:
        for point in event.points():
            if not point.coordinate_source.startswith("gazetteer:"):
                continue
            name = point.coordinate_source.removeprefix("gazetteer:")
            small = gazetteer.small_towns()  # Barvinkove is a town of under 15,000 people
            found = gazetteer.exact_matches(name) + (small.exact_matches(name) if small else [])
            entries = [e for e in found if e.name == name]
            assert any(abs(e.lat - point.lat) < 1e-4 and abs(e.lon - point.lon) < 1e-4 for e in entries), (
                event.id,
                name,
            )
