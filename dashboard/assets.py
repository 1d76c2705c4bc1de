"""Leaflet, jQuery, Font Awesome and Leaflet.markercluster served by Streamlit from installed packages
(and the place labels and region outlines, written once: ``dashboard.labels``,
``dashboard.outlines``).

Folium points at CDNs, so offline the map stays blank. Each package's static directory is
registered with Streamlit's component file server (``/component/<name>/<file>``), and the map
lists those local addresses instead. Nothing is copied: the files stay in site-packages.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class AssetDir:
    """One installed package's static directory, and the files the map loads from it."""

    key: str
    path: Path
    js: tuple[str, ...] = ()
    css: tuple[str, ...] = ()
    #: Scripts the map loads after it has drawn (data for what is drawn later: labels, outlines).
    later: tuple[str, ...] = ()


def asset_dirs() -> list[AssetDir]:
    """The static directories of the installed asset packages, in load order."""
    import js_lib_leaflet
    import xstatic.pkg.font_awesome as font_awesome
    import xstatic.pkg.jquery as jquery
    import xstatic.pkg.leaflet_markercluster as markercluster

    from dashboard import outlines
    from dashboard.labels import SCRIPT, labels_dir

    leaflet_dir = Path(js_lib_leaflet.__file__).parent / "static" / "js_lib_leaflet"
    return [
        AssetDir("leaflet", leaflet_dir, js=("leaflet.js",), css=("leaflet.css",)),
        AssetDir("jquery", Path(jquery.BASE_DIR), js=("jquery.min.js",)),
        AssetDir(
            "markercluster",
            Path(markercluster.BASE_DIR),
            js=("leaflet.markercluster.js",),
            css=("MarkerCluster.css", "MarkerCluster.Default.css"),
        ),
        AssetDir("fontawesome", Path(font_awesome.BASE_DIR), css=("css/all.min.css",)),
        AssetDir("labels", labels_dir(), later=(SCRIPT,)),
        AssetDir("outlines", outlines.outlines_dir(), later=(outlines.SCRIPT,)),
    ]


@dataclass(frozen=True)
class AssetLinks:
    """Addresses the map iframe loads its scripts and stylesheets from (``later``: the scripts
    it loads once drawn, by asset key)."""

    js: list[tuple[str, str]]
    css: list[tuple[str, str]]
    later: dict[str, str]


def register_assets() -> AssetLinks:
    """Register every asset directory with Streamlit and return the links to them.

    The links are relative to the map's iframe (``/component/streamlit_folium.st_folium/``), so
    they work under any ``server.baseUrlPath`` and never name a host.
    """
    import streamlit.components.v1 as components

    js: list[tuple[str, str]] = []
    css: list[tuple[str, str]] = []
    later: dict[str, str] = {}
    for asset in asset_dirs():
        component = components.declare_component(f"geodata_{asset.key}", path=str(asset.path))
        prefix = f"../{component.name}/"
        js += [(f"{asset.key}_{i}", prefix + name) for i, name in enumerate(asset.js)]
        css += [(f"{asset.key}_css_{i}", prefix + name) for i, name in enumerate(asset.css)]
        later.update((asset.key, prefix + name) for name in asset.later)
    return AssetLinks(js=js, css=css, later=later)


def missing_files() -> list[Path]:
    """Asset files that should be installed but are not (an empty list when all is well)."""
    return [
        asset.path / name
        for asset in asset_dirs()
        for name in (*asset.js, *asset.css, *asset.later)
        if not (asset.path / name).is_file()
    ]


def register_tiles(folder: Path, suffix: str) -> str:
    """Serve a written-out tile set (:func:`geodata.io.tiles.tile_set`) from the dashboard's own
    origin; return the tile address template, relative to the map's iframe."""
    import streamlit.components.v1 as components

    component = components.declare_component(f"geodata_tiles_{folder.name}", path=str(folder))
    return f"../{component.name}/{{z}}/{{x}}/{{y}}.{suffix}"
