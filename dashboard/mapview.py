"""The Folium base map: offline country outlines, a legend and optional online tiles.

It never changes, so streamlit-folium keeps its iframe, zoom and centre; the events are a layer
added on top (``dashboard.layers``).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from jinja2 import Template

from dashboard import outlines
from dashboard.assets import AssetLinks
from dashboard.labels import MAX_SHOWN, SOURCE
from dashboard.layers import json_for_script
from dashboard.state import MAX_ZOOM, MIN_ZOOM
from geodata.taxonomy import EVENT_TYPES

__all__ = ["MAP_CENTRE", "MAP_ZOOM", "MAX_ZOOM", "ONLINE_TILES_NAME", "base_map"]
ONLINE_TILES_NAME = "Online tiles (OpenStreetMap, needs internet)"
#: Where the map opens when no link says otherwise (Iraq, the founding article's country).
MAP_CENTRE, MAP_ZOOM = (33.5, 43.5), 5

_STYLE = """
<style>
.leaflet-container { background: #d7e6f0; font: 13px/1.35 system-ui, sans-serif; }
.geodata-marker span { display: flex; align-items: center; justify-content: center; width: 26px;
  height: 26px; border-radius: 50%; border: 2px solid #fff; color: #fff; font-size: 12px;
  box-shadow: 0 1px 4px rgba(0,0,0,.45); }
.geodata-popup h4 { margin: 4px 0 6px; font-size: 15px; }
.geodata-popup table { border-collapse: collapse; margin-bottom: 6px; }
.geodata-popup th { text-align: left; padding: 1px 8px 1px 0; color: #555; font-weight: 600;
  vertical-align: top; }
.geodata-type { border-left: 4px solid; padding-left: 6px; font-size: 12px; color: #444; }
.geodata-quote { margin: 6px 0; padding: 4px 8px; border-left: 3px solid #bbb; color: #333;
  font-style: italic; }
.geodata-id { color: #888; font-size: 11px; font-family: monospace; }
.geodata-cell span { display: flex; align-items: center; justify-content: center; border-radius: 50%;
  color: #fff; font-weight: 700; font-size: 11px; border: 2px solid rgba(255,255,255,.85);
  box-shadow: 0 1px 4px rgba(0,0,0,.4); opacity: .9; }
.geodata-legend { background: rgba(255,255,255,.92); padding: 5px 8px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,.3); line-height: 1.45; font-size: 11px; max-width: 230px; }
.geodata-legend i { width: 18px; text-align: center; }
.geodata-legend summary { cursor: pointer; font-weight: 600; }
.geodata-label span { white-space: nowrap; font-size: 11px; color: #3b3b3b;
  text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff; position: relative; left: 6px; top: -7px; }
.geodata-label::before { content: ""; position: absolute; width: 4px; height: 4px; left: -2px; top: -2px;
  border-radius: 50%; background: #555; }
</style>
"""


#: ``later(url, name, ready)``: call ``ready(window[name])`` once the script at ``url`` that sets it
#: has loaded, the script asked for when the browser is idle, so the events are drawn first.
_LATER = """
  function later(url, name, ready) {
    if (window[name]) { ready(window[name]); return; }
    var idle = window.requestIdleCallback || function (task) { setTimeout(task, 50); };
    idle(function () {
      var tag = document.createElement("script");
      tag.src = url;
      tag.onload = function () { ready(window[name]); };
      document.head.appendChild(tag);
    }, {timeout: 400});
  }
"""


class _DrawnFromScript(MacroElement):
    """A map element drawn from data that the script at ``url`` sets, loaded once the map has
    drawn (:data:`_LATER`); ``source`` is the data's credit."""

    def __init__(self, name: str, url: str, source: str) -> None:
        super().__init__()
        self._name = name
        self.source = json_for_script(source)
        self.url = json_for_script(url)
        self.later = _LATER


class PlaceLabels(_DrawnFromScript):
    """Town names under the events, from ``window.geodataPlaces`` (``dashboard.labels``, loaded
    from ``url`` once the map has drawn): those in view whose zoom has come, the largest first,
    none over another's label, redrawn when the map moves."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  var places = null;  // until loaded: nothing drawn, no zoom reported
  {{ this.later }}
  map.createPane("geodataLabels");
  map.getPane("geodataLabels").style.zIndex = 450;  // over the outlines, under the markers
  map.getPane("geodataLabels").style.pointerEvents = "none";
  var layer = L.layerGroup().addTo(map);
  function draw() {
    if (!places) return;
    layer.clearLayers();
    var zoom = map.getZoom(), view = map.getBounds().pad(0.1), shown = 0, taken = [];
    for (var i = 0; i < places.length && shown < {{ this.max_shown }}; i++) {
      var p = places[i];
      if (p[3] > zoom || !view.contains([p[0], p[1]])) continue;
      var at = map.latLngToContainerPoint([p[0], p[1]]), width = 7 * p[2].length + 12;
      if (taken.some(function (t) {  // a larger town's label is there already
        return at.x < t.x + t.w && t.x < at.x + width && Math.abs(at.y - t.y) < 16;
      })) continue;
      taken.push({x: at.x, y: at.y, w: width});
      var name = document.createElement("span");
      name.textContent = p[2];  // a name from GeoNames is text, never markup
      L.marker([p[0], p[1]], {pane: "geodataLabels", interactive: false, keyboard: false,
        icon: L.divIcon({className: "geodata-label", html: name, iconSize: null})}).addTo(layer);
      shown++;
    }
    window.geodataLabelCount = shown;
    window.geodataLabelZoom = zoom;  // drawn for this zoom (tests wait for it)
  }
  map.on("zoomend moveend", draw);
  map.attributionControl.addAttribution({{ this.source }});
  later({{ this.url }}, "geodataPlaces", function (loaded) { places = loaded; draw(); });
})();
{% endmacro %}
""")

    def __init__(self, url: str) -> None:
        super().__init__("PlaceLabels", url, SOURCE)
        self.max_shown = MAX_SHOWN


class RegionOutlines(_DrawnFromScript):
    """First-level region outlines from ``window.geodataAdmin1`` (``dashboard.outlines``, loaded
    from ``url`` once the map has drawn), drawn on a canvas from zoom ``FROM_ZOOM`` in, under the
    labels and the events."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  var data = null;
  {{ this.later }}
  map.createPane("geodataOutlines");
  map.getPane("geodataOutlines").style.zIndex = 420;  // over the countries, under the labels
  map.getPane("geodataOutlines").style.pointerEvents = "none";
  var layer = null;
  function show() {
    var wanted = !!data && map.getZoom() >= {{ this.from_zoom }};
    if (wanted && !layer) {  // made on first need: nothing to draw from afar
      layer = L.geoJSON(data, {pane: "geodataOutlines", interactive: false,
        renderer: L.canvas({pane: "geodataOutlines"}),
        style: {color: "#8f8a80", weight: 0.7, dashArray: "4 3", fill: false}});
    }
    if (layer && wanted !== map.hasLayer(layer)) {
      if (wanted) { layer.addTo(map); } else { map.removeLayer(layer); }
    }
    window.geodataOutlinesShown = !!layer && map.hasLayer(layer);
  }
  map.on("zoomend", show);
  map.attributionControl.addAttribution({{ this.source }});
  later({{ this.url }}, "geodataAdmin1", function (loaded) { data = loaded; show(); });
})();
{% endmacro %}
""")

    def __init__(self, url: str) -> None:
        super().__init__("RegionOutlines", url, outlines.SOURCE)
        self.from_zoom = outlines.FROM_ZOOM


class Legend(MacroElement):
    """A Leaflet control listing the event types, their colours and icons (folded on a narrow map)."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var legend = L.control({position: "bottomright"});
  legend.onAdd = function (map) {
    // Folded on a narrow map (a phone), where it would cover the events; a keyboard opens it.
    var div = L.DomUtil.create("div", "geodata-legend");
    var folded = map.getSize().x < {{ this.fold_below }};
    div.innerHTML = "<details" + (folded ? "" : " open") + "><summary>Legend</summary>" +
      {{ this.html }} + "</details>";
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
    return div;
  };
  legend.addTo({{ this._parent.get_name() }});
})();
{% endmacro %}
""")

    #: Maps narrower than this (CSS pixels) start with the legend folded.
    fold_below = 500

    def __init__(self) -> None:
        super().__init__()
        self._name = "Legend"
        # Built only from the project's own taxonomy, never from catalogue text.
        rows = [
            f'<div><i class="fa-solid fa-{t.icon}" style="color:{t.colour}"></i> {t.label}</div>'
            for t in EVENT_TYPES.values()
        ]
        rows.append(
            '<div style="color:#555">circle: location uncertainty (facility 1 km, city 10 km, '
            "region 75 km, country 250 km); dashes: where a statement was said</div>"
        )
        self.html = json_for_script("".join(rows))


