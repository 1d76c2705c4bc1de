"""Take the README's screenshot of the dashboard in Debian's Chromium.

python -m dashboard.screenshot [OUT.png]      (default: dashboard/screenshot.png)
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from dashboard.serve import CHROMIUM, CHROMIUM_ARGS, ROOT, running_app

if TYPE_CHECKING:
    from playwright.sync_api import Browser

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


def take_screenshot(
    url: str, out: Path, *, browser: Browser | None = None, width: int = 1400, height: int = 1100
) -> Path:
    """Open the dashboard at ``url`` and save a PNG once the map has drawn its markers."""
    from playwright.sync_api import sync_playwright

    if browser is not None:
        return _shoot(browser, url, out, width, height)
    with sync_playwright() as playwright:
        own = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return _shoot(own, url, out, width, height)
        finally:
            own.close()


def _shoot(browser: Browser, url: str, out: Path, width: int, height: int) -> Path:
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        page.goto(url)
        frame = page.frame_locator(MAP_FRAME)
        expect(frame.locator(".marker-cluster, .geodata-marker").first).to_be_visible(timeout=90_000)
        expect(page.locator('[data-testid="stVegaLiteChart"]').first).to_be_visible(timeout=30_000)
        page.screenshot(path=str(out))
    finally:
        page.close()
    return out


def main(argv: list[str]) -> int:
    import shutil
    import tempfile

    from geodata.settings import DEFAULTS

    out = Path(argv[0]) if argv else ROOT / "dashboard" / "screenshot.png"
    # On a copy: the picture shows the bundled catalogue, not the edits in a geodata.db beside it.
    with tempfile.TemporaryDirectory() as folder:
        catalogue = Path(folder) / "events.yaml"
        shutil.copy(DEFAULTS.default_catalogue, catalogue)
        with running_app(catalogue) as url:
            take_screenshot(url, out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
