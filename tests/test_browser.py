"""The dashboard in a real browser: Debian's Chromium driven by Playwright, no internet."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import yaml
from conftest import browser_args
from playwright.sync_api import Browser, FilePayload, Frame, Page, ViewportSize, expect, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from tilekit import write_mbtiles

from dashboard.mapview import MAX_ZOOM
from dashboard.picture import playback_windows
from dashboard.problems import problem_lines
from dashboard.screenshot import MAP_FRAME, take_screenshot
from dashboard.serve import CHROMIUM, running_app
from geodata.errors import CatalogError, GeodataError
from geodata.extract.article import parse_article
from geodata.frame import filter_events
from geodata.geocoding import OfflineGeocoder
from geodata.io.readers import parse_events_bytes
from geodata.settings import DEFAULTS
from geodata.store import Store, default_store_url, open_store
from geodata.taxonomy import EVENT_TYPES

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
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=browser_args())
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def bundled_store(tmp_path_factory: pytest.TempPathFactory, geocoder: OfflineGeocoder) -> Path:
    """A copy of the bundled catalogue with the store the dashboard fills from it, in a temporary
    folder (never beside the repository's events.yaml); returns the catalogue."""
    catalogue = tmp_path_factory.mktemp("bundled") / "events.yaml"
    shutil.copy(DEFAULTS.default_catalogue, catalogue)
    open_store(default_store_url(catalogue), seed=catalogue, geocoder=geocoder).close()
    return catalogue


@pytest.fixture(scope="module")
def app_url(bundled_store: Path) -> Iterator[str]:
    with running_app(bundled_store) as url:
        yield url


@pytest.fixture(scope="module")
def bundled(bundled_store: Path) -> Any:
    """The bundled catalogue as the dashboard shows it: from its store, in the store's order."""
    with Store.open(default_store_url(bundled_store)) as store:
        return store.frame()


class Session:
    """A page, with every request it makes and every dialog that tries to open."""

    def __init__(self, browser: Browser, *, viewport: ViewportSize | None = None) -> None:
        self.context = browser.new_context(
            viewport=viewport or {"width": 1400, "height": 1000}, accept_downloads=True
        )
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
        assert handle is not None
        frame = handle.content_frame()
        assert frame is not None
        return frame

    def wait_for_map_count(self, expected: int) -> None:
        self.map_frame().wait_for_function(f"({COUNT_JS})() === {expected}", timeout=60_000)

    def open_all(self, url: str, total: int) -> None:
        """Open the dashboard at ``url`` and wait until all ``total`` events are counted and drawn."""
        self.page.goto(url)
        self.expect_counts(total, total)

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

    def move_map(self, lat: float, lon: float, zoom: int) -> Frame:
        """Move the map, wait until the app has taken the new view (the address holds its zoom,
        no run in progress) and return the map's frame as it is then: a run may put the map in a
        new frame, and the old one goes on showing the old view."""
        self.map_frame().evaluate(f"() => {{ window.map.setView([{lat}, {lon}], {zoom}); }}")
        expect(self.page).to_have_url(re.compile(rf"[?&]z={zoom}(&|$)"), timeout=60_000)
        expect(self.page.get_by_test_id("stStatusWidgetRunningIcon")).to_have_count(0, timeout=60_000)
        frame = self.map_frame()
        frame.wait_for_function(f"() => window.map && window.map.getZoom() === {zoom}", timeout=60_000)
        return frame

    def settled(self) -> None:
        """Wait until the map has reported its view (the address then holds it) and no run is in
        progress: a button drawn by a run that a later run replaces may not answer a click."""
        expect(self.page).to_have_url(re.compile(r"[?&]z=\d+"), timeout=60_000)
        expect(self.page.get_by_test_id("stStatusWidgetRunningIcon")).to_have_count(0, timeout=60_000)

    def download_made(self, label: str) -> Any:
        """Click a download that is made when clicked, and return it. A click that lands while a
        run replaces the button is not answered (Streamlit's), so a second click is made, as a
        person would; an error the page shows instead is reported."""
        for attempt in (1, 2):
            try:
                with self.page.expect_download(timeout=45_000) as info:
                    self.page.get_by_role("button", name=label).click()
                return info.value
            except PlaywrightTimeoutError:
                shown = self.page.get_by_test_id("stException").all_inner_texts()
                assert not shown, f"{label}: {shown}"
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close_overlays(self) -> None:
        """Close any popup, move the mouse off the map, and wait until no popup or tooltip is left.

        Leaflet keeps a closing popup or tooltip in the page while it fades (200 ms): without this
        wait, the next one's locator can match two.
        """
        self.map_frame().evaluate("() => { window.map.closePopup(); }")
        self.page.mouse.move(1, 1)
        frame = self.page.frame_locator(MAP_FRAME)
        expect(frame.locator(".leaflet-popup")).to_have_count(0)
        expect(frame.locator(".leaflet-tooltip")).to_have_count(0)

    def injected(self) -> dict[str, dict[str, int]]:
        """Elements a payload would have injected, counted in the page and in each frame."""
        return {frame.url or "page": frame.evaluate(INJECTED_JS) for frame in self.page.frames}

    def hosts(self) -> set[str]:
        web = ("http", "https", "ws", "wss")
        return {urlparse(u).netloc for u in self.requests if urlparse(u).scheme in web}

    def close(self) -> None:
        self.context.close()


INJECTED_JS = """() => ({
  img: document.querySelectorAll('img[src="x"]').length,
  svg: document.querySelectorAll('svg[onload]').length,
  javascript_links: document.querySelectorAll('a[href^="javascript" i]').length,
  scripts: [...document.scripts].filter(
      s => s.textContent.includes('xss-') && !s.textContent.includes('var events')).length})"""
NOTHING_INJECTED = {"img": 0, "svg": 0, "javascript_links": 0, "scripts": 0}


@pytest.fixture
def session(browser: Browser) -> Iterator[Session]:
    s = Session(browser)
    yield s
    s.close()


def test_full_session_filters_popup_download_offline(
    session: Session, app_url: str, bundled: Any, tmp_path: Path
) -> None:
    page, total = session.page, len(bundled)
    session.open_all(app_url, total)

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

    # Download exactly what is shown, in both formats.
    doc = json.loads(download(page, "Download GeoJSON", tmp_path / "download.geojson"))
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    assert [f["id"] for f in doc["features"]] == list(patriots["id"])
    for feature in doc["features"]:
        row = patriots.loc[feature["id"]]
        assert feature["geometry"]["coordinates"] == [round(row["lon"], 7), round(row["lat"], 7)]
    table = download(page, "Download CSV", tmp_path / "download.csv")
    assert [r["id"] for r in csv.DictReader(io.StringIO(table))] == list(patriots["id"])

    # Nothing left this machine, nothing failed to load.
    assert session.hosts() == {urlparse(app_url).netloc}, session.hosts()
    assert not [u for u in session.failed if "/component/" in u], session.failed
    assert session.dialogs == []


def download(page: Page, label: str, path: Path) -> str:
    """Click the download button ``label`` and return the file's text."""
    with page.expect_download() as info:
        page.get_by_role("button", name=label).click()
    info.value.save_as(path)
    return path.read_text(encoding="utf-8")


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


def test_a_link_opens_the_map_where_it_was_and_the_address_follows_the_map(
    session: Session, app_url: str, bundled: Any
) -> None:
    page, total = session.page, len(bundled)
    chosen = bundled.iloc[2]
    page.goto(f"{app_url}/?lat=36.1912&lon=44.0094&z=9&event={chosen['id']}")
    expect(page.locator('[data-testid="stMain"] h4')).to_have_text(chosen["title"], timeout=60_000)
    frame = session.map_frame()
    frame.wait_for_function("() => window.map && window.map.getZoom() === 9", timeout=60_000)
    centre = frame.evaluate("() => [window.map.getCenter().lat, window.map.getCenter().lng]")
    assert centre == pytest.approx([36.1912, 44.0094], abs=1e-3)
    expect(page.get_by_text(f"{total} of {total} events")).to_be_visible()
    page.frame_locator(MAP_FRAME).locator(".leaflet-control-zoom-in").click()
    expect(page).to_have_url(re.compile(r"[?&]z=10(&|$)"), timeout=30_000)
    assert f"event={chosen['id']}" in page.url and "lat=36.19" in page.url
    page.goto(page.url)  # the link as the address bar gives it: the same view again
    frame = session.map_frame()
    frame.wait_for_function("() => window.map && window.map.getZoom() === 10", timeout=60_000)
    expect(page.locator('[data-testid="stMain"] h4')).to_have_text(chosen["title"], timeout=60_000)


def test_a_phone_wide_page_fits_and_its_filters_work_by_keyboard(
    browser: Browser, app_url: str, bundled: Any
) -> None:
    """390 CSS pixels wide (a phone): nothing wider than the screen, the legend folded so that it
    does not cover the events, and the legend and the filters used with the keyboard alone."""
    phone = Session(browser, viewport={"width": 390, "height": 844})
    try:
        page, total = phone.page, len(bundled)
        page.goto(app_url)
        expect(page.get_by_text(f"{total} of {total} events")).to_be_visible(timeout=60_000)
        frame = phone.map_frame()
        frame.wait_for_function("() => (window.geodataEventCount || 0) > 0", timeout=60_000)
        widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1] == 390
        box = page.locator(MAP_FRAME).bounding_box()
        assert box is not None and box["x"] >= 0 and box["width"] >= 300 and box["x"] + box["width"] <= 390
        legend = page.frame_locator(MAP_FRAME).locator(".geodata-legend details")
        expect(legend).not_to_have_attribute("open", "")
        legend.locator("summary").focus()
        page.keyboard.press("Enter")
        expect(legend).to_have_attribute("open", "")
        # The sidebar is folded on a phone; its button and the filters answer to the keyboard.
        page.get_by_role("button", name=re.compile("sidebar", re.I)).first.focus()
        page.keyboard.press("Enter")
        search = page.get_by_label("Search text")
        expect(search).to_be_visible()
        search.focus()
        page.keyboard.type("patriot")
        page.keyboard.press("Enter")
        expected = filter_events(bundled, text="patriot")
        expect(page.get_by_text(f"{len(expected)} of {total} events")).to_be_visible(timeout=60_000)
        remove = page.get_by_role("button", name="Remove Air-defence deployment")
        remove.focus()
        page.keyboard.press("Enter")
        fewer = filter_events(
            bundled, text="patriot", types=[t for t in EVENT_TYPES if t != "air_defence_deployment"]
        )
        assert len(fewer) < len(expected)
        expect(page.get_by_text(f"{len(fewer)} of {total} events")).to_be_visible(timeout=60_000)
    finally:
        phone.close()


