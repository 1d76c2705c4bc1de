"""The dashboard in a real browser: Debian's Chromium driven by Playwright, no internet."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, Frame, Page, expect, sync_playwright

from dashboard.screenshot import MAP_FRAME, take_screenshot
from dashboard.serve import CHROMIUM, CHROMIUM_ARGS, running_app
from geodata.frame import filter_events, load_frame
from geodata.geocoding import OfflineGeocoder
from geodata.settings import DEFAULTS

pytestmark = pytest.mark.browser

# Counts the events a map shows: markers drawn alone plus the numbers on clusters.
COUNT_JS = """() => {
  const single = document.querySelectorAll('.leaflet-marker-icon.geodata-marker').length;
  let clustered = 0;
  document.querySelectorAll('.marker-cluster span').forEach(s => clustered += parseInt(s.textContent, 10));
  return single + clustered;
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def app_url() -> Iterator[str]:
    with running_app() as url:
        yield url


@pytest.fixture(scope="module")
def bundled(geocoder: OfflineGeocoder) -> Any:
    return load_frame(DEFAULTS.default_catalogue, geocoder=geocoder)


class Session:
    """A page, with every request it makes and every dialog that tries to open."""

    def __init__(self, browser: Browser) -> None:
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        self.page: Page = self.context.new_page()
        self.requests: list[str] = []
        self.failed: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("requestfailed", lambda r: self.failed.append(r.url))
        self.page.on("dialog", self._dialog)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def map_frame(self) -> Frame:
        handle = self.page.wait_for_selector(MAP_FRAME, timeout=90_000)
        frame = handle.content_frame()
        assert frame is not None
        return frame

    def wait_for_map_count(self, expected: int) -> None:
        self.map_frame().wait_for_function(f"({COUNT_JS})() === {expected}", timeout=60_000)

    def expect_counts(self, shown: int, total: int, *, all_in_view: bool = True) -> None:
        """The count line, the map and the table agree on ``shown`` events.

        Leaflet.markercluster draws only what is in view, so when zoomed in the map is checked
        through the number of events its layer was given instead of what is drawn.
        """
        expect(self.page.get_by_text(f"{shown} of {total} events")).to_be_visible(timeout=60_000)
        if all_in_view:
            self.wait_for_map_count(shown)
        else:
            self.map_frame().wait_for_function(f"() => window.geodataEventCount === {shown}")
        grid = self.page.locator('[data-testid="stDataFrame"] table[role="grid"]')
        expect(grid).to_have_attribute("aria-rowcount", str(shown + 1), timeout=30_000)  # + header

    def hosts(self) -> set[str]:
        web = ("http", "https", "ws", "wss")
        return {urlparse(u).netloc for u in self.requests if urlparse(u).scheme in web}

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def session(browser: Browser) -> Iterator[Session]:
    s = Session(browser)
    yield s
    s.close()


def test_full_session_filters_popup_download_offline(
    session: Session, app_url: str, bundled: Any, tmp_path: Path
) -> None:
    page, total = session.page, len(bundled)
    page.goto(app_url)
    session.expect_counts(total, total)

    # Deselect a type.
    page.get_by_role("button", name="Remove Attack").click()
    no_attacks = [t for t in bundled["type"].unique() if t != "attack"]
    session.expect_counts(len(filter_events(bundled, types=no_attacks)), total)

    # Narrow the timeline: the start thumb moves one day per arrow key.
    start_thumb = page.locator('input[aria-label="Timeline — start"]')
    start_thumb.focus()
    for _ in range(14):
        start_thumb.press("ArrowRight")
    expect(start_thumb).to_have_attribute("aria-valuetext", "24 Mar 2020", timeout=30_000)
    narrowed = filter_events(bundled, types=no_attacks, start=dt.date(2020, 3, 24), end=dt.date(2020, 4, 2))
    assert 0 < len(narrowed) < total
    session.expect_counts(len(narrowed), total)

    # Search, then click a marker: its popup shows the title and the quote; details follow.
    page.get_by_role("button", name="Reset filters").click()
    session.expect_counts(total, total)
    search = page.get_by_label("Search text")
    search.fill("Patriot")
    search.press("Enter")
    patriots = filter_events(bundled, text="Patriot")
    session.expect_counts(len(patriots), total)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".geodata-marker").first.click()
    popup = frame.locator(".leaflet-popup-content .geodata-popup")
    expect(popup).to_be_visible()
    popup_id = popup.locator(".geodata-id").inner_text()
    event = patriots.loc[popup_id]
    expect(popup.locator("h4")).to_have_text(event["title"])
    expect(popup.locator(".geodata-quote")).to_have_text(" ".join(event["source_quote"].split()))
    expect(page.get_by_role("heading", name=event["title"])).to_be_visible(timeout=30_000)

    # Download exactly what is shown.
    with page.expect_download() as info:
        page.get_by_role("button", name="Download GeoJSON").click()
    path = tmp_path / "download.geojson"
    info.value.save_as(path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    assert sorted(f["id"] for f in doc["features"]) == sorted(patriots["id"])
    for feature in doc["features"]:
        row = patriots.loc[feature["id"]]
        assert feature["geometry"]["coordinates"] == [round(row["lon"], 7), round(row["lat"], 7)]

    # Nothing left this machine, nothing failed to load.
    assert session.hosts() == {urlparse(app_url).netloc}, session.hosts()
    assert not [u for u in session.failed if "/component/" in u], session.failed
    assert session.dialogs == []


def test_share_link_restores_filters(session: Session, app_url: str, bundled: Any) -> None:
    page = session.page
    page.goto(f"{app_url}/?types=attack,base_handover&start=2020-03-12&end=2020-03-28")
    expected = filter_events(
        bundled, types=["attack", "base_handover"], start=dt.date(2020, 3, 12), end=dt.date(2020, 3, 28)
    )
    session.expect_counts(len(expected), len(bundled))
    expect(page.get_by_role("button", name="Remove Attack")).to_be_visible()
    expect(page.get_by_role("button", name="Remove Statement")).to_have_count(0)
    start_thumb = page.locator('input[aria-label="Timeline — start"]')
    expect(start_thumb).to_have_attribute("aria-valuetext", "12 Mar 2020")
    assert session.hosts() == {urlparse(app_url).netloc}


def test_invalid_upload_keeps_the_catalogue(
    session: Session, app_url: str, bundled: Any, tmp_path: Path
) -> None:
    page = session.page
    page.goto(app_url)
    session.expect_counts(len(bundled), len(bundled))
    bad = tmp_path / "bad.yaml"
    bad.write_text("- id: x\n  type: nope\n", encoding="utf-8")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(bad))
    expect(page.get_by_text("bad.yaml was not loaded; the current catalogue is kept.")).to_be_visible(
        timeout=60_000
    )
    expect(page.get_by_text("unknown type 'nope'", exact=False)).to_be_visible()
    session.expect_counts(len(bundled), len(bundled))


