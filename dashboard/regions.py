"""Events per first-level region in two windows of time, and the change: a table and a map layer.

The window compared is the filters' own and the one of the same length just before it. Regions
are found offline from each event's point (``geodata.admin``: the nearest town's region).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from dashboard.layers import json_for_script
from geodata.admin import admin1_points, region_finder

#: Marker colours: more events than before, fewer, as many (colour-blind safe: vermillion, blue).
MORE, FEWER, SAME = "#D55E00", "#0072B2", "#666666"
NO_REGION = "(no town within 150 km)"
COLUMNS = ["country", "region", "events", "before", "change"]


def previous_window(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The window of the same length just before ``start`` … ``end``."""
    days = (end - start).days + 1
    return start - dt.timedelta(days=days), start - dt.timedelta(days=1)


def counts(now: gpd.GeoDataFrame, before: gpd.GeoDataFrame) -> pd.DataFrame:
    """Events per (country, region) now and before, and the change; most events first."""
    finder = region_finder()
    tables = []
    for frame, column in ((now, "events"), (before, "before")):
        lat, lon = frame["lat"].to_numpy(dtype=float), frame["lon"].to_numpy(dtype=float)
        found = finder.regions(lat, lon, second_level=False)
        keys = pd.DataFrame({"country": found.country, "region": found.region})
        keys["country"] = keys["country"].fillna("")
        keys["region"] = keys["region"].fillna(NO_REGION)
        tables.append(keys.value_counts().rename(column))
    table = pd.concat(tables, axis=1).fillna(0).astype(int).reset_index()
    if table.empty:
        return pd.DataFrame(columns=COLUMNS)
    table["change"] = table["events"] - table["before"]
    return table.sort_values(["events", "change", "country", "region"], ascending=[False, False, True, True])[
        COLUMNS
    ].reset_index(drop=True)


def region_payload(table: pd.DataFrame) -> list[list[Any]]:
    """[lat, lon, events, before, change, label, colour] of each region with a point."""
    points = {**region_finder().centres, **admin1_points()}
    out = []
    for row in table.itertuples(index=False):
        point = points.get((row.country, row.region))
        if point is None:
            continue
        colour = MORE if row.change > 0 else FEWER if row.change < 0 else SAME
        label = f"{row.region}, {row.country}"
        out.append([point[0], point[1], int(row.events), int(row.before), int(row.change), label, colour])
    return out


class RegionLayer(MacroElement):
    """A circle per region at its point: its area the events now, its colour the change."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var group = {{ this._parent.get_name() }};
  var rows = {{ this.payload }};
  var total = 0;
  rows.forEach(function (r) {
    total += r[2];
    var circle = L.circleMarker([r[0], r[1]], {radius: 4 + 3 * Math.sqrt(r[2]), color: "#333", weight: 1,
      fillColor: r[6], fillOpacity: 0.75, className: "geodata-region"});
    var text = document.createElement("span");  // a region's name is text, never markup
    text.textContent = r[5] + ": " + r[2] + " events, " + r[3] + " before (" +
      (r[4] > 0 ? "+" : "") + r[4] + ")";
    circle.bindTooltip(text);
    circle.addTo(group);
  });
  window.geodataEventCount = total;
  window.geodataRegions = rows.length;
})();
{% endmacro %}
""")

    def __init__(self, payload: list[list[Any]]) -> None:
        super().__init__()
        self._name = "RegionLayer"
        self.payload = json_for_script(payload)


def region_group(table: pd.DataFrame) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name="Events per region")
    RegionLayer(region_payload(table)).add_to(group)
    return group


def legend() -> str:
    """The colours' meaning, as HTML (the project's own words and colours only)."""
    dot = '<span style="display:inline-block;width:11px;height:11px;border-radius:50%;background:{}"></span>'
    parts = [f"{dot.format(c)}&nbsp;{w}" for c, w in ((MORE, "more"), (FEWER, "fewer"), (SAME, "as many"))]
    return (
        '<div style="font-size:0.8rem">Events per region (circle area), against the window before: '
        + " ".join(parts)
        + "</div>"
    )