def test_download_png_and_gif_are_pictures_of_the_filtered_map(
    session: Session, app_url: str, bundled: Any
) -> None:
    from PIL import Image

    page, total = session.page, len(bundled)
    page.goto(f"{app_url}/?types=attack,statement")
    shown = len(filter_events(bundled, types=["attack", "statement"]))
    session.expect_counts(shown, total)
    session.settled()
    png = session.download_made("Download PNG")
    assert png.suggested_filename == "events-map.png"
    image = Image.open(png.path())
    assert image.format == "PNG" and image.size == (1600, 1000)
    colours = {colour for _, colour in image.convert("RGB").getcolors(maxcolors=1_000_000) or []}
    assert (0xD5, 0x5E, 0x00) in colours  # an attack's marker (and its legend entry)
    playback = Image.open(session.download_made("Download GIF").path())
    first, last = bundled["date_start"].min().date(), bundled["date_end"].max().date()
    assert playback.format == "GIF" and getattr(playback, "n_frames", 1) == len(
        playback_windows((first, last), 7)
    )
    assert session.hosts() == {urlparse(app_url).netloc}


def test_the_density_view_counts_every_event_in_hexagons(
    session: Session, app_url: str, bundled: Any
) -> None:
    page, total = session.page, len(bundled)
    session.open_all(app_url, total)
    page.get_by_text("Density (hexagons)").click()
    frame = session.map_frame()
    frame.wait_for_function("() => (window.geodataHexagons || 0) > 0", timeout=60_000)
    cells = frame.evaluate("() => window.geodataHexagons")
    assert frame.evaluate("() => window.geodataEventCount") == total
    hexagons = page.frame_locator(MAP_FRAME).locator("path.geodata-hexagon")
    expect(hexagons).to_have_count(cells)
    expect(page.get_by_text("Events per hexagon")).to_be_visible()
    assert "layer=density" in page.url
    assert session.hosts() == {urlparse(app_url).netloc}