PAYLOADS = {
    "script": '<script>alert("xss-script")</script>',
    "img": '<img src=x onerror=alert("xss-img")>',
    "svg": '"><svg onload=alert("xss-svg")>',
    "template": '`${alert("xss-template")}` \\ $',
}

HOSTILE = f"""\
- id: hostile-one
  type: attack
  title: {json.dumps(PAYLOADS["script"])}
  summary: {json.dumps(PAYLOADS["img"])}
  date: 2020-03-11
  place: {{name: {json.dumps(PAYLOADS["svg"])}, canonical: Camp Taji, country: IQ, geo_precision: facility}}
  actors: [{json.dumps(PAYLOADS["template"])}, {json.dumps(PAYLOADS["img"])}]
  source:
    publisher: {json.dumps(PAYLOADS["svg"])}
    title: {json.dumps(PAYLOADS["template"])}
    url: "javascript:alert('xss-url')"
    quote: {json.dumps(PAYLOADS["script"] + " " + PAYLOADS["template"])}
- id: hostile-two
  type: statement
  title: {json.dumps(PAYLOADS["template"])}
  summary: {json.dumps(PAYLOADS["svg"])}
  date: 2020-03-12
  place: {{name: Erbil, geo_precision: city}}
  said_at: {{name: {json.dumps(PAYLOADS["img"])}, canonical: Washington, country: US, geo_precision: city}}
  inference: {json.dumps(PAYLOADS["script"])}
  source: {{publisher: {json.dumps(PAYLOADS["img"])}, title: T, url: "JaVaScRiPt:alert(1)", quote: q}}
"""