@dataclass(frozen=True)
class OwnTiles:
    """The user's own tile layer: its address template (on the dashboard's origin) and details."""

    url: str
    name: str
    attribution: str
    minzoom: int
    maxzoom: int
    bounds: tuple[float, float, float, float] | None


def base_map(
    countries: dict[str, Any],
    links: AssetLinks,
    *,
    center: tuple[float, float] = MAP_CENTRE,
    zoom: int = MAP_ZOOM,
    tiles: OwnTiles | None = None,
) -> folium.Map:
    """The static map: the user's own tiles if given, offline country outlines (filled when there
    are no tiles), a legend, optional online tiles, local assets only."""
    # With tiles=None folium's max_zoom reaches no layer; Leaflet.markercluster needs the map's own.
    fmap = folium.Map(
        location=center, zoom_start=zoom, tiles=None, control_scale=True, maxZoom=MAX_ZOOM, minZoom=MIN_ZOOM
    )
    fmap.default_js = links.js
    fmap.default_css = links.css
    root = fmap.get_root()
    assert isinstance(root, Figure)
    root.header.add_child(Element(_STYLE))
    if tiles is not None:
        bounds = tiles.bounds
        folium.TileLayer(
            tiles.url,
            name=f"Your tiles: {tiles.name}"[:120],
            attr=html.escape(tiles.attribution) or html.escape(tiles.name),
            min_zoom=MIN_ZOOM,
            max_zoom=MAX_ZOOM,
            max_native_zoom=tiles.maxzoom,
            min_native_zoom=tiles.minzoom,
            bounds=[[bounds[1], bounds[0]], [bounds[3], bounds[2]]] if bounds else None,
            overlay=False,
            control=True,
        ).add_to(fmap)
    fill = 0.0 if tiles is not None else 1.0  # over the user's tiles, outlines only
    folium.GeoJson(
        countries,
        name="Countries (Natural Earth, offline)",
        interactive=False,
        style_function=lambda _: {
            "fillColor": "#f4f1ea",
            "color": "#9a948a",
            "weight": 0.8,
            "fillOpacity": fill,
        },
    ).add_to(fmap)
    folium.TileLayer(
        "OpenStreetMap", name=ONLINE_TILES_NAME, overlay=True, show=False, control=True, max_zoom=MAX_ZOOM
    ).add_to(fmap)
    RegionOutlines(links.later["outlines"]).add_to(fmap)
    PlaceLabels(links.later["labels"]).add_to(fmap)
    Legend().add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    return fmap