def test_the_offline_map_names_towns_and_more_of_them_zoomed_in(
    session: Session, app_url: str, bundled: Any
) -> None:
    page, total = session.page, len(bundled)
    session.open_all(app_url, total)
    labels = page.frame_locator(MAP_FRAME).locator(".geodata-label span")
    expect(labels.filter(has_text=re.compile(r"^Baghdad$"))).to_have_count(1)
    far = set(labels.all_inner_texts())
    frame = session.move_map(33.3, 44.4, 9)
    frame.wait_for_function("() => window.geodataLabelZoom === 9")
    expect(labels.filter(has_text=re.compile(r"^Baghdad$"))).to_have_count(1)
    near = set(labels.all_inner_texts())
    assert near - far  # towns too small to name from afar
    assert frame.evaluate("() => window.geodataLabelCount") == len(near) <= 400
    known = set(frame.evaluate("() => window.geodataPlaces.map(p => p[2])"))
    assert near <= known
    assert session.hosts() == {urlparse(app_url).netloc}


OUTLINE_PIXELS_JS = """() => {
  const canvas = document.querySelector('.leaflet-geodataOutlines-pane canvas');
  if (!canvas || !canvas.width) return 0;
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let drawn = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) drawn++;
  return drawn;
}"""


def test_region_outlines_are_drawn_zoomed_in_and_not_from_afar(
    session: Session, app_url: str, bundled: Any
) -> None:
    page, total = session.page, len(bundled)
    session.open_all(app_url, total)
    frame = session.move_map(33.3, 44.4, 6)
    frame.wait_for_function("() => window.geodataOutlinesShown === true")
    frame.wait_for_function(f"() => ({OUTLINE_PIXELS_JS})() > 1000")  # Iraq's governorates, drawn
    frame = session.move_map(33.3, 44.4, 3)
    frame.wait_for_function("() => window.geodataOutlinesShown === false")
    assert frame.evaluate(OUTLINE_PIXELS_JS) == 0
    expect(page.frame_locator(MAP_FRAME).locator(".leaflet-control-attribution")).to_contain_text(
        "Natural Earth"
    )
    assert session.hosts() == {urlparse(app_url).netloc}


