"""Two analysts on one store, each in a browser context of their own (issue 12's acceptance): a
draft accepted on the Review page in one appears on the other's map at its next rerun, and the
same event edited in both shows the conflict to the one who saves second, nothing overwritten."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from conftest import browser_args
from playwright.sync_api import Browser, Page, expect, sync_playwright

from dashboard.screenshot import MAP_FRAME
from dashboard.serve import CHROMIUM, ROOT, running_app
from geodata.catalog import dump_catalogue, read_catalogue
from geodata.geocoding import OfflineGeocoder
from geodata.model import Event
from geodata.settings import DEFAULTS
from geodata.store import Store, default_store_url, open_store, review
from geodata.store.review import NewDraft

pytestmark = pytest.mark.browser

#: The events the store starts with (the first of the bundled catalogue).
SEEDED = 3
DRAFT_TITLE = "Rockets hit Erbil airport"
DRAFT_ID = "rockets-erbil-airport-2020-03-20"
DRAFT = f"""\
id: {DRAFT_ID}
type: attack
title: {DRAFT_TITLE}
date: {{start: 2020-03-20, precision: day}}
place: {{name: Erbil, canonical: Erbil, country: IQ, geo_precision: city}}
actors: [Kataib Hezbollah]
source:
  publisher: Kurdistan 24
  title: Rockets hit Erbil airport
  url: https://example.org/erbil
  published: 2020-03-21
  quote: Two rockets hit Erbil airport on Friday night.
"""
#: Height of a header or row in Streamlit's data grid, in CSS pixels.
ROW_PX = 35
TIMEOUT = 90_000
#: A column with no column inside (the conflict's two sides sit in the details' column).
LEAF_COLUMN = '[data-testid="stColumn"]:not(:has([data-testid="stColumn"]))'


@dataclass(frozen=True)
class Shared:
    """The server both analysts use, and the store behind it."""

    url: str
    store_url: str
    draft_id: int


def small_catalogue(folder: Path) -> Path:
    """The first events of the bundled catalogue in ``folder``."""
    catalogue = folder / "events.yaml"
    events = read_catalogue(DEFAULTS.default_catalogue).events[:SEEDED]
    assert not any("Erbil airport" in e.title for e in events)
    catalogue.write_text(dump_catalogue(events), encoding="utf-8")
    return catalogue


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory, geocoder: OfflineGeocoder) -> Iterator[Shared]:
    """A catalogue of a few events in a temporary folder, the store beside it filled from it with
    one pending draft queued, and the dashboard serving it."""
    catalogue = small_catalogue(tmp_path_factory.mktemp("team"))
    store_url = default_store_url(catalogue)
    with open_store(store_url, seed=catalogue, geocoder=geocoder) as store:
        draft = Event.model_validate(yaml.safe_load(DRAFT))
        [draft_id] = review.add_drafts(store, [NewDraft(draft, confidence=0.9)], who="drafter")
    with running_app(catalogue) as url:
        yield Shared(url, store_url, draft_id)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=browser_args())
        yield browser
        browser.close()


@pytest.fixture
def analysts(browser: Browser) -> Iterator[tuple[Page, Page]]:
    """Two browser contexts: two analysts with nothing shared but the server."""
    contexts = [browser.new_context(viewport={"width": 1400, "height": 1000}) for _ in range(2)]
    try:
        yield contexts[0].new_page(), contexts[1].new_page()
    finally:
        for context in contexts:
            context.close()


def sign_in(page: Page, name: str) -> None:
    """Give the reviewer's name in the sidebar (asked once per browser session), as soon as the
    form shows: the page may still be drawing its first run."""
    page.get_by_placeholder("Your name").fill(name)
    page.get_by_role("button", name="Start reviewing").click()
    expect(page.get_by_text(f"Changes are logged as {name}.")).to_be_visible(timeout=TIMEOUT)


def expect_every_type_chosen(page: Page) -> None:
    """The type filter shows every type in the browser, as the session holds it (a sign-in that
    cut the first run short once left it empty in the browser: the next click emptied the map)."""
    for label in ("Statement", "Warning / threat", "Air-defence deployment"):
        expect(page.get_by_role("button", name=f"Remove {label}")).to_be_visible(timeout=TIMEOUT)


def click_row(page: Page, row: int) -> None:
    """Select a row of the page's first table: its selection box, left of the first column (the
    grid is drawn on a canvas)."""
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.click(position={"x": 18, "y": ROW_PX * (row + 1) + ROW_PX / 2})
    expect(grid.locator(f'tr[aria-rowindex="{row + 2}"]')).to_have_attribute("aria-selected", "true")


def search(page: Page, text: str) -> None:
    box = page.get_by_label("Search text")
    box.fill(text)
    box.press("Enter")


def open_edit(page: Page) -> None:
    """Open the selected event's edit form (made from version 1)."""
    expect(page.locator('[data-testid="stMain"] h4')).to_have_text(DRAFT_TITLE, timeout=TIMEOUT)
    page.get_by_role("button", name="Edit", exact=True).click()
    expect(page.get_by_text("Editing version 1 of this event.")).to_be_visible(timeout=TIMEOUT)


def save_title(page: Page, title: str) -> None:
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_role("button", name="Save", exact=True).click()


