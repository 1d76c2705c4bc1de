"""geodata dashboard: conflict events on an offline map, filtered by type, time, actor and text.

streamlit run dashboard/app.py [-- --events PATH]      (or GEODATA_EVENTS=PATH)
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile
from streamlit_folium import st_folium

from dashboard import add_article, data, details, sidebar
from dashboard.assets import register_assets
from dashboard.layers import MARKER_LIMIT, events_group
from dashboard.mapview import base_map
from dashboard.problems import problem_lines, show_problems
from dashboard.state import params_from_filters
from geodata.frame import filter_mask, mask_bbox
from geodata.geocoding import OfflineGeocoder, default_geocoder
from geodata.io.export import csv_bytes, geojson_bytes

TABLE_ROWS = 1_000
EAGER_DOWNLOAD_ROWS = 5_000

st.set_page_config(page_title="geodata — conflict events map", page_icon="🗺️", layout="wide")


@st.cache_resource(show_spinner="Loading the offline gazetteer…")
def geocoder() -> OfflineGeocoder:
    return default_geocoder()


# Frames are cached as shared objects, not copied per run: at a million events a copy costs
# seconds. Nothing below mutates them; filters return new frames.
@st.cache_resource(show_spinner="Reading the catalogue…", max_entries=4)
def catalogue(path: str, mtime: float) -> gpd.GeoDataFrame:
    return data.with_actor_list(data.load_events_file(Path(path), geocoder))


@st.cache_resource(show_spinner="Reading the catalogue…", max_entries=2)
def uploaded(content: bytes, name: str) -> gpd.GeoDataFrame:
    return data.with_actor_list(data.load_uploaded(content, name, geocoder()))


@st.cache_data
def countries() -> dict[str, object]:
    return data.basemap_countries()


def load_upload(upload: UploadedFile) -> None:
    """Make a valid upload the current catalogue; show why an invalid one was not loaded.

    A hostile file may make a reader fail with any exception: none of them reaches the page as a
    traceback, and the catalogue shown before is kept. A failure is remembered for that upload,
    so a file that took long to fail is not read again on every rerun.
    """
    failed = st.session_state.get("upload_failed")
    if failed is None or failed[0] != upload.file_id:
        try:
            st.session_state["upload"] = (uploaded(upload.getvalue(), upload.name), upload.name)
            st.session_state.pop("upload_failed", None)
            return
        except Exception as err:  # any exception from a hostile file is a problem to show
            failed = (upload.file_id, problem_lines(err, name=upload.name))
            st.session_state["upload_failed"] = failed
    show_problems(f"{upload.name} was not loaded; the current catalogue is kept.", failed[1])


def current_catalogue() -> tuple[gpd.GeoDataFrame, str] | None:
    """The uploaded catalogue if any and valid, else the one named on start-up."""
    path = data.current_events_path()
    upload = st.sidebar.file_uploader(
        "Load your own catalogue",
        type=["yaml", "yml", "geojson", "json", "csv"],
        help="A catalogue in YAML, or a GeoJSON or CSV exported by geodata.",
    )
    if upload is not None:
        load_upload(upload)
    if "upload" in st.session_state:
        return st.session_state["upload"]
    try:
        return catalogue(str(path), path.stat().st_mtime), path.name
    except Exception as err:  # the start-up file is shown or explained, never a traceback
        show_problems(f"The catalogue {path} could not be loaded.", problem_lines(err, name=str(path)))
        return None


def selected_id(click: dict[str, object] | None) -> str | None:
    """The event id a marker click returned: the last line of its tooltip's text."""
    tooltip = (click or {}).get("last_object_clicked_tooltip")
    return str(tooltip).strip().splitlines()[-1].strip() if tooltip else None


