"""dashboard.warm: the map page's libraries imported in the server before the page asks for them."""

from __future__ import annotations

import ast
import importlib
import time
from pathlib import Path

from conftest import REPO

from dashboard import warm
from dashboard.serve import running_app


def test_every_module_it_imports_exists() -> None:
    for name in warm.MODULES:
        importlib.import_module(name)  # a renamed module would silently stop being warmed


def test_it_covers_what_the_map_page_imports_first() -> None:
    tree = ast.parse((REPO / "dashboard" / "app.py").read_text(encoding="utf-8"))
    imported = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in tree.body
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    heavy = {"geopandas", "pandas", "sqlalchemy", "folium"}
    libraries = {name.split(".")[0] for name in imported} & heavy
    assert libraries <= {name.split(".")[0] for name in warm.MODULES}
    page_modules = {
        f"dashboard.{alias.name}"
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module == "dashboard"
        for alias in node.names
    } - {"dashboard.warm"}
    assert page_modules <= set(warm.MODULES)


def test_the_server_imports_them_before_any_browser_connects() -> None:
    """No page has run (no browser), yet the server has loaded GeoPandas' Shapely."""
    pids: list[int] = []
    with running_app(REPO / "events.yaml", pid=pids):
        maps = Path(f"/proc/{pids[0]}/maps")
        deadline = time.monotonic() + warm.WAIT_S
        while "shapely" not in maps.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert "shapely" in maps.read_text()