TILE_IMAGES_JS = """() => [...document.querySelectorAll('img.leaflet-tile')]
  .filter(i => i.src.includes('geodata_tiles_') && i.complete && i.naturalWidth === 256)
  .map(i => new URL(i.src).pathname)"""


def test_own_tiles_are_drawn_from_the_dashboards_origin(
    browser: Browser, bundled_store: Path, tmp_path: Path
) -> None:
    tiles = write_mbtiles(tmp_path / "own.mbtiles")
    with running_app(bundled_store, args=["--tiles", str(tiles)]) as url:
        session = Session(browser)
        try:
            session.page.goto(url)
            frame = session.map_frame()
            frame.wait_for_function(f"() => ({TILE_IMAGES_JS})().length > 0", timeout=90_000)
            drawn = frame.evaluate(TILE_IMAGES_JS)
            assert any(path.endswith("/1/1/0.png") for path in drawn), drawn  # Iraq's tile at zoom 1
            assert session.hosts() == {urlparse(url).netloc}
        finally:
            session.close()


def test_regions_compare_two_windows_on_the_map(session: Session, app_url: str, bundled: Any) -> None:
    page, total = session.page, len(bundled)
    page.goto(f"{app_url}/?start=2020-03-20&end=2020-04-02")
    shown = len(filter_events(bundled, start=dt.date(2020, 3, 20), end=dt.date(2020, 4, 2)))
    session.expect_counts(shown, total)
    page.get_by_text("Regions (change)").click()
    frame = session.map_frame()
    frame.wait_for_function("() => (window.geodataRegions || 0) > 0", timeout=60_000)
    regions = frame.evaluate("() => window.geodataRegions")
    assert 0 < frame.evaluate("() => window.geodataEventCount") <= shown
    circles = page.frame_locator(MAP_FRAME).locator("path.geodata-region")
    expect(circles).to_have_count(regions)
    expect(page.get_by_text("against the window before")).to_be_visible()
    assert "layer=regions" in page.url
    assert session.hosts() == {urlparse(app_url).netloc}