def test_two_analysts_review_and_edit_one_store(shared: Shared, analysts: tuple[Page, Page]) -> None:
    ann, bob = analysts
    bob.goto(shared.url)
    sign_in(bob, "Bob")
    expect(bob.get_by_text(f"{SEEDED} of {SEEDED} events")).to_be_visible(timeout=TIMEOUT)
    expect_every_type_chosen(bob)
    accepted_by_ann_seen_by_bob(shared, ann, bob)
    edited_by_both(ann, bob)

    # Nothing was overwritten, and the change log names who did what.
    with Store.open(shared.store_url) as store:
        stored = store.get(DRAFT_ID)
        assert stored is not None
        assert (stored.version, stored.event.title) == (2, f"{DRAFT_TITLE} (checked by Ann)")
        changes = store.history(DRAFT_ID)
        assert [(c.action, c.who) for c in changes] == [("accept", "Ann"), ("edit", "Ann")]
        accepted = review.draft(store, shared.draft_id)
        assert (accepted.status, accepted.reviewer) == ("accepted", "Ann")


def accepted_by_ann_seen_by_bob(shared: Shared, ann: Page, bob: Page) -> None:
    """Ann accepts the pending draft on the Review page; Bob's next rerun (here: a filter change)
    reads the store's generation, finds it moved and reads the map's events again: the accepted
    draft is on his map, and his marker click selects it."""
    ann.goto(f"{shared.url}/review")
    sign_in(ann, "Ann")
    expect(ann.get_by_text("1 pending draft(s)", exact=False)).to_be_visible(timeout=TIMEOUT)
    click_row(ann, 0)
    ann.get_by_role("button", name="Accept selected (1)").click()
    expect(ann.get_by_text("Drafts 1 accepted.")).to_be_visible(timeout=TIMEOUT)

    search(bob, "Erbil airport")
    expect(bob.get_by_text(f"1 of {SEEDED + 1} events")).to_be_visible(timeout=TIMEOUT)
    bob.wait_for_selector(MAP_FRAME).content_frame().wait_for_function(  # type: ignore[union-attr]
        "() => window.geodataEventCount === 1", timeout=TIMEOUT
    )
    frame = bob.frame_locator(MAP_FRAME)
    marker = frame.locator(".geodata-marker")
    expect(marker).to_have_count(1, timeout=TIMEOUT)
    marker.click()
    expect(frame.locator(".leaflet-popup-content .geodata-popup h4")).to_have_text(DRAFT_TITLE)


def edited_by_both(ann: Page, bob: Page) -> None:
    """Both open the new event's edit form from version 1 (Ann moves to the map in her session:
    her name is not asked again); Ann saves first; Bob's save is refused and he sees both
    versions."""
    ann.get_by_role("link", name="Map").click()
    expect(ann.get_by_text("Changes are logged as Ann.")).to_be_visible(timeout=TIMEOUT)
    search(ann, "Erbil airport")
    expect(ann.get_by_text(f"1 of {SEEDED + 1} events")).to_be_visible(timeout=TIMEOUT)
    click_row(ann, 0)
    open_edit(ann)
    open_edit(bob)

    save_title(ann, f"{DRAFT_TITLE} (checked by Ann)")
    expect(ann.get_by_text("Saved as version 2.")).to_be_visible(timeout=TIMEOUT)
    save_title(bob, f"{DRAFT_TITLE} (checked by Bob)")
    refused = bob.get_by_text("Not saved: Ann saved version 2 of this event at", exact=False)
    expect(refused).to_be_visible(timeout=TIMEOUT)
    expect(bob.get_by_text("while you were editing version 1", exact=False)).to_be_visible()
    mine = bob.locator(LEAF_COLUMN, has=bob.get_by_text("Your edit (not saved)", exact=True))
    theirs = bob.locator(LEAF_COLUMN, has=bob.get_by_text("In the store now (version 2)", exact=True))
    expect(mine.locator("td", has_text="(checked by Bob)")).to_have_count(1, timeout=TIMEOUT)
    expect(theirs.locator("td", has_text="(checked by Ann)")).to_have_count(1, timeout=TIMEOUT)


#: The dashboard with the first "Event types" filter held up after Streamlit registered it and
#: before it is sent to the browser (a click arriving then cuts the run short right there).
HELD_UP_APP = """
import runpy, time
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

real = DeltaGenerator.__dict__.get("real_enqueue", DeltaGenerator._enqueue)
DeltaGenerator.real_enqueue = real

def held_up(self, delta_type, element_proto, *args, **kwargs):
    if getattr(element_proto, "label", "") == "Event types" and not st.session_state.get("held_up"):
        st.session_state["held_up"] = True
        time.sleep(4)
    return real(self, delta_type, element_proto, *args, **kwargs)

DeltaGenerator._enqueue = held_up
runpy.run_path(APP, run_name="__main__")
"""


def test_a_name_given_while_the_page_loads_keeps_the_filters(browser: Browser, tmp_path: Path) -> None:
    script = tmp_path / "held_up_app.py"
    script.write_text(HELD_UP_APP.replace("APP", repr(str(ROOT / "dashboard" / "app.py"))), encoding="utf-8")
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        with running_app(small_catalogue(tmp_path), script=script) as url:
            page = context.new_page()
            page.goto(url)
            sign_in(page, "Bob")  # while the first run is held up before the type filter
            expect_every_type_chosen(page)
            search(page, "CENTCOM")
            expect(page.get_by_text(f"1 of {SEEDED} events")).to_be_visible(timeout=TIMEOUT)
    finally:
        context.close()
