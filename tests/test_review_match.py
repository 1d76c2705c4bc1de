"""The Review page shows what the merger found beside the draft (AppTest, headless): the proposed
event or the pending draft it reports again, side by side with it, the evidence of the match,
and for a general report the events it may cover; and the pure tables behind them."""

from __future__ import annotations

from pathlib import Path

import pytest
from dash_helpers import md_text, queue, seeded_store
from streamlit.testing.v1 import AppTest
from test_review_page import open_page, select, table

from dashboard import review_queue as rq
from geodata.geocoding import OfflineGeocoder
from geodata.store import Store, review
from geodata.store.review import QueuedDraft

ERBIL = "Rockets hit Erbil on 20 March 2020, officials said."
ERBIL_AGAIN = "Two rockets struck Erbil on 20 March 2020."
GENERAL = "Coalition troops withdrew from four bases in Iraq in March 2020."


@pytest.fixture
def store(tmp_path: Path, geocoder: OfflineGeocoder) -> Store:
    return seeded_store(tmp_path, geocoder)


def row_of(at: AppTest, draft: QueuedDraft) -> int:
    return list(table(at)["Draft"]).index(draft.id)


def frames(at: AppTest) -> list[dict[str, list[str]]]:
    """The page's tables after the queue's, as {column: values}."""
    return [
        {str(k): [str(v) for v in values] for k, values in f.value.to_dict("list").items()}
        for f in at.dataframe[1:]
    ]


def test_the_proposed_event_is_shown_beside_the_draft_with_the_evidence(store: Store) -> None:
    queue(store)
    (attack,) = [d for d in review.drafts(store) if d.event.type == "attack"]
    at = open_page(store)
    assert (
        table(at)["Proposed"]
        .iloc[row_of(at, attack)]
        .startswith("same as event attack-camp-taji-2020-03-11 (")
    )
    at = select(at, [row_of(at, attack)])
    headings = [md_text(m.value) for m in at.markdown]
    assert "Proposed: a further report of event attack-camp-taji-2020-03-11" in " ".join(headings)
    side, evidence = frames(at)[:2]
    assert side[""] == ["Type", "Title", "Date", "Place", "Actors", "Source"]
    assert side["This draft"][1] == attack.event.title
    assert side["Event attack-camp-taji-2020-03-11"][:4] == [
        "Attack",
        "Rocket attack on Camp Taji kills three coalition service members",
        "11 March 2020",
        "Camp Taji",
    ]
    values = dict(zip(evidence["Evidence"], evidence["Value"], strict=True))
    assert values["Agreed"].startswith("type, date, place")
    assert values["Days apart"] == "0" and values["Distance"] == "0 km (within 5)"
    assert values["Score"].endswith("(proposed from 0.60)")


def test_a_second_report_shows_the_pending_draft_it_reports_again(store: Store) -> None:
    queue(store, ERBIL, publisher="Kurdistan 24")
    queue(store, ERBIL_AGAIN, publisher="Rudaw")
    first, second = sorted((d for d in review.drafts(store) if d.event.type == "attack"), key=lambda d: d.id)
    assert second.duplicate_of == first.id
    at = select(open_page(store), [])
    at = select(at, [row_of(at, second)])
    text = " ".join(md_text(m.value) for m in at.markdown)
    assert f"Reports the same event as pending draft {first.id}" in text
    side = frames(at)[0]
    assert side[f"Draft {first.id}"][1] == first.event.title
    assert side[f"Draft {first.id}"][5].endswith(ERBIL)  # its source: the first article


def test_a_general_report_lists_the_events_it_may_cover(store: Store) -> None:
    queue(store, GENERAL, publisher="Analysis")
    (general,) = [d for d in review.drafts(store) if d.event.type == "base_handover"]
    assert general.match is not None and "candidate" not in general.match
    at = open_page(store)
    assert (
        table(at)["Proposed"].iloc[row_of(at, general)] == f"covers {len(general.match['related'])} event(s)"
    )
    at = select(at, [row_of(at, general)])
    (expander,) = [e for e in at.expander if "may cover" in e.label]
    covered = frames(at)[0]
    assert len(covered["Event"]) == len(general.match["related"]) >= 3
    assert set(covered["Event"]) >= {"handover-mosul-palace", "handover-qayyarah-west"}, expander


def test_a_draft_without_a_match_shows_nothing_of_it(store: Store) -> None:
    queue(store)
    (statement,) = [d for d in review.drafts(store) if d.event.type == "statement"]
    assert statement.match is None and rq.proposal(statement) == ""
    at = open_page(store)
    at = select(at, [row_of(at, statement)])
    assert not any("Proposed:" in md_text(m.value) for m in at.markdown)
    assert not [e for e in at.expander if "may cover" in e.label]