#: Height of a header or row in Streamlit's data grid, in CSS pixels.
ROW_PX = 35


def test_a_table_row_shows_its_event(session: Session, app_url: str, bundled: Any) -> None:
    page, total = session.page, len(bundled)
    session.open_all(app_url, total)
    grid = page.locator('[data-testid="stDataFrame"]').first  # the events (an event's history follows)
    heading = page.locator('[data-testid="stMain"] h4')
    expect(heading).to_have_count(0)
    for row in (2, 5):
        # The grid is drawn on a canvas: click the row's selection box, left of the first column.
        # (Playwright places the click when the grid has stopped moving, e.g. as the chart above loads.)
        grid.click(position={"x": 18, "y": ROW_PX * (row + 1) + ROW_PX / 2})
        expect(grid.locator(f'tr[aria-rowindex="{row + 2}"]')).to_have_attribute("aria-selected", "true")
        expect(heading).to_have_text(bundled.iloc[row]["title"], timeout=30_000)


def test_invalid_upload_keeps_the_catalogue(
    session: Session, app_url: str, bundled: Any, tmp_path: Path
) -> None:
    page = session.page
    session.open_all(app_url, len(bundled))
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
    "template": '`${alert("xss-template")}`',
    "backslash": "\\ \\u003c \\n \\`",
    "url": "javascript:alert('xss-url')",
}
#: Every payload at once: each free-text field holds its own name followed by this.
ALL = " ".join(PAYLOADS.values())


def hostile(field: str) -> str:
    return f"{field} {ALL}"


def hostile_event(event_id: str, event_type: str, place: dict[str, str], url: str) -> dict[str, Any]:
    return {
        "id": event_id,
        "type": event_type,
        "title": hostile(f"{event_id} title"),
        "summary": hostile("summary"),
        "date": "2020-03-11",
        "place": {"name": hostile("place"), **place},
        "said_at": {
            "name": hostile("said-at"),
            "canonical": "Washington",
            "country": "US",
            "geo_precision": "city",
        },
        "actors": [hostile("actor"), "Iran"],
        "tags": [hostile("tag")],
        "inference": hostile("inference"),
        "source": {
            "publisher": hostile("publisher"),
            "title": hostile("source-title"),
            "url": url,
            "quote": hostile("quote"),
        },
        "references": [
            {
                "publisher": hostile("ref-publisher"),
                "title": hostile("ref-title"),
                "url": "javascript:alert('xss-ref')",
                "quote": hostile("ref-quote"),
            }
        ],
    }


