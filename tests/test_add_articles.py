"""Several files at once on the "Add an article" page (headless, AppTest): each read, drafted and
queued as one article is, each article once, problems listed per file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import ARTICLE
from dash_helpers import md_text, seeded_store, sign_in
from sqlalchemy import select
from streamlit.testing.v1 import AppTest
from test_ingest_sources import PAGE, RSS

from dashboard.add_articles import files_table
from geodata.geocoding import OfflineGeocoder
from geodata.ingest.run import Summary, Tally
from geodata.store import Store, review
from geodata.store.schema import ArticleRow, ChangeRow

TAJI = (
    "Rockets struck Camp Taji on 11 March 2020, killing three coalition soldiers, officials said.\n\n"
    "A Patriot battery was delivered to Ain al-Asad air base last week."
)
WIRE = "".join(
    json.dumps(d) + "\n"
    for d in (
        {"id": "1", "title": "Taji", "published": "2020-04-02", "text": TAJI},
        {"id": "2", "text": "no date"},
        {"id": "3", "published": "2020-04-03", "text": "A drone struck a convoy near Erbil on Friday."},
    )
)
HOSTILE_NAME = "<img src=x onerror=alert(1)> **b**.html"
FILES = [
    ("founding.md", ARTICLE.read_bytes(), "text/markdown"),
    ("page.html", PAGE.encode(), "text/html"),
    ("wire.jsonl", WIRE.encode(), "application/jsonl"),
    ("feed.rss", RSS.encode(), "application/rss+xml"),
    (HOSTILE_NAME, bytes(range(256)) * 10, "text/html"),
]


def page_script(url: str) -> None:
    from dashboard.add_article import page
    from geodata.geocoding import default_geocoder
    from geodata.store import Store

    store = Store.open(url)
    page(store, default_geocoder())


@pytest.fixture
def store(tmp_path: Path, geocoder: OfflineGeocoder) -> Store:
    return seeded_store(tmp_path, geocoder)


def uploaded(
    store: Store, files: list[tuple[str, bytes, str]], *, who: str | None = "Ann Analyst"
) -> AppTest:
    at = AppTest.from_function(page_script, args=(store.url,), default_timeout=180)
    at.run()
    if who is not None:
        at = sign_in(at, who)
    at.file_uploader[0].set_value(files).run()
    assert not at.exception, at.exception
    return at


def queue_button(at: AppTest) -> Any:
    [found] = [b for b in at.button if b.label.startswith("Queue the drafts of ")]
    return found


def test_several_files_are_each_queued_with_problems_per_file(store: Store) -> None:
    events = store.count()
    at = uploaded(store, FILES)
    assert not at.text_area  # no paste box, no single-article table: the files go in whole
    button = queue_button(at)
    assert button.label == "Queue the drafts of 5 file(s)"
    button.click().run()
    assert not at.exception, at.exception

    table = at.dataframe[0].value
    assert list(table["File"]) == [name for name, _, _ in FILES]
    assert list(table["Articles"]) == [1, 1, 2, 2, 0]
    # The feed's first item has the page's address: the same article, stored once.
    assert list(table["New"]) == [1, 1, 2, 1, 0]
    assert list(table["Already stored"]) == [0, 0, 0, 1, 0]
    assert list(table["Problems"]) == [0, 0, 1, 0, 1]
    drafts = review.drafts(store)
    assert len(drafts) == int(table["Drafts queued"].sum()) > 0
    [success] = [md_text(s.value) for s in at.success]
    skipped = "1 article(s) already in the store were skipped."
    assert success == f"Queued {len(drafts)} draft(s) from 5 new article(s); {skipped}"
    titles = [md_text(e.value) for e in at.error]
    assert titles == ["wire.jsonl: 1 problem(s), left out", f"{HOSTILE_NAME}: 1 problem(s), left out"]
    lines = [c.value for c in at.code]
    assert lines[0].startswith("wire.jsonl:2: field 'published': no publication date")
    assert lines[1].startswith(f"{HOSTILE_NAME}: no article text found")
    # Drafts reporting a catalogue event again are proposed as further sources of it.
    assert "attack-camp-taji-2020-03-11" in {d.merge_target for d in drafts}
    assert int(table["Merges proposed"].sum()) == sum(d.merge_target is not None for d in drafts)
    with store.reading() as session:
        assert len(session.scalars(select(ArticleRow.id)).all()) == 5
        assert set(session.scalars(select(ChangeRow.who).where(ChangeRow.action == "draft"))) == {
            "Ann Analyst"
        }
    assert store.count() == events  # pending drafts are not events

    # The same files again: every article is skipped, nothing is queued twice.
    queue_button(at).click().run()
    assert not at.exception, at.exception
    assert [md_text(w.value) for w in at.warning] == [
        "Queued 0 draft(s) from 0 new article(s); 6 article(s) already in the store were skipped."
    ]
    assert len(review.drafts(store)) == len(drafts)


def test_queueing_several_files_waits_for_the_reviewers_name(store: Store) -> None:
    at = uploaded(store, FILES[:2], who=None)
    assert queue_button(at).disabled
    assert review.drafts(store) == []


def test_one_markdown_file_is_still_drafted_and_edited_alone(store: Store) -> None:
    at = uploaded(store, FILES[:1])
    assert not [b for b in at.button if b.label.startswith("Queue the drafts of ")]
    assert [b.label for b in at.button if b.label == "Draft events"] == ["Draft events"]
    # One feed or JSON Lines file holds several articles: queued whole.
    at = uploaded(store, FILES[3:4])
    assert queue_button(at).label == "Queue the drafts of 1 file(s)"


def test_files_table_is_one_row_per_file() -> None:
    summary = Summary(by_file={"a.md": Tally(read=1, new=1, drafts=3), "b.rss": Tally(problems=2)})
    table = files_table(summary)
    assert table.to_dict("records") == [
        {"File": "a.md", "Articles": 1, "New": 1, "Already stored": 0, "Drafts queued": 3,
         "Merges proposed": 0, "Problems": 0},
        {"File": "b.rss", "Articles": 0, "New": 0, "Already stored": 0, "Drafts queued": 0,
         "Merges proposed": 0, "Problems": 2},
    ]  # fmt: skip
