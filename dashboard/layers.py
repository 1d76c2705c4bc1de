"""The events as a layer the browser builds: clustered markers, footprints, tooltips and popups,
or counts per grid cell when there are too many to draw.

The events travel as JSON inside a FeatureGroup passed to ``st_folium(feature_group_to_add=...)``,
so the base map (``mapview``) is never rebuilt. Popups are built with DOM calls
(``textContent``), so no catalogue text is ever parsed as HTML; tooltips, which
streamlit-folium reads back as text, are escaped character by character; the JSON itself is
escaped so that it stays inert inside the page's script.
"""

from __future__ import annotations

import json
import re
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from geodata.settings import DEFAULTS
from geodata.taxonomy import EVENT_TYPES

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_ICON = re.compile(r"^[a-z0-9-]+$")


def json_for_script(value: Any) -> str:
    """JSON that is also inert inside HTML and JavaScript source."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escaped)
    return text


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, (list, tuple)) or hasattr(value, "tolist"):
        items = value.tolist() if hasattr(value, "tolist") else value
        return ", ".join(str(v) for v in items)
    return str(value)


#: Above this many events in view, the map shows counts per grid cell instead of markers.
MARKER_LIMIT = 3_000
_TEXT_LIMIT = 400


def _cut(value: Any) -> str:
    text = _text(value)
    return text if len(text) <= _TEXT_LIMIT else text[: _TEXT_LIMIT - 1] + "…"


def marker_payload(gdf: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """What the browser needs to draw each event, as plain JSON-ready values."""
    from geodata.model import describe_span

    radius = DEFAULTS.precision_radius_m
    out = []
    for row in gdf.to_dict("records"):
        if not row.get("date_text"):
            row["date_text"] = describe_span(
                row["date_start"].date(), row["date_end"].date(), row["date_precision"]
            )
        kind = EVENT_TYPES[row["type"]]
        colour = kind.colour if _COLOUR.match(kind.colour) else "#333333"
        icon = kind.icon if _ICON.match(kind.icon) else "circle"
        said = None
        if (
            _text(row.get("said_at_name"))
            and row.get("said_at_lat") == row.get("said_at_lat")
            and row.get("said_at_lat") is not None
        ):
            said = [float(row["said_at_lat"]), float(row["said_at_lon"])]
        out.append(
            {
                "id": _text(row["id"]),
                "lat": float(row["lat"]),
                "lon": float(row["lon"]),
                "title": _text(row["title"]),
                "type": kind.label,
                "colour": colour,
                "icon": icon,
                "date": _text(row["date_text"]),
                "precision": _text(row["date_precision"]),
                "place": _text(row["place_name"]),
                "canonical": _text(row["place_canonical"]),
                "geo": _text(row["geo_precision"]),
                "radius": radius.get(_text(row["geo_precision"]), 1000.0),
                "said": _text(row.get("said_at_name")),
                "said_ll": said,
                "actors": _cut(row["actors"]),
                "summary": _cut(row["summary"]),
                "quote": _cut(row["source_quote"]),
                "publisher": _text(row["source_publisher"]),
                "source_title": _text(row["source_title"]),
                "url": _text(row["source_url"]),
            }
        )
    return out


class EventLayer(MacroElement):
    """Clustered markers and footprints for a list of events, drawn by the browser."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var group = {{ this._parent.get_name() }};
  var events = {{ this.payload }};
  var esc = function (s) {
    return String(s == null ? "" : s).replace(/[&<>"'`$\\\\\\/=]/g, function (c) {
      return "&#" + c.charCodeAt(0) + ";";
    });
  };
  var add = function (parent, tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    parent.appendChild(node);
    return node;
  };
  var row = function (table, label, value) {
    if (!value) { return; }
    var tr = add(table, "tr");
    add(tr, "th", label);
    add(tr, "td", value);
  };
  var popup = function (e) {
    var root = document.createElement("div");
    root.className = "geodata-popup";
    add(root, "div", e.type, "geodata-type").style.borderColor = e.colour;
    add(root, "h4", e.title);
    var table = add(root, "table");
    row(table, "Date", e.date + (e.precision && e.precision !== "day" ? " (" + e.precision + ")" : ""));
    row(table, "Place", e.place + (e.canonical && e.canonical !== e.place ? " \\u2192 " + e.canonical : "")
        + " (" + e.geo + " precision)");
    row(table, "Said at", e.said);
    row(table, "Actors", e.actors);
    if (e.summary) { add(root, "p", e.summary, "geodata-summary"); }
    add(root, "blockquote", e.quote, "geodata-quote");
    var src = add(root, "div", null, "geodata-source");
    var label = e.publisher + (e.source_title ? ": " + e.source_title : "");
    if (/^https?:\\/\\//i.test(e.url)) {
      var a = add(src, "a", label);
      a.href = e.url;
      a.target = "_blank";
      a.rel = "noopener noreferrer nofollow";
    } else {
      add(src, "span", label + (e.url ? " (" + e.url + ")" : ""));
    }
    add(root, "div", e.id, "geodata-id");
    return root;
  };
  var footprints = L.featureGroup();
  var links = L.featureGroup();
  var cluster = L.markerClusterGroup({maxClusterRadius: 36, spiderfyOnMaxZoom: true,
                                      showCoverageOnHover: false, chunkedLoading: true});
  events.forEach(function (e) {
    var icon = L.divIcon({
      className: "geodata-marker",
      html: '<span style="background:' + e.colour + '"><i class="fa-solid fa-' + e.icon + '"></i></span>',
      iconSize: [26, 26], iconAnchor: [13, 13], popupAnchor: [0, -12], tooltipAnchor: [12, 0]
    });
    var marker = L.marker([e.lat, e.lon], {icon: icon, riseOnHover: true});
    marker.bindTooltip("<b>" + esc(e.title) + "</b><br>" + esc(e.date) + " \\u00b7 " + esc(e.place)
                       + '<br>\\n<span class="geodata-id">' + esc(e.id) + "</span>");
    // A popup taller than the map would pan its marker out of view, and markercluster then removes
    // the marker and its popup: long texts scroll inside the popup instead.
    marker.bindPopup(function () { return popup(e); }, {maxWidth: 380, minWidth: 240, maxHeight: 400});
    cluster.addLayer(marker);
    L.circle([e.lat, e.lon], {radius: e.radius, color: e.colour, weight: 1, opacity: 0.6,
                              fillOpacity: 0.07, interactive: false}).addTo(footprints);
    if (e.said_ll) {
      L.polyline([e.said_ll, [e.lat, e.lon]], {color: e.colour, weight: 1.5, dashArray: "4 6",
                                               interactive: false}).addTo(links);
      L.circleMarker(e.said_ll, {radius: 4, color: e.colour, weight: 2, fillOpacity: 0.3,
                                 interactive: false}).addTo(links);
    }
  });
  footprints.addTo(group);
  links.addTo(group);
  cluster.addTo(group);
  window.geodataEventCount = events.length;
})();
{% endmacro %}
""")

    def __init__(self, payload: list[dict[str, Any]]) -> None:
        super().__init__()
        self._name = "EventLayer"
        self.payload = json_for_script(payload)


def grid_payload(gdf: pd.DataFrame, zoom: int) -> list[list[Any]]:
    """Events counted per grid cell sized for ``zoom``: [lat, lon, count, colour, label] each, in
    the order the cells are first met; a cell's position is the mean of its events', its type
    the commonest (the first of the taxonomy on a tie).

    A cell is about a quarter of a map tile, so cells stay about 64 pixels apart at any zoom.
    Counted with NumPy: at ten million events a pandas group-by costs seconds.
    """
    size = 360.0 / (2 ** max(0, min(zoom, 18))) / 4
    lat, lon = gdf["lat"].to_numpy(dtype=float), gdf["lon"].to_numpy(dtype=float)
    # one integer per cell: rows and columns of cells are far fewer than 2**31 at zoom 18
    key = (lat // size).astype(np.int64) * (1 << 32) + (lon // size).astype(np.int64)
    cell, _ = pd.factorize(key, sort=False)
    cells = int(cell.max()) + 1 if len(cell) else 0
    count = np.bincount(cell, minlength=cells)
    mean_lat = np.bincount(cell, weights=lat, minlength=cells) / np.maximum(count, 1)
    mean_lon = np.bincount(cell, weights=lon, minlength=cells) / np.maximum(count, 1)
    kinds = list(EVENT_TYPES)
    codes = pd.Categorical(gdf["type"], categories=kinds).codes.astype(np.int64)
    by_type = np.bincount(cell * len(kinds) + codes, minlength=cells * len(kinds)).reshape(cells, len(kinds))
    top = by_type.argmax(axis=1)
    return [
        [
            round(float(mean_lat[c]), 5),
            round(float(mean_lon[c]), 5),
            int(count[c]),
            EVENT_TYPES[kinds[top[c]]].colour,
            EVENT_TYPES[kinds[top[c]]].label,
        ]
        for c in range(cells)
    ]


class GridLayer(MacroElement):
    """Counts per cell, sized by count and coloured by the commonest type; a click zooms in."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var group = {{ this._parent.get_name() }};
  var cells = {{ this.payload }};
  var total = 0;
  cells.forEach(function (c) {
    total += c[2];
    var size = Math.round(22 + 10 * Math.log10(c[2]));
    var icon = L.divIcon({className: "geodata-cell", iconSize: [size, size],
      html: '<span style="background:' + c[3] + ';width:' + size + 'px;height:' + size + 'px">' +
            (c[2] >= 1000 ? Math.round(c[2] / 100) / 10 + "k" : c[2]) + "</span>"});
    var marker = L.marker([c[0], c[1]], {icon: icon});
    marker.bindTooltip(c[2] + " events, mostly " + c[4]);  // the label is from the taxonomy
    marker.on("click", function () { group._map.setView([c[0], c[1]], group._map.getZoom() + 2); });
    marker.addTo(group);
  });
  window.geodataEventCount = total;
})();
{% endmacro %}
""")

    def __init__(self, payload: list[list[Any]]) -> None:
        super().__init__()
        self._name = "GridLayer"
        self.payload = json_for_script(payload)


def events_group(gdf: pd.DataFrame, *, zoom: int = 5) -> folium.FeatureGroup:
    """The events in view as one FeatureGroup for ``st_folium(feature_group_to_add=...)``:
    markers while there are at most :data:`MARKER_LIMIT`, counts per grid cell above that."""
    return group_of(events_payload(gdf, zoom=zoom))


def events_payload(gdf: pd.DataFrame, *, zoom: int = 5) -> tuple[str, list[Any]]:
    """What :func:`events_group` draws: ("markers", the markers) or ("grid", the cells)."""
    if len(gdf) <= MARKER_LIMIT:
        return "markers", marker_payload(gdf)
    return "grid", grid_payload(gdf, zoom)


def group_of(payload: tuple[str, list[Any]]) -> folium.FeatureGroup:
    """The FeatureGroup drawing an :func:`events_payload`."""
    group = folium.FeatureGroup(name="Events")
    kind, rows = payload
    (EventLayer(rows) if kind == "markers" else GridLayer(rows)).add_to(group)
    return group