HOSTILE_EVENTS = [
    hostile_event(
        "hostile-one",
        "attack",
        {"canonical": "Camp Taji", "country": "IQ", "geo_precision": "facility"},
        PAYLOADS["url"],
    ),
    hostile_event(
        "hostile-two",
        "statement",
        {"canonical": "Erbil", "country": "IQ", "geo_precision": "city"},
        "JaVaScRiPt:alert(1)",
    ),
]
HOSTILE_ARTICLE = f"""---
title: {json.dumps(hostile("article-title"))}
publisher: {json.dumps(hostile("publisher"))}
published: 2020-04-02
---
Rockets struck Camp Taji on 11 March 2020, killing three coalition soldiers, officials said {ALL}
"""
#: A file name is user text too (one cannot hold '/'; Chromium sends '"' as '%22').
HOSTILE_NAME = (
    "<img src=x onerror=alert('xss-name')> <svg onload=alert(1)> ${alert(1)} `c` *b* [a](javascript:x).yaml"
)
#: Wide enough that the tables draw every column (they draw only the columns in view).
WIDE: ViewportSize = {"width": 5200, "height": 1400}


def expected_views(event: dict[str, Any]) -> dict[str, Any]:
    """What the tooltip, the popup, the table and the details panel show of ``event``, literally."""
    place = event["place"]
    kind, precision = EVENT_TYPES[event["type"]].label, place["geo_precision"]
    ref, source = event["references"][0], event["source"]
    return {
        "tooltip": f"{event['title']}\n11 March 2020 · {place['name']}\n{event['id']}",
        "popup": {
            ".geodata-type": kind,
            "h4": event["title"],
            ".geodata-summary": event["summary"],
            ".geodata-quote": event["source"]["quote"],
            ".geodata-source": f"{source['publisher']}: {source['title']} ({source['url']})",
            ".geodata-id": event["id"],
        },
        "popup_rows": {
            "Date": "11 March 2020",
            "Place": f"{place['name']} → {place['canonical']} ({precision} precision)",
            "Said at": event["said_at"]["name"],
            "Actors": ", ".join(event["actors"]),
        },
        "table": [
            event["title"],
            kind,
            "11 March 2020",
            place["name"],
            precision,
            ", ".join(event["actors"]),
            event["source"]["publisher"],
            event["id"],
        ],
        "details": [
            "When: 11 March 2020 (day precision)",
            f"Where: {place['name']} ({precision} precision); said at {event['said_at']['name']}",
            f"Actors: {', '.join(event['actors'])}",
            event["summary"],
            event["source"]["quote"],
            f"Source: {event['source']['publisher']}: {event['source']['title']} {event['source']['url']}",
            f"Inference: {event['inference']}",
            f"{ref['publisher']}: {ref['title']} — {ref['url']} “{ref['quote']}”",
        ],
    }


def expect_inert(session: Session) -> None:
    """No payload ran: no dialog opened, nothing injected in the page or any frame."""
    injected = session.injected()
    assert injected and all(counts == NOTHING_INJECTED for counts in injected.values()), injected
    assert session.dialogs == [], session.dialogs


def expect_table_row(page: Page, row: int, cells: list[str]) -> None:
    grid = page.locator('[data-testid="stDataFrame"] table[role="grid"]').first
    for column, text in enumerate(cells, start=1):
        cell = grid.locator(f'tr[aria-rowindex="{row + 2}"] td[aria-colindex="{column}"]')
        expect(cell).to_have_text(text)


def expect_details(page: Page, views: dict[str, Any]) -> None:
    """The details panel shows the event's title and every line of it as literal text."""
    panel = page.locator('[data-testid="stColumn"]').filter(has=page.locator("h4"))
    expect(panel).to_have_count(1, timeout=30_000)
    expect(panel.locator("h4")).to_have_text(views["popup"]["h4"])
    *lines, reference = views["details"]
    for line in lines:
        expect(panel.get_by_text(line, exact=True)).to_be_visible()
    # Further sources sit in a closed expander: in the page, shown when opened. (Not opened here:
    # an expander keeps its open state across reruns, so a click could close it.)
    expect(panel.locator('[data-testid="stExpander"]').get_by_text(reference, exact=True)).to_have_count(1)