def map_page() -> None:
    st.title("Conflict events map")
    loaded = current_catalogue()
    if loaded is None:
        return
    gdf, name = loaded
    span = data.catalogue_span(gdf)
    actors = gdf.attrs["actor_list"]
    sidebar.init_from_url(span, actors)
    sidebar.apply_pending_step(span)
    with st.sidebar:
        filters = sidebar.filter_widgets(span, actors)
    # Masks, not copies: at a million events, copying the filtered rows costs more than filtering.
    mask = filter_mask(
        gdf,
        types=filters.types,
        start=filters.start,
        end=filters.end,
        actors=filters.actors,
        text=filters.text,
    )
    count = int(mask.sum())
    st.query_params.from_dict(params_from_filters(filters, span=span))

    st.markdown(
        f"**{count} of {len(gdf)} events** · {filters.start:%d %b %Y} – {filters.end:%d %b %Y}"
        f" · catalogue: {details.md_escape(name)}"
    )
    fmap = base_map(countries(), register_assets())
    large = count > MARKER_LIMIT
    bbox, zoom = data.view_of(st.session_state.get("events_map")) if large else (None, 5)
    in_view = mask & mask_bbox(gdf, bbox).to_numpy() if bbox else mask
    returned = ["last_object_clicked", "last_object_clicked_tooltip"] + (["bounds", "zoom"] if large else [])
    layer = events_group(data.rows(gdf, in_view), zoom=zoom)
    click = st_folium(
        fmap,
        key="events_map",
        feature_group_to_add=layer,
        height=560,
        use_container_width=True,
        returned_objects=returned,
    )
    clicked = selected_id(click)
    if clicked and clicked in gdf.index:
        st.session_state["selected"] = clicked

    left, right = st.columns([3, 2])
    with left:
        st.altair_chart(
            details.histogram(gdf.loc[mask, ["date_start", "type_label"]], (span[1] - span[0]).days),
            width="stretch",
        )
        listed = gdf.iloc[np.flatnonzero(mask)[:TABLE_ROWS]]
        if count > TABLE_ROWS:
            st.caption(f"The table lists the first {TABLE_ROWS:,} of {count:,}; the downloads hold all.")
        table = st.dataframe(
            details.events_table(listed),
            hide_index=True,
            width="stretch",
            on_select="rerun",
            selection_mode="single-row",
            key="events_table",
        )
        rows = table.selection.rows if table is not None else []
        if rows and rows[0] < len(listed):
            st.session_state["selected"] = listed.index[rows[0]]
        one, two = st.columns(2)
        # Large selections are written only when clicked: a million events should not be
        # serialised on every rerun. Small ones are ready at once (no extra round trip).
        eager = count <= EAGER_DOWNLOAD_ROWS
        geojson = geojson_bytes(gdf[mask]) if eager else (lambda: geojson_bytes(gdf[mask]))
        table_csv = csv_bytes(gdf[mask]) if eager else (lambda: csv_bytes(gdf[mask]))
        one.download_button(
            "Download GeoJSON",
            geojson,
            file_name="events.geojson",
            mime="application/geo+json",
            width="stretch",
            on_click="ignore",
        )
        two.download_button(
            "Download CSV",
            table_csv,
            file_name="events.csv",
            mime="text/csv",
            width="stretch",
            on_click="ignore",
        )
    with right:
        chosen = st.session_state.get("selected")
        position = gdf.index.get_indexer([chosen])[0] if chosen is not None else -1
        if position >= 0 and mask[position]:
            details.show_details(gdf.iloc[position])
        else:
            st.info("Click a marker or a table row to see an event's details and sources.")

    sidebar.play_on()


def article_page() -> None:
    def saved() -> None:
        catalogue.clear()
        st.session_state.pop("upload", None)

    add_article.page(data.current_events_path(), geocoder(), on_saved=saved)


st.navigation(
    [
        st.Page(map_page, title="Map", icon=":material/map:", default=True),
        st.Page(article_page, title="Add an article", icon=":material/edit_note:", url_path="add-article"),
    ]
).run()
