"""geodata dashboard: conflict events on an offline map, filtered by type, time, actor and text;
a review queue for drafted events; each event's history.

python -m dashboard [Streamlit's options] [-- --store URL] [-- --events PATH]
    (or streamlit run dashboard/app.py ...; or GEODATA_STORE=URL, GEODATA_EVENTS=PATH; with
    neither, geodata.db beside events.yaml)
"""

from __future__ import annotations

from dashboard import warm

warm.wait()  # the server may be importing what follows for this first run (python -m dashboard)

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile
from streamlit_folium import st_folium

from dashboard import data, details, history, large, memo, picture, regions, reviewer, sidebar, source
from dashboard.assets import register_assets
from dashboard.density import density_group, density_legend
from dashboard.layers import MARKER_LIMIT, events_group, events_payload, group_of
from dashboard.mapview import MAP_CENTRE, base_map
from dashboard.problems import problem_lines, show_problems
from dashboard.regions import legend as region_legend
from dashboard.regions import region_group
from dashboard.state import (
    Filters,
    MapView,
    event_from_params,
    params_from_filters,
    params_from_view,
    view_box,
    view_from_params,
    view_of_map,
)
from geodata.errors import CatalogError
from geodata.frame import filter_mask, mask_bbox
from geodata.io.acled import acled_csv_bytes
from geodata.io.dataset import Window
from geodata.io.export import csv_bytes, geojson_bytes
from geodata.taxonomy import EVENT_TYPES

if TYPE_CHECKING:
    from geodata.store import Store

TABLE_ROWS = 1_000
EAGER_DOWNLOAD_ROWS = 5_000
#: The session's upload counter: raised to empty the uploader ("back to the store").
UPLOADS = "upload_round"
#: Rows of the page's frame with every column (see dashboard.large); a frame held whole is its own.
Full = Callable[[gpd.GeoDataFrame], gpd.GeoDataFrame]