def test_hostile_text_is_shown_as_text(browser: Browser, tmp_path: Path) -> None:
    catalogue = tmp_path / "hostile.yaml"
    catalogue.write_text(
        yaml.safe_dump(HOSTILE_EVENTS, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    views = {e["id"]: expected_views(e) for e in HOSTILE_EVENTS}
    session = Session(browser, viewport=WIDE)
    try:
        with running_app(catalogue) as url:
            page = session.page
            page.goto(url)
            session.expect_counts(2, 2)
            expect_table_row(page, 0, views["hostile-one"]["table"])
            expect_table_row(page, 1, views["hostile-two"]["table"])

            frame = page.frame_locator(MAP_FRAME)
            seen = []
            for index in range(2):
                marker = frame.locator(".geodata-marker").nth(index)
                marker.hover()
                tooltip = frame.locator(".leaflet-tooltip")
                expect(tooltip).to_have_count(1)
                event_id = tooltip.locator(".geodata-id").inner_text()  # a tooltip's text never changes
                seen.append(event_id)
                expect(tooltip).to_have_text(views[event_id]["tooltip"], use_inner_text=True)
                marker.click()
                popup = frame.locator(".leaflet-popup-content .geodata-popup")
                expect(popup).to_have_count(1)
                for selector, text in views[event_id]["popup"].items():
                    expect(popup.locator(selector)).to_have_text(text)
                for label, text in views[event_id]["popup_rows"].items():
                    expect(
                        popup.locator("tr", has=page.locator(f"th:text-is('{label}')")).locator("td")
                    ).to_have_text(text)
                expect(popup.locator("a")).to_have_count(0)  # a javascript: URL is not a link
                expect_details(page, views[event_id])
                expect_inert(session)
                frame.locator(".leaflet-popup-close-button").click()
                session.close_overlays()
            assert sorted(seen) == ["hostile-one", "hostile-two"]

            # A hostile invalid upload: its problems echo the payload, shown as text.
            name = HOSTILE_NAME
            content = yaml.safe_dump(
                [{**HOSTILE_EVENTS[0], "type": hostile("type")}], allow_unicode=True
            ).encode()
            problems = upload_problems(content, name)
            # the message quotes the bad value, shortened: its start is the payload's
            assert any(hostile("type")[:20] in line for line in problems), problems
            page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
                files=[FilePayload(name=name, mimeType="application/x-yaml", buffer=content)]
            )
            expect(
                page.get_by_text(f"{name} was not loaded; the current catalogue is kept.", exact=True)
            ).to_be_visible(timeout=60_000)
            expect(page.locator('[data-testid="stCode"] code')).to_have_text("\n".join(problems))
            session.expect_counts(2, 2)
            expect_inert(session)
        assert session.dialogs == [], session.dialogs
    finally:
        session.close()


def upload_problems(content: bytes, name: str) -> list[str]:
    """The problem lines the library finds in an upload (the page must show exactly these)."""
    try:
        parse_events_bytes(content, name=name)
    except CatalogError as err:
        return [p.format() for p in err.problems]
    raise AssertionError("the upload is valid")


def test_hostile_article_is_shown_as_text(browser: Browser, app_url: str) -> None:
    session = Session(browser, viewport=WIDE)
    try:
        page = session.page
        page.goto(f"{app_url}/add-article")
        area = page.get_by_label("…or paste the text")
        area.fill(HOSTILE_ARTICLE)
        area.press("Control+Enter")  # a text area sends its text on Ctrl+Enter or blur
        expect(page.get_by_label("Publisher")).to_have_value(hostile("publisher"), timeout=30_000)
        page.get_by_role("button", name="Draft events").click()
        grid = page.locator('[data-testid="stDataFrame"] table[role="grid"]').first
        expect(grid).to_have_attribute("aria-rowcount", "3", timeout=60_000)  # two drafts and a header
        quote = HOSTILE_ARTICLE.splitlines()[-1]
        header = grid.locator("th", has_text=re.compile(r"^quote$"))
        expect(header).to_have_count(1)
        column = header.get_attribute("aria-colindex")  # a drawn header keeps its place
        for row in (2, 3):
            expect(grid.locator(f'tr[aria-rowindex="{row}"] td[aria-colindex="{column}"]')).to_have_text(
                quote
            )
        expect_inert(session)

        # An article whose front matter is wrong: the problem echoes the payload, as text.
        wrong = f"---\npublished: {json.dumps(ALL)}\n---\nRockets struck Camp Taji."
        with pytest.raises(GeodataError) as caught:
            parse_article(wrong)
        area.fill(wrong)
        area.press("Control+Enter")
        expect(page.get_by_text("the pasted text could not be read.", exact=True)).to_be_visible(
            timeout=30_000
        )
        expected = problem_lines(caught.value, name="the pasted text")
        assert "published is" in expected[0] and "<script>" in expected[0], expected  # the payload, shortened
        expect(page.locator('[data-testid="stCode"] code')).to_have_text("\n".join(expected))
        expect_inert(session)
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
    session.open_all(app_url, len(bundled))
    session.move_map(33.5, 44.3, 9)
    page.get_by_role("button", name="Remove Statement").click()
    no_statements = [t for t in bundled["type"].unique() if t != "statement"]
    session.expect_counts(len(filter_events(bundled, types=no_statements)), len(bundled), all_in_view=False)
    frame = session.map_frame()  # the same iframe: not remounted
    view = frame.evaluate("() => [window.map.getZoom(), window.map.getCenter().lat.toFixed(1)]")
    assert view == [9, "33.5"]

    # The two Camp Taji attacks share one point: zoomed to the maximum they spread apart.
    taji = bundled[bundled["place_canonical"] == "Camp Taji"]
    assert len(taji) == 2 and taji["lat"].nunique() == 1
    frame = session.move_map(taji["lat"].iloc[0], taji["lon"].iloc[0], MAX_ZOOM)
    # markercluster animates the clusters splitting (and ignores clicks on clusters meanwhile);
    # while it does, markers of other clusters pass through the view.
    frame.wait_for_function(
        f"() => window.map.getZoom() === {MAX_ZOOM} && !document.querySelector('.leaflet-cluster-anim')"
    )
    cluster = page.frame_locator(MAP_FRAME).locator(".marker-cluster", has_text=re.compile(r"^2$"))
    expect(cluster).to_have_count(1)
    cluster.click()
    # Spiderfied: markercluster fades the cluster and lays its two markers out around it.
    expect(cluster).to_have_css("opacity", "0.3")
    markers = page.frame_locator(MAP_FRAME).locator(".geodata-marker")
    expect(markers).to_have_count(2)
    # markercluster marks the map while the spider legs are still moving
    frame.wait_for_function("() => !document.querySelector('.leaflet-cluster-anim')")
    popup_id = page.frame_locator(MAP_FRAME).locator(".leaflet-popup-content .geodata-popup .geodata-id")
    seen = []
    for index in range(2):
        markers.nth(index).click()
        expect(popup_id).to_have_count(1)
        expect(popup_id).to_have_text(re.compile("^attack-camp-taji-"))
        seen.append(popup_id.inner_text())  # one popup, whose text never changes
        # Closing the popup (not clicking the map) keeps the spider open for the next marker.
        page.frame_locator(MAP_FRAME).locator(".leaflet-popup-close-button").click()
        expect(page.frame_locator(MAP_FRAME).locator(".leaflet-popup")).to_have_count(0)
    assert sorted(seen) == sorted(taji["id"])
