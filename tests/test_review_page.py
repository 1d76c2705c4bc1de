"""The Review page headless (AppTest): the queue by confidence, its filters, the reviewer's name
before any write, accept / edit then accept / reject / merge, one by one and in bulk."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from dash_helpers import md_text, queue, seeded_store, sign_in
from streamlit.testing.v1 import AppTest

from dashboard import reviewer
from geodata.geocoding import OfflineGeocoder
from geodata.store import Store, review
from geodata.store.review import QueuedDraft


def review_script(url: str) -> None:
    from dashboard import review_page
    from geodata.geocoding import default_geocoder
    from geodata.store import Store

    store = Store.open(url)
    review_page.page(store, default_geocoder(), frame=store.frame)


@pytest.fixture
def store(tmp_path: Path, geocoder: OfflineGeocoder) -> Store:
    return seeded_store(tmp_path, geocoder)


@pytest.fixture
def queued(store: Store) -> list[QueuedDraft]:
    queue(store)
    return review.drafts(store)


def open_page(store: Store, name: str | None = "Ann Analyst") -> AppTest:
    at = AppTest.from_function(review_script, args=(store.url,), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return sign_in(at, name) if name else at


def select(at: AppTest, rows: list[int]) -> AppTest:
    """Select rows of the drafts table, as a click on their boxes does."""
    at.session_state[f"review_table_{at.session_state['review_round']}"] = {
        "selection": {"rows": rows, "columns": []}
    }
    at.run()
    assert not at.exception, at.exception
    return at


def table(at: AppTest) -> Any:
    return at.dataframe[0].value


def button(at: AppTest, label: str) -> Any:
    found = [b for b in at.button if b.label.startswith(label)]
    assert len(found) == 1, [b.label for b in at.button]
    return found[0]


def flash(at: AppTest) -> list[str]:
    return [md_text(s.value) for s in at.success]


def test_pending_drafts_are_listed_by_confidence(store: Store, queued: list[QueuedDraft]) -> None:
    at = open_page(store)
    shown = table(at)
    assert list(shown["Draft"]) == [d.id for d in queued]
    assert list(shown["Confidence"]) == sorted(shown["Confidence"], reverse=True)
    # The statement's date was not read from the text: it is the least confident.
    assert shown["Type"].iloc[-1] == "Statement" and shown["Confidence"].iloc[-1] == 0.5
    # The attack and the Patriot delivery are reported in the bundled catalogue already.
    assert sorted(t for t in shown["Merge into"] if t) == [
        "attack-camp-taji-2020-03-11",
        "patriot-ain-al-asad",
    ]
    assert at.caption[0].value.startswith("3 pending draft(s)")


def test_every_write_waits_for_the_reviewers_name(store: Store, queued: list[QueuedDraft]) -> None:
    at = select(open_page(store, name=None), [0])
    assert [i.value for i in at.info] == [reviewer.ASK_FIRST]
    for label in ("Accept selected", "Reject selected", "Accept the edited draft", "Merge into this event"):
        assert button(at, label).disabled, label
    # A blank name is not a name.
    at.text_input(key="reviewer_input").set_value("  \t ")
    button(at, "Start reviewing").click().run()
    assert [w.value for w in at.warning] == ["A name is needed: say who makes the changes."]
    at = sign_in(at, "  Ann\x07  Analyst\n")
    assert at.session_state["reviewer"] == "Ann Analyst"
    at = select(at, [0])
    assert not button(at, "Accept selected").disabled
    button(at, "Accept selected").click().run()
    merged = review.draft(store, queued[0].id)
    assert (merged.status, merged.reviewer) == ("merged", "Ann Analyst")
    assert store.history(str(merged.event_id))[-1].who == "Ann Analyst"
    # Asked once per session: the next run still knows it, and it can be changed.
    at.run()
    assert at.session_state["reviewer"] == "Ann Analyst"
    button(at, "Change name").click().run()
    assert "reviewer" not in at.session_state


def test_accept_selected_makes_events_and_merges_the_proposed(
    store: Store, queued: list[QueuedDraft]
) -> None:
    before = store.count()
    patriot, attack, statement = queued
    target = store.get("patriot-ain-al-asad")
    assert target is not None
    at = select(open_page(store), [0, 2])  # the Patriot delivery (a merge proposed) and the statement
    assert button(at, "Accept selected").label == "Accept selected (2)"
    button(at, "Accept selected").click().run()
    assert flash(at) == ["Drafts 1 accepted, 1 merged."]
    assert store.count() == before + 1
    made = review.draft(store, statement.id)
    assert made.status == "accepted" and made.event_id is not None
    event = store.get(made.event_id)
    assert event is not None and event.event.title == statement.event.title
    assert [(c.action, c.who) for c in store.history(made.event_id)] == [("accept", "Ann Analyst")]
    grown = store.get("patriot-ain-al-asad")
    assert grown is not None and grown.version == target.version + 1
    assert grown.event.references[-1].quote == patriot.event.source.quote
    assert store.history("patriot-ain-al-asad")[-1].action == "merge"
    # The queue now holds the one left, and the selection is cleared.
    assert list(table(at)["Draft"]) == [attack.id]
    assert not [b for b in at.button if b.label.startswith("Accept selected")]


def test_reject_needs_a_reason_and_the_draft_is_kept(store: Store, queued: list[QueuedDraft]) -> None:
    at = select(open_page(store), [2])
    button(at, "Reject selected").click().run()
    assert [w.value for w in at.warning] == ["Say why: a rejected draft is kept with its reason."]
    assert review.draft(store, queued[2].id).status == "pending"
    at.text_input(key="review_reason").set_value("not an event: a quote of officials")
    button(at, "Reject selected").click().run()
    assert flash(at) == ["Drafts 1 rejected."]
    kept = review.draft(store, queued[2].id)
    assert (kept.status, kept.reason, kept.reviewer) == (
        "rejected",
        "not an event: a quote of officials",
        "Ann Analyst",
    )
    assert list(table(at)["Draft"]) == [queued[0].id, queued[1].id]
    assert len(at.dataframe) == 1
    at.toggle(key="review_show_rejected").set_value(True).run()
    rejected = at.dataframe[1].value
    assert list(rejected["Draft"]) == [queued[2].id]
    assert list(rejected["Reason"]) == ["not an event: a quote of officials"]
    assert list(rejected["Rejected by"]) == ["Ann Analyst"]


def test_edit_then_accept(store: Store, queued: list[QueuedDraft]) -> None:
    statement = queued[2]
    at = select(open_page(store), [2])
    key = f"review_edit_{statement.id}_{statement.version}"
    at.text_input(key=f"{key}_title").set_value("Officials speak of the Camp Taji attack")
    at.date_input(key=f"{key}_date_start").set_value(dt.date(2020, 3, 11))
    at.date_input(key=f"{key}_date_end").set_value(dt.date(2020, 3, 11))
    at.selectbox(key=f"{key}_date_precision").set_value("day")
    at.text_input(key=f"{key}_actors").set_value("US Army, Kataib Hezbollah")
    button(at, "Accept the edited draft").click().run()
    assert not at.exception, at.exception
    event_id = review.draft(store, statement.id).event_id
    assert event_id is not None and flash(at) == [f"Accepted as event {event_id}."]
    stored = store.get(event_id)
    assert stored is not None
    assert stored.event.title == "Officials speak of the Camp Taji attack"
    assert (stored.event.date.start, stored.event.date.precision) == (dt.date(2020, 3, 11), "day")
    assert stored.event.actors == ["US Army", "Kataib Hezbollah"]
    assert stored.event.source == statement.event.source  # the quote and its article are kept


def test_an_invalid_edit_is_listed_and_nothing_accepted(store: Store, queued: list[QueuedDraft]) -> None:
    statement = queued[2]
    at = select(open_page(store), [2])
    key = f"review_edit_{statement.id}_{statement.version}"
    at.text_input(key=f"{key}_country").set_value("Iraq")
    button(at, "Accept the edited draft").click().run()
    assert not at.exception, at.exception
    assert [md_text(e.value) for e in at.error] == ["Some edits are not valid:"]
    assert "place.country" in at.code[0].value
    assert review.draft(store, statement.id).status == "pending"


def test_merge_into_a_picked_event_nearest_first(store: Store, queued: list[QueuedDraft]) -> None:
    statement = queued[2]  # at Camp Taji, no merge proposed
    at = select(open_page(store), [2])
    picker = at.selectbox(key=f"review_target_{statement.id}")
    frame = store.frame()
    nearest = picker.options[:2]
    # The two Camp Taji attacks come first (the same place), then events farther away.
    assert all("Camp Taji" in option for option in nearest), picker.options[:4]
    target = "attack-camp-taji-2020-03-14"
    assert any(f"({target})" in o for o in picker.options)
    picker.set_value(target).run()
    before = store.get(target)
    assert before is not None
    button(at, "Merge into this event").click().run()
    assert flash(at) == [f"Merged into event {target}."]
    after = store.get(target)
    assert after is not None and after.version == before.version + 1
    assert after.event.references[-1].quote == statement.event.source.quote
    assert review.draft(store, statement.id).status == "merged"
    assert len(store.frame()) == len(frame)


def test_the_proposed_target_is_offered_first(store: Store, queued: list[QueuedDraft]) -> None:
    attack = queued[1]
    at = select(open_page(store), [1])
    picker = at.selectbox(key=f"review_target_{attack.id}")
    assert picker.value == "attack-camp-taji-2020-03-11"
    assert picker.options[0].startswith("(proposed) ")


def test_filters_by_article_type_and_place(store: Store, queued: list[QueuedDraft]) -> None:
    queue(store, "Rockets hit Erbil on 20 March 2020, officials said.", publisher="Kurdistan 24")
    at = open_page(store)
    assert len(table(at)) == 5
    articles = at.selectbox(key="review_article")
    erbil = next(o for o in articles.options if o.startswith("Kurdistan 24"))
    articles.set_value(
        next(i for i in review.drafts(store) if "Erbil" in i.event.place.name).article_id
    ).run()
    assert articles.value is not None and at.selectbox(key="review_article").value is not None
    assert set(table(at)["Place"]) == {"Erbil"}, erbil
    at.selectbox(key="review_article").set_value(None).run()
    at.multiselect(key="review_types").set_value(["attack"]).run()
    assert set(table(at)["Type"]) == {"Attack"} and len(table(at)) == 2
    at.multiselect(key="review_places").set_value(["Camp Taji"]).run()
    assert list(table(at)["Draft"]) == [queued[1].id]


def test_a_draft_reviewed_meanwhile_is_not_reviewed_twice(
    store: Store, queued: list[QueuedDraft], geocoder: OfflineGeocoder
) -> None:
    statement = queued[2]
    at = select(open_page(store), [2])
    review.accept(store, statement.id, who="Bob", geocoder=geocoder)  # another browser, meanwhile
    count = store.count()
    button(at, "Accept selected").click().run()
    assert not at.exception, at.exception
    [message] = flash(at)
    assert message.startswith(f"No draft was reviewed. 1 not: draft {statement.id} ")
    assert "accepted by Bob meanwhile" in message
    assert store.count() == count


def test_hostile_text_on_the_review_page_is_escaped(store: Store) -> None:
    payload = "<img src=x onerror=alert(1)> [x](javascript:alert(1)) **b** $x$ `c`"
    queue(store, f"Rockets struck Camp Taji on 11 March 2020. {payload}", publisher=payload)
    name = "<script>alert('who')</script> *Ann*"
    at = select(open_page(store, name=name), [0])
    shown = [m.value for m in at.markdown] + [c.value for c in at.caption]
    assert any(payload in md_text(v) for v in shown), shown
    assert any(f"Changes are logged as **{name}**." == md_text(v) for v in shown)
    for value in shown:
        assert unescaped(value) == [], value


def unescaped(markdown: str) -> list[str]:
    """Markdown's special characters left unescaped, the page's own markup (a quote's "> ", a
    heading's "#### ", bold labels) aside."""
    text = re.sub(r"^(> |#### )", "", markdown).replace("**", "")
    return re.findall(r"(?<!\\)[<>\[\]`*$]", re.sub(r"\\\\", "", text))


def test_a_selected_row_stays_the_draft_seen_when_others_review_meanwhile(
    store: Store, queued: list[QueuedDraft], geocoder: OfflineGeocoder
) -> None:
    patriot, attack, statement = queued
    at = select(open_page(store), [1])  # the attack
    review.reject(store, patriot.id, who="Bob", reason="seen")  # the row above it leaves the queue
    button(at, "Accept selected").click().run()
    assert flash(at) == ["Drafts 1 merged."]
    assert review.draft(store, attack.id).status == "merged"
    assert review.draft(store, statement.id).status == "pending"
    assert list(table(at)["Draft"]) == [statement.id]  # a new round lists the queue as it is
