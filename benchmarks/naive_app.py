"""The naive baseline for ``python -m benchmarks map``: one folium.Marker per event, rebuilt on
every change, as a hand-made notebook would do it. Run by the benchmark, not by users.

    GEODATA_EVENTS=synth.parquet streamlit run benchmarks/naive_app.py
"""

from __future__ import annotations

import os

import folium
import streamlit as st
from streamlit_folium import st_folium

from dashboard.assets import register_assets
from geodata.frame import filter_events
from geodata.io.readers import read_parquet_frame
from geodata.taxonomy import EVENT_TYPES

gdf = read_parquet_frame(os.environ["GEODATA_EVENTS"])  # re-read every run, as naive code does
types = st.sidebar.multiselect(
    "Event types",
    list(EVENT_TYPES),
    default=list(EVENT_TYPES),
    format_func=lambda k: EVENT_TYPES[k].label,
    key="f_types",
)
shown = filter_events(gdf, types=types)
st.markdown(f"**{len(shown)} of {len(gdf)} events**")
fmap = folium.Map(location=(33.5, 43.5), zoom_start=5, tiles=None, maxZoom=18)
links = register_assets()  # local assets, so the baseline is not simply blank offline
fmap.default_js, fmap.default_css = links.js, links.css
for row in shown.itertuples():
    folium.Marker((row.lat, row.lon), popup=folium.Popup(str(row.title)), tooltip=str(row.title)).add_to(fmap)
st_folium(fmap, height=560, use_container_width=True, returned_objects=[])