def test_hostile_text_is_shown_as_text(browser: Browser, tmp_path: Path) -> None:
    catalogue = tmp_path / "hostile.yaml"
    catalogue.write_text(HOSTILE, encoding="utf-8")
    session = Session(browser)
    try:
        with running_app(catalogue) as url:
            page = session.page
            page.goto(url)
            session.expect_counts(2, 2)
            frame = page.frame_locator(MAP_FRAME)
            for index in range(2):
                marker = frame.locator(".geodata-marker").nth(index)
                marker.hover()
                tooltip = frame.locator(".leaflet-tooltip")
                expect(tooltip).to_be_visible()
                expect(tooltip).to_contain_text("hostile-")
                marker.click()
                popup = frame.locator(".leaflet-popup-content .geodata-popup")
                expect(popup).to_be_visible()
                popup_id = popup.locator(".geodata-id").inner_text()
                expect(page.get_by_text("Click a marker")).to_have_count(0, timeout=30_000)
                if popup_id == "hostile-one":
                    expect(popup.locator("h4")).to_have_text(PAYLOADS["script"])
                    expect(popup.locator(".geodata-quote")).to_contain_text(PAYLOADS["template"])
                    expect(popup.locator("a")).to_have_count(0)  # a javascript: URL is not a link
                frame.locator(".leaflet-popup-close-button").click()
                # Leaflet keeps a closing popup in the page while it fades: wait until it is gone,
                # or the next popup's locator matches two.
                expect(frame.locator(".leaflet-popup")).to_have_count(0)
            map_frame = session.map_frame()
            injected = map_frame.evaluate("""() => ({
                img: document.querySelectorAll('img[src="x"]').length,
                svg: document.querySelectorAll('svg[onload]').length,
                js: document.querySelectorAll('a[href^="javascript" i]').length,
                scripts: [...document.scripts].filter(
                    s => s.textContent.includes('xss-') && !s.textContent.includes('var events')).length})""")
            assert injected == {"img": 0, "svg": 0, "js": 0, "scripts": 0}
            assert page.locator('a[href^="javascript" i]').count() == 0
            assert page.locator('img[src="x"]').count() == 0
            # the details panel shows the last clicked title as text
            heading = page.locator('[data-testid="stMarkdownContainer"] h4')
            expect(heading).to_have_count(1)
            assert heading.inner_text().strip() in (PAYLOADS["script"], PAYLOADS["template"].strip())
        assert session.dialogs == [], session.dialogs
    finally:
        session.close()


def test_screenshot_script(browser: Browser, app_url: str, tmp_path: Path) -> None:
    out = take_screenshot(app_url, tmp_path / "shot.png", browser=browser)
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000


def test_map_keeps_zoom_across_filter_changes_and_spreads_colocated_events(
    session: Session, app_url: str, bundled: Any
) -> None:
    page = session.page
    page.goto(app_url)
    session.expect_counts(len(bundled), len(bundled))
    frame = session.map_frame()
    frame.evaluate("() => window.map.setView([33.5, 44.3], 9)")
    frame.wait_for_function("() => window.map.getZoom() === 9")
    page.get_by_role("button", name="Remove Statement").click()
    no_statements = [t for t in bundled["type"].unique() if t != "statement"]
    session.expect_counts(len(filter_events(bundled, types=no_statements)), len(bundled), all_in_view=False)
    frame = session.map_frame()  # the same iframe: not remounted
    view = frame.evaluate("() => [window.map.getZoom(), window.map.getCenter().lat.toFixed(1)]")
    assert view == [9, "33.5"]

    # The two Camp Taji attacks share one point: zoomed to the maximum they spread apart.
    taji = bundled[bundled["place_canonical"] == "Camp Taji"]
    assert len(taji) == 2 and taji["lat"].nunique() == 1
    frame.evaluate(f"() => window.map.setView([{taji['lat'].iloc[0]}, {taji['lon'].iloc[0]}], 18)")
    cluster = page.frame_locator(MAP_FRAME).locator(".marker-cluster", has_text="2")
    expect(cluster).to_be_visible()
    cluster.click()
    markers = page.frame_locator(MAP_FRAME).locator(".geodata-marker")
    expect(markers).to_have_count(2)
    # markercluster marks the map while the spider legs are still moving
    frame.wait_for_function("() => !document.querySelector('.leaflet-cluster-anim')")
    markers.nth(1).click()
    expect(page.frame_locator(MAP_FRAME).locator(".geodata-popup .geodata-id")).to_have_text(
        re.compile("attack-camp-taji")
    )