def _whole(rows: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return rows


st.set_page_config(page_title="geodata — conflict events map", page_icon="🗺️", layout="wide")


def load_upload(upload: UploadedFile) -> None:
    """Make a valid upload the current catalogue; show why an invalid one was not loaded.

    A hostile file may make a reader fail with any exception: none of them reaches the page as a
    traceback, and the catalogue shown before is kept. A failure is remembered for that upload,
    so a file that took long to fail is not read again on every rerun.
    """
    failed = st.session_state.get("upload_failed")
    if failed is None or failed[0] != upload.file_id:
        try:
            st.session_state["upload"] = (source.uploaded(upload.getvalue(), upload.name), upload.name)
            st.session_state.pop("upload_failed", None)
            return
        except Exception as err:  # any exception from a hostile file is a problem to show
            failed = (upload.file_id, problem_lines(err, name=upload.name))
            st.session_state["upload_failed"] = failed
    show_problems(f"{upload.name} was not loaded; the current catalogue is kept.", failed[1])


def _back_to_store() -> None:
    st.session_state.pop("upload", None)
    st.session_state[UPLOADS] = st.session_state.get(UPLOADS, 0) + 1


def current_catalogue(where: data.Where, store: Store | None) -> tuple[source.Shown, str] | None:
    """The uploaded catalogue if any and valid (a read-only file view), else the store's events,
    else the file named on start-up (GeoJSON, CSV, GeoParquet or a partitioned GeoParquet
    dataset: a read-only file view)."""
    upload = st.sidebar.file_uploader(
        "Load your own catalogue",
        type=["yaml", "yml", "geojson", "json", "csv"],
        help="A catalogue in YAML, or a GeoJSON or CSV exported by geodata. It is shown as a "
        "read-only file view: nothing is written to the store.",
        key=f"uploader_{st.session_state.get(UPLOADS, 0)}",
    )
    if upload is not None:
        load_upload(upload)
    if "upload" in st.session_state:
        gdf, name = st.session_state["upload"]
        if store is not None:
            st.sidebar.button("Back to the store", on_click=_back_to_store)
        return source.in_memory(gdf), f"{name} (uploaded: a read-only file view, the store is unchanged)"
    if store is not None:
        return source.in_memory(source.store_frame(store)), where.label
    if where.store is not None or where.path is None:
        return None  # the store could not be opened: its problems are shown
    path = where.path
    try:
        if path.is_dir():
            return large.partitioned(path), where.label
        if large.is_large_file(path):
            return large.slim_file(path), where.label
        return source.in_memory(source.file_frame(str(path), path.stat().st_mtime)), where.label
    except Exception as err:  # the start-up file is shown or explained, never a traceback
        show_problems(f"The catalogue {path} could not be loaded.", problem_lines(err, name=str(path)))
        return None


def selected_id(click: dict[str, object] | None) -> str | None:
    """The event id a marker click returned: the last line of its tooltip's text."""
    tooltip = (click or {}).get("last_object_clicked_tooltip")
    return str(tooltip).strip().splitlines()[-1].strip() if tooltip else None


def map_page() -> None:
    st.title("Conflict events map")
    where = data.current_where()
    store = source.open_current(where)
    who = reviewer.ask() if store is not None else None
    loaded = current_catalogue(where, store)
    if loaded is None:
        return
    shown, name = loaded
    viewing_store = store is not None and "upload" not in st.session_state
    span, actors = shown.span, shown.actors
    sidebar.init_from_url(span, actors)
    sidebar.follow_span(span)
    sidebar.apply_pending_step(span)
    with st.sidebar:
        filters = sidebar.filter_widgets(span, actors)
        layer_choice()
    # Every type chosen: no type filter is pushed down, so a row of an unknown type is read and
    # reported rather than silently left out.
    types = None if set(filters.types) >= set(EVENT_TYPES) else filters.types
    try:  # a large catalogue's search columns are read when a text or actor filter needs them
        gdf = shown.rows(Window(filters.start, filters.end, types))
        # Masks, not copies: at a million events, copying the filtered rows costs more than filtering.
        mask = filter_mask(
            gdf,
            types=filters.types,
            start=filters.start,
            end=filters.end,
            actors=filters.actors,
            text=filters.text,
        )
    except Exception as err:  # a bad file of a dataset is explained, never a traceback
        show_problems(f"The catalogue {name} could not be read.", problem_lines(err, name=name))
        return
    count = int(mask.sum())
    link_view = linked_view()
    linked = params_from_filters(filters, span=span)
    share(linked, view_of_map(st.session_state.get("events_map")) or link_view, selected_shown(gdf, mask))

    st.markdown(
        f"**{count} of {shown.total} events** · {filters.start:%d %b %Y} – {filters.end:%d %b %Y}"
        f" · catalogue: {details.md_escape(name)}"
    )
    try:  # a large catalogue's rows shown are read whole only now: a bad value is explained
        compared = (
            region_counts(shown, gdf, mask, filters) if st.session_state.get("f_layer") == REGIONS else None
        )
        view = draw_map(gdf, mask, count, shown.full, start=link_view, regions=compared)
        left, right = st.columns([3, 2])
        with left:
            words = picture.Words(
                f"Conflict events map: {count:,} of {shown.total:,} events",
                picture.filter_lines(filters.types, filters.start, filters.end, filters.actors, filters.text),
                picture.source_line(name),
            )
            whole = shown.total == len(gdf)  # else only the window's rows are read: play inside it
            window = (filters.start or span[0], filters.end or span[1])
            frames = playback(gdf, filters, span if whole else window, name)
            table_and_downloads(gdf, mask, count, span, shown.full, words=words, frames=frames)
        with right:
            event_panel(gdf, mask, store if viewing_store else None, who=who, full=shown.full)
    except CatalogError as err:
        show_problems(f"The catalogue {name} could not be read.", problem_lines(err, name=name))
        return
    share(linked, view or link_view, selected_shown(gdf, mask))  # with this run's clicks
    sidebar.drawn()
    sidebar.play_on()


def event_panel(
    gdf: gpd.GeoDataFrame, mask: np.ndarray, store: Store | None, *, who: str | None, full: Full = _whole
) -> None:
    """The selected event's details; with a ``store``, its history, undo and edit. An event being
    edited stays shown when a change moves it out of the filters (another analyst's edit), so
    that the edit is saved or its conflict shown, never silently dropped."""
    if store is not None:
        history.messages()
    chosen = st.session_state.get("selected")
    position = gdf.index.get_indexer([chosen])[0] if chosen is not None else -1
    editing = store is not None and history.in_progress(str(chosen))
    if position < 0 or not (mask[position] or editing):
        st.info("Click a marker or a table row to see an event's details and sources.")
        return
    details.show_details(full(gdf.iloc[[position]]).iloc[0])
    if store is not None:
        history.panel(store, str(chosen), who=who, geocoder=source.geocoder())


def linked_view() -> MapView | None:
    """The map view and the selected event a shared link gives, read once per session (the map
    then keeps its own view, and a click its own selection)."""
    if "link_view" not in st.session_state:
        params = dict(st.query_params)
        st.session_state["link_view"] = view_from_params(params)
        event = event_from_params(params)
        if event is not None:
            st.session_state["selected"] = event
    view = st.session_state["link_view"]
    return view if isinstance(view, MapView) else None


def selected_shown(gdf: gpd.GeoDataFrame, mask: np.ndarray) -> str | None:
    """The selected event, if the filters show it."""
    chosen = st.session_state.get("selected")
    position = gdf.index.get_indexer([chosen])[0] if chosen is not None else -1
    return str(chosen) if position >= 0 and mask[position] else None


def share(params: dict[str, str], view: MapView | None, event: str | None = None) -> None:
    """Write the filters, the map's view and the selected event into the URL: the address bar is
    the link to this view."""
    params = {**params, **(params_from_view(view) if view is not None else {})}
    layer = LAYER_PARAMS.get(str(st.session_state.get("f_layer")))
    if layer is not None:
        params["layer"] = layer
    if event is not None:
        params["event"] = event
    if params != dict(st.query_params):
        st.query_params.from_dict(params)


def region_counts(
    shown: source.Shown, gdf: gpd.GeoDataFrame, mask: np.ndarray, filters: Filters
) -> pd.DataFrame:
    """Events per region in the filters' window and the window before it (the same filters)."""
    span = shown.span
    start, end = filters.start or span[0], filters.end or span[1]
    first, last = regions.previous_window(start, end)
    types = None if set(filters.types) >= set(EVENT_TYPES) else filters.types
    earlier = shown.rows(Window(first, last, types))
    before = filter_mask(
        earlier, types=filters.types, start=first, end=last, actors=filters.actors, text=filters.text
    )
    return regions.counts(gdf.loc[mask, ["lat", "lon"]], earlier.loc[before, ["lat", "lon"]])


def draw_map(
    gdf: gpd.GeoDataFrame,
    mask: np.ndarray,
    count: int,
    full: Full = _whole,
    *,
    start: MapView | None = None,
    regions: pd.DataFrame | None = None,
) -> MapView | None:
    """The map, kept mounted: only the events layer changes; a click selects an event. It opens
    at ``start`` (a shared link's view) if given; the view it reports is returned."""
    tiles = source.own_tiles()
    if start is None:
        fmap = base_map(source.countries(), register_assets(), tiles=tiles)
    else:
        center = (start.lat, start.lon)
        fmap = base_map(source.countries(), register_assets(), tiles=tiles, center=center, zoom=start.zoom)
    density = st.session_state.get("f_layer") == DENSITY
    large = count > MARKER_LIMIT or density
    bbox, zoom = data.view_of(st.session_state.get("events_map")) if large else (None, 5)
    if large and bbox is None and start is not None:
        zoom = start.zoom
    returned = ["last_object_clicked", "last_object_clicked_tooltip", "center", "zoom", "bounds"]
    if regions is not None:
        layer = region_group(regions)
    elif density:
        in_view = mask & mask_bbox(gdf, bbox).to_numpy() if bbox else mask
        layer = density_group(gdf.loc[in_view, ["lat", "lon"]], zoom=zoom)
    elif large:
        layer = group_of(events_in_view(gdf, mask, full, bbox, zoom, start))
    else:
        layer = events_group(data.rows(gdf, mask, full=full), zoom=zoom)
    click = st_folium(
        fmap,
        key="events_map",
        feature_group_to_add=layer,
        height=data.MAP_HEIGHT,
        use_container_width=True,
        returned_objects=returned,
    )
    if regions is not None:
        st.markdown(region_legend(), unsafe_allow_html=True)  # the project's own colours and words
        st.dataframe(regions, hide_index=True, width="stretch", key="regions_table")
    elif density:
        st.markdown(density_legend(), unsafe_allow_html=True)  # the project's own colours and counts
    clicked = selected_id(click)
    if clicked and clicked in gdf.index:
        st.session_state["selected"] = clicked
    return view_of_map(click)


def events_in_view(
    gdf: gpd.GeoDataFrame,
    mask: np.ndarray,
    full: Full,
    view: data.Box | None,
    zoom: int,
    start: MapView | None,
) -> tuple[str, list[object]]:
    """The layer of a large selection: the events in the map's view (before the map has reported
    one, in a wide screen's view around where it opens), counted per cell or, zoomed in far
    enough, as markers. The last run's layer is kept while the view stays inside its box at the
    same zoom and the same rows are chosen (the map's own run after it has drawn): at ten million
    events a new one takes about a second. (A box larger than the view would keep it over small
    moves too, but costs as much more to make at every filter change.)"""
    if view is None:
        centre = (start.lat, start.lon) if start is not None else MAP_CENTRE
        view = data.box_around(centre, zoom)
    box = view  # the layer's box, as kept with it

    def make() -> tuple[str, list[object]]:
        in_view = mask & mask_bbox(gdf, box).to_numpy()
        return events_payload(data.rows(gdf, in_view, full=full), zoom=zoom)

    def fits(held: tuple[bytes, int, data.Box], layer: tuple[str, list[object]]) -> bool:
        if held[:2] != (chosen, zoom) or not data.contains(held[2], box):
            return False
        # cells made for a larger box will not do where the view holds few enough for markers
        few = int(np.count_nonzero(mask & mask_bbox(gdf, box).to_numpy())) <= MARKER_LIMIT
        return layer[0] == "markers" or held[2] == box or not few

    chosen = memo.mask_key(mask)
    return memo.recall_if("events_layer", gdf, fits, (chosen, zoom, box), make)


#: The map's layers: a marker for each event (counts per cell when many), or hexagons by count.
MARKERS, DENSITY, REGIONS = "Markers", "Density (hexagons)", "Regions (change)"
LAYER_PARAMS = {DENSITY: "density", REGIONS: "regions"}


def layer_choice() -> None:
    """How the events are drawn, in the sidebar; a shared link's choice is taken once."""
    linked = next((k for k, v in LAYER_PARAMS.items() if v == st.query_params.get("layer")), MARKERS)
    # Set on every run, as the filters are (see sidebar.init_from_url): the browser always has it.
    st.session_state["f_layer"] = st.session_state.get("f_layer", linked)
    st.radio(
        "Events shown as",
        [MARKERS, DENSITY, REGIONS],
        key="f_layer",
        help="Regions: events per first-level region in the filters' window against the window of "
        "the same length before it (the region of the nearest town, offline).",
    )


def picture_box() -> tuple[float, float, float, float] | None:
    """What the map shows: the bounds it reported, else about what a shared link's view shows,
    else ``None`` (the picture then frames its events)."""
    bbox, _ = data.view_of(st.session_state.get("events_map"))
    link = st.session_state.get("link_view")
    return bbox or (view_box(link) if isinstance(link, MapView) else None)


def table_and_downloads(
    gdf: gpd.GeoDataFrame,
    mask: np.ndarray,
    count: int,
    span: tuple[dt.date, dt.date],
    full: Full = _whole,
    *,
    words: picture.Words | None = None,
    frames: Callable[[], list[tuple[gpd.GeoDataFrame, picture.Words]]] | None = None,
) -> None:
    """The timeline histogram, the events table (a row click selects), and the downloads (the
    picture's title, filters and source line in ``words``; the playback's ``frames``)."""
    days = (span[1] - span[0]).days
    # the same rows as the last run (the map's own run after it has drawn): the same bars and rows
    chosen = memo.mask_key(mask)
    chart = memo.recall(
        "histogram",
        gdf,
        (chosen, days),
        lambda: details.histogram(data.columns_at(gdf, mask, ["date_start", "type_label"]), days),
    )
    st.altair_chart(chart, width="stretch")
    listed = memo.recall("listed", gdf, chosen, lambda: full(gdf.iloc[np.flatnonzero(mask)[:TABLE_ROWS]]))
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
    one, two, three, four = st.columns(4)
    # Large selections are written only when clicked: a million events should not be
    # serialised on every rerun. Small ones are ready at once (no extra round trip).
    eager = count <= EAGER_DOWNLOAD_ROWS
    geojson = geojson_bytes(full(gdf[mask])) if eager else (lambda: geojson_bytes(full(gdf[mask])))
    table_csv = csv_bytes(full(gdf[mask])) if eager else (lambda: csv_bytes(full(gdf[mask])))
    one.download_button(
        "Download GeoJSON",
        geojson,
        file_name="events.geojson",
        mime="application/geo+json",
        width="stretch",
        on_click="ignore",
    )
    two.download_button(
        "Download CSV", table_csv, file_name="events.csv", mime="text/csv", width="stretch", on_click="ignore"
    )
    # Made when clicked at any size: its admin regions need the towns' index (about a second the
    # first time), which the first map should not wait behind.
    two.download_button(
        "Download ACLED CSV",
        lambda: acled_csv_bytes(full(gdf[mask])),
        file_name="events-acled.csv",
        mime="text/csv",
        width="stretch",
        on_click="ignore",
        help="The events with ACLED's column names (event_date, actor1, inter1, admin1, fatalities, ...), "
        "their types through the taxonomy's ACLED crosswalk.",
    )
    box = picture_box()  # now: the download is made later, away from this run's session
    countries = source.countries()
    three.download_button(
        "Download PNG",
        lambda: picture.png_bytes(
            picture.figure(
                gdf.loc[mask, ["lat", "lon", "type"]],
                words=words or picture.Words(f"Conflict events map: {count:,} events", [], ""),
                countries=countries,
                bbox=box,
            )
        ),
        file_name="events-map.png",
        mime="image/png",
        width="stretch",
        on_click="ignore",
        help="The map as a picture: the filtered events in the map's view, with a legend, the filters "
        "and the sources. Made when clicked.",
    )
    if frames is not None:
        four.download_button(
            "Download GIF",
            lambda: picture.gif_bytes(frames(), countries=countries, bbox=box),
            file_name="events-playback.gif",
            mime="image/gif",
            width="stretch",
            on_click="ignore",
            help="The playback as an animated picture: the filtered events a window at a time, as "
            "Play steps through them. Made when clicked (a few seconds).",
        )


def playback(
    gdf: gpd.GeoDataFrame, filters: Filters, span: tuple[dt.date, dt.date], name: str
) -> Callable[[], list[tuple[gpd.GeoDataFrame, picture.Words]]]:
    """The playback's frames, made when asked: the filtered events of each window that Play
    steps through (the window's width, a week when it is the whole span), with their words."""
    start, end = filters.start or span[0], filters.end or span[1]
    width = 7 if (start, end) == span else (end - start).days + 1
    source_line = picture.source_line(name)
    others = picture.filter_lines(filters.types, None, None, filters.actors, filters.text)

    def frames() -> list[tuple[gpd.GeoDataFrame, picture.Words]]:
        out = []
        for first, last in picture.playback_windows(span, width):
            shown = filter_mask(
                gdf, types=filters.types, start=first, end=last, actors=filters.actors, text=filters.text
            )
            title = f"Conflict events: {first:%d %b %Y} – {last:%d %b %Y} ({int(shown.sum()):,} events)"
            out.append((gdf.loc[shown, ["lat", "lon", "type"]], picture.Words(title, others, source_line)))
        return out

    return frames


def no_store(where: data.Where, what: str) -> None:
    st.info(
        f"{what} works on a store, and this dashboard shows {details.md_escape(where.label)}. Start it "
        "with a YAML catalogue (a store is made beside it) or with `-- --store URL`."
    )


def article_page() -> None:
    where = data.current_where()
    store = source.open_current(where)
    if store is None:
        st.title("Add an article")
        no_store(where, "Adding an article")
        return
    from dashboard import add_article  # imported here: a file view's map never loads the store

    add_article.page(store, source.geocoder(), review_page=REVIEW)


def review() -> None:
    where = data.current_where()
    store = source.open_current(where)
    if store is None:
        st.title("Review drafts")
        no_store(where, "The review queue")
        return
    from dashboard import review_page  # imported here: a file view's map never loads the store

    review_page.page(store, source.geocoder(), frame=lambda: source.store_frame(store))


REVIEW = st.Page(review, title="Review", icon=":material/fact_check:", url_path="review")
st.navigation(
    [
        st.Page(map_page, title="Map", icon=":material/map:", default=True),
        REVIEW,
        st.Page(article_page, title="Add an article", icon=":material/edit_note:", url_path="add-article"),
    ]
).run()
