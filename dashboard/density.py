"""The density view: the filtered events counted per H3 hexagon, coloured by count.

Hexagons are sized for the map's zoom (each about 60 pixels across), and the resolution is
lowered until at most :data:`MAX_CELLS` hexagons are sent: about 120 bytes each, under a megabyte
to the browser at any filter. Each distinct point is placed in its hexagon once (events share the
points of the places they are placed at), so a million events cost little more than their places.
The colours are a sequential scale for colour-blind readers (viridis' stops, dark for many).
"""

from __future__ import annotations

from typing import Any

import folium
import geopandas as gpd
import h3
import numpy as np
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from dashboard.layers import json_for_script

#: Hexagons sent to the browser at most.
MAX_CELLS = 6_000
#: The finest resolution used (hexagons of about 0.2 km²).
FINEST = 9
#: Class bounds of counts (at least) and their colours, few to many (viridis, reversed in
#: lightness so that many is dark).
STEPS = (1, 2, 5, 10, 25, 50, 100, 250)
COLOURS = ("#fde725", "#b5de2b", "#6ece58", "#35b779", "#1f9e89", "#26828e", "#31688e", "#3e4989")


def resolution_for(zoom: int) -> int:
    """The H3 resolution whose hexagons are about 60 pixels across at ``zoom`` (each finer
    resolution is √7 times smaller; each zoom level doubles the map)."""
    return int(np.clip(round(0.71 * zoom - 1.5), 0, FINEST))


def hexagons(gdf: gpd.GeoDataFrame, zoom: int) -> tuple[int, list[list[Any]]]:
    """The resolution used and, for each hexagon with events, ``[boundary, count, colour]``
    (the boundary as [lat, lon] pairs to 4 decimals), most events first."""
    lat, lon = gdf["lat"].to_numpy(dtype=float), gdf["lon"].to_numpy(dtype=float)
    placed = np.isfinite(lat) & np.isfinite(lon)
    points, where = _points(lat[placed], lon[placed])
    resolution = resolution_for(zoom)
    while True:
        cells = [h3.latlng_to_cell(a, b, resolution) for a, b in points]
        codes, names = pd.factorize(pd.Series(cells, dtype=object), sort=False)
        if len(names) <= MAX_CELLS or resolution == 0:
            break
        resolution -= 1
    counts = np.bincount(codes[where], minlength=len(names)) if len(where) else np.zeros(0, int)
    order = np.argsort(-counts, kind="stable")
    out = []
    for index in order:
        if counts[index]:
            boundary = [[round(a, 4), round(b, 4)] for a, b in h3.cell_to_boundary(names[index])]
            out.append([boundary, int(counts[index]), colour_of(int(counts[index]))])
    return resolution, out


def colour_of(count: int) -> str:
    """The class colour of ``count`` events."""
    return COLOURS[int(np.searchsorted(STEPS, count, side="right")) - 1]


def _points(lat: np.ndarray, lon: np.ndarray) -> tuple[list[tuple[float, float]], np.ndarray]:
    """The distinct points, and for each event the index of its point (one complex number per
    point: np.unique finds them without a Python object per event)."""
    distinct, where = np.unique(lat + 1j * lon, return_inverse=True)
    return list(zip(distinct.real.tolist(), distinct.imag.tolist(), strict=True)), where.reshape(-1)


class HexLayer(MacroElement):
    """The hexagons, filled by count, with a tooltip each and a legend of the classes."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var group = {{ this._parent.get_name() }};
  var cells = {{ this.payload }};
  var total = 0;
  cells.forEach(function (c) {
    total += c[1];
    var shape = L.polygon(c[0], {color: "#333", weight: 0.6, fillColor: c[2], fillOpacity: 0.72,
                                 className: "geodata-hexagon"});
    shape.bindTooltip(c[1] + (c[1] === 1 ? " event" : " events"));
    shape.addTo(group);
  });
  window.geodataEventCount = total;
  window.geodataHexagons = cells.length;
})();
{% endmacro %}
""")

    def __init__(self, payload: list[list[Any]]) -> None:
        super().__init__()
        self._name = "HexLayer"
        self.payload = json_for_script(payload)


def density_group(gdf: gpd.GeoDataFrame, *, zoom: int = 5) -> folium.FeatureGroup:
    """The events in view as hexagons, one FeatureGroup for ``st_folium``."""
    group = folium.FeatureGroup(name="Events (density)")
    _, payload = hexagons(gdf, zoom)
    HexLayer(payload).add_to(group)
    return group


def legend_rows() -> list[tuple[str, str]]:
    """(colour, counts) for each class, for the page's legend under the map."""
    bounds = [*STEPS[1:], None]
    return [
        (colour, f"{low}" if high == low + 1 else f"{low}–{high - 1}" if high else f"{low} or more")
        for colour, low, high in zip(COLOURS, STEPS, bounds, strict=True)
    ]


def density_legend() -> str:
    """The classes as HTML (the project's own colours and numbers only), for under the map."""
    swatch = (
        '<span style="display:inline-block;width:12px;height:12px;background:{};'
        'border:1px solid #333"></span>'
    )
    cells = " ".join(f"{swatch.format(colour)}&nbsp;{counts}" for colour, counts in legend_rows())
    return f'<div style="font-size:0.8rem">Events per hexagon (H3, sized for the zoom): {cells}</div>'
